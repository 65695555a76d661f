package dev.presize.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Snapshot on another thread mid-run, restore into a new instance, and the result is the uninterrupted one. */
class CheckpointTest {

  static Stream<Workload> checkpointable() {
    return Workloads.all().stream().filter(Workload::checkpointable);
  }

  private static SteppedFunction fresh(Workload w) {
    return (SteppedFunction) w.factory().get();
  }

  private static String request(Workload w, long seed) {
    return Workloads.request(w, w.sizes().get(0), seed, Optional.empty());
  }

  private static byte[] snapshot(SteppedFunction function) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    function.snapshot(out);
    return out.toByteArray();
  }

  private static long stepOf(Workload w, byte[] snapshot) throws Exception {
    return CheckpointHeader.read(new DataInputStream(new ByteArrayInputStream(snapshot)), w.name(), 1).step();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("checkpointable")
  @DisplayName("a snapshot taken from another thread mid-run, restored into a new instance, finishes with the uninterrupted result")
  void midRunSnapshotResumes(Workload w) throws Exception {
    String request = request(w, 3);
    String uninterrupted = w.factory().get().invoke(request);

    SteppedFunction b = fresh(w);
    b.gate.holdAtStepForSnapshot(2); // B waits at its second boundary until the snapshot below is requested
    CompletableFuture<String> runB = CompletableFuture.supplyAsync(() -> {
      try {
        return b.invoke(request);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    assertThat(b.gate.awaitSteps(1, Duration.ofSeconds(30))).as("B passed its first boundary").isTrue();
    byte[] state = snapshot(b);
    assertThat(runB.get(60, TimeUnit.SECONDS)).isEqualTo(uninterrupted);
    long finalStep = stepOf(w, snapshot(b));
    assertThat(stepOf(w, state)).as("taken at a boundary strictly inside the run").isPositive().isLessThan(finalStep);

    SteppedFunction c = fresh(w);
    c.restore(new ByteArrayInputStream(state));
    assertThat(c.invoke(request)).isEqualTo(uninterrupted);
    assertThat(c.gate.steps()).as("resumed, not restarted").isLessThan(b.gate.steps());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("checkpointable")
  @DisplayName("a snapshot of a finished run restores to the same result; one taken while it runs waits for a boundary")
  void finishedAndUnheldSnapshots(Workload w) throws Exception {
    String request = request(w, 4);
    SteppedFunction a = fresh(w);
    String result = a.invoke(request);
    SteppedFunction restored = fresh(w);
    restored.restore(new ByteArrayInputStream(snapshot(a)));
    assertThat(restored.invoke(request)).isEqualTo(result);

    SteppedFunction b = fresh(w);
    CompletableFuture<String> runB = CompletableFuture.supplyAsync(() -> {
      try {
        return b.invoke(request);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    assertThat(b.gate.awaitSteps(1, Duration.ofSeconds(30))).isTrue();
    byte[] state = snapshot(b); // at the next boundary, or the final state if B finished meanwhile
    assertThat(runB.get(60, TimeUnit.SECONDS)).isEqualTo(result);
    SteppedFunction c = fresh(w);
    c.restore(new ByteArrayInputStream(state));
    assertThat(c.invoke(request)).isEqualTo(result);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("checkpointable")
  @DisplayName("a snapshot is refused for another request (naming size and seed) and for another workload; none exists before a run")
  void refusals(Workload w) throws Exception {
    SteppedFunction a = fresh(w);
    assertThatThrownBy(() -> snapshot(a)).isInstanceOf(IllegalStateException.class);
    a.invoke(request(w, 5));
    byte[] state = snapshot(a);

    SteppedFunction other = fresh(w);
    other.restore(new ByteArrayInputStream(state));
    assertThatThrownBy(() -> other.invoke(request(w, 6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seed=5")
        .hasMessageContaining("seed=6")
        .hasMessageContaining("size=" + w.sizes().get(0));
    assertThat(snapshot(other)).as("a restored state is snapshotted back unchanged").isEqualTo(state);

    Workload different = checkpointable().filter(x -> !x.name().equals(w.name())).findFirst().orElseThrow();
    assertThatThrownBy(() -> fresh(different).restore(new ByteArrayInputStream(state)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(w.name())
        .hasMessageContaining(different.name());
    assertThatThrownBy(() -> fresh(w).restore(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Presize workload snapshot");
  }
}
