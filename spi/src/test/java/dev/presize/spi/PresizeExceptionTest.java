package dev.presize.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PresizeExceptionTest {

  @Test
  @DisplayName("launder: context added; a failed connection (no message of its own) says so in words, an unknown "
      + "host as such; a "
      + "PresizeException passes through; an interrupt is restored")
  void launder() {
    PresizeException refused = PresizeException.launder("forecast", "http://127.0.0.1:1/v1/forecast",
        new ConnectException());
    assertThat(refused.getMessage()).contains("forecast", "http://127.0.0.1:1/v1/forecast", "cannot connect: refused");
    ConnectException unresolved = new ConnectException();
    unresolved.initCause(new java.nio.channels.UnresolvedAddressException());
    assertThat(PresizeException.launder("forecast", "http://typo.invalid:8080", unresolved).getMessage())
        .contains("unknown host").doesNotContain("refused");
    PresizeException own = new PresizeException("a", "b", "c");
    assertThat(PresizeException.launder("x", "y", own)).isSameAs(own);
    assertThat(PresizeException.launder("x", "y", new IllegalStateException()).getMessage())
        .contains("IllegalStateException");
    PresizeException interrupted = PresizeException.launder("x", "y", new InterruptedException("stop"));
    assertThat(Thread.interrupted()).as("the flag was restored (and is cleared here)").isTrue();
    assertThat(interrupted.getMessage()).contains("stop");
  }
}
