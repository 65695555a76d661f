package dev.presize.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ExitStatusTest {

  @Test
  @DisplayName("128 + a signal's number names the signal; other codes are just the number")
  void describe() {
    assertThat(ExitStatus.describe(137)).isEqualTo("137 (SIGKILL)");
    assertThat(ExitStatus.describe(143)).isEqualTo("143 (SIGTERM)");
    assertThat(ExitStatus.describe(139)).isEqualTo("139 (SIGSEGV)");
    assertThat(ExitStatus.describe(0)).isEqualTo("0");
    assertThat(ExitStatus.describe(1)).isEqualTo("1");
    assertThat(ExitStatus.describe(128)).isEqualTo("128");
    assertThat(ExitStatus.describe(9)).isEqualTo("9");
    assertThat(ExitStatus.describe(255)).isEqualTo("255");
  }
}
