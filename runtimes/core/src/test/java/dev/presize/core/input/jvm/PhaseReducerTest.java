package dev.presize.core.input.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PhaseReducerTest {

  private static final long WINDOW = 100_000_000L;
  private final PhaseReducer reducer = new PhaseReducer(WINDOW, PhaseReducer.DEFAULT_EXCLUDED_PREFIXES);

  @Test
  @DisplayName("a stack key is the top two frames outside the JDK and Presize, callee first")
  void stackKeySkipsInternals() {
    assertThat(reducer.stackKey(List.of("java.util.HashMap.get", "com.acme.Orders.lookup", "com.acme.Orders.handle",
        "com.acme.Main.main"))).isEqualTo("com.acme.Orders.lookup < com.acme.Orders.handle");
    assertThat(reducer.stackKey(List.of("jdk.jfr.internal.X.y", "dev.presize.core.sampling.Sampler.tick",
        "java.lang.Thread.run"))).isNull();
    assertThat(reducer.stackKey(List.of("com.acme.Only.one"))).isEqualTo("com.acme.Only.one");
  }

  @Test
  @DisplayName("the hottest key of a window becomes the phase when a later window starts; ids map back to keys")
  void hottestKeyWins() {
    reducer.add(0, "a.A.alpha");
    reducer.add(10, "a.A.alpha");
    reducer.add(20, "b.B.beta");
    assertThat(reducer.phase()).as("window still open").isZero();
    reducer.add(WINDOW + 1, "b.B.beta");
    assertThat(reducer.phase()).isEqualTo(PhaseReducer.phaseId("a.A.alpha"));
    reducer.add(2 * WINDOW, "b.B.beta");
    assertThat(reducer.phase()).isEqualTo(PhaseReducer.phaseId("b.B.beta"));
    assertThat(reducer.phaseNames()).containsEntry(PhaseReducer.phaseId("a.A.alpha"), "a.A.alpha")
        .containsEntry(PhaseReducer.phaseId("b.B.beta"), "b.B.beta");
  }

  @Test
  @DisplayName("a flush publishes the open window; a flush with no samples since the last one means idle (0)")
  void flushAndIdle() {
    reducer.add(5, "a.A.alpha");
    reducer.flush();
    assertThat(reducer.phase()).isEqualTo(PhaseReducer.phaseId("a.A.alpha"));
    reducer.flush();
    assertThat(reducer.phase()).isZero();
    reducer.add(WINDOW * 3, null); // only JDK frames: sampled, but no application phase
    reducer.flush();
    assertThat(reducer.phase()).isZero();
  }

  @Test
  @DisplayName("phase ids are stable, 16-bit and never 0")
  void ids() {
    assertThat(PhaseReducer.phaseId("a.A.alpha")).isEqualTo(PhaseReducer.phaseId("a.A.alpha")).isBetween(1L, 65_535L);
    for (int i = 0; i < 10_000; i++) {
      assertThat(PhaseReducer.phaseId("k" + i)).isBetween(1L, 65_535L);
    }
  }
}
