package dev.presize.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.spi.checkpoint.CheckpointException;
import dev.presize.spi.checkpoint.CheckpointManifest;
import dev.presize.spi.checkpoint.CheckpointRequest;
import dev.presize.spi.checkpoint.CheckpointTrigger;
import dev.presize.spi.checkpoint.Checkpointable;
import dev.presize.spi.function.PresizeFunction;
import dev.presize.spi.resources.ResourceProfile;
import dev.presize.workloads.Workload;
import dev.presize.workloads.Workloads;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real checkpointable workloads checkpointed mid-run into the filesystem store and resumed in a new instance. */
class AppStateRoundTripTest {

  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final ResourceProfile PROFILE = ResourceProfile.of(1000, 512L << 20);

  @TempDir
  Path root;

  private final AtomicLong fakeNanos = new AtomicLong();
  private final List<Long> costs = new ArrayList<>();

  private AppStateCheckpointer checkpointer(FileCheckpointStore store) {
    // Every reading of the fake ticker advances it 1 ms: snapshot = 1 ms, snapshot + store = 2 ms.
    return new AppStateCheckpointer(store, () -> fakeNanos.addAndGet(1_000_000), Clock.fixed(T0, ZoneOffset.UTC),
        (fn, inv, from, to) -> Map.of("window-seconds", Long.toString(to.getEpochSecond() - from.getEpochSecond())),
        (m, c) -> costs.add(c));
  }

  /** The next-step index in a workload snapshot's header (magic, name, version, size, seed, step). */
  private static long stepOf(byte[] state) throws Exception {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
    in.readInt();
    in.readUTF();
    in.readInt();
    in.readLong();
    in.readLong();
    return in.readLong();
  }

  private static byte[] stateOf(FileCheckpointStore store, CheckpointManifest m) throws Exception {
    try (InputStream in = store.open(m)) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"matrix-multiply", "graph-pagerank", "sha256-stream"})
  @DisplayName("checkpointed twice mid-run, restored into a new instance, the workload resumes to the uninterrupted result")
  void midRunRoundTrip(String name) throws Exception {
    Workload w = Workloads.byName(name);
    long size = w.sizes().get(2); // big enough for several step boundaries, small enough to run in seconds
    String request = Workloads.request(w, size, 7, Optional.empty());
    String uninterrupted = w.factory().get().invoke(request);

    FileCheckpointStore store = new FileCheckpointStore(root, 5);
    AppStateCheckpointer checkpointer = checkpointer(store);
    PresizeFunction a = w.factory().get();
    checkpointer.attach(name, "inv-1", (Checkpointable) a);
    CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> {
      try {
        return a.invoke(request);
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    });
    CheckpointRequest req = new CheckpointRequest(name, "inv-1", CheckpointTrigger.SCHEDULE, PROFILE, T0.minusSeconds(60));
    CheckpointManifest first = null;
    while (first == null) { // until the invocation has begun (before that there is nothing to snapshot)
      try {
        first = checkpointer.checkpoint(req);
      } catch (CheckpointException e) {
        assertThat(e).hasMessageContaining("nothing to snapshot");
        Thread.onSpinWait();
      }
    }
    CheckpointManifest second = checkpointer.checkpoint(req);
    assertThat(run.get(120, TimeUnit.SECONDS)).isEqualTo(uninterrupted);
    checkpointer.detach(name, "inv-1");

    assertThat(first.sequence()).isEqualTo(1);
    assertThat(second.sequence()).isEqualTo(2);
    assertThat(second.attributes()).containsEntry("checkpointer", "app-state")
        .containsEntry("checkpoint.snapshot-nanos", "1000000").containsEntry("metrics.window-seconds", "60");
    assertThat(costs).containsExactly(2_000_000L, 2_000_000L);
    long step = stepOf(stateOf(store, second));
    assertThat(step).as("second checkpoint taken at a boundary after the first").isGreaterThan(stepOf(stateOf(store, first)));

    PresizeFunction b = w.factory().get();
    assertThat(checkpointer.restore(name, "inv-1", (Checkpointable) b)).contains(second);
    assertThat(b.invoke(request)).isEqualTo(uninterrupted);

    // Damage the newest: the restore falls back to the first checkpoint and still reaches the same result.
    Path state = store.directory(name, "inv-1", 2).resolve("state.bin");
    byte[] bytes = Files.readAllBytes(state);
    bytes[bytes.length - 1] ^= 0x40;
    Files.write(state, bytes);
    PresizeFunction c = w.factory().get();
    assertThat(checkpointer.restore(name, "inv-1", (Checkpointable) c)).contains(first);
    assertThat(c.invoke(request)).isEqualTo(uninterrupted);
  }

  @Test
  @DisplayName("no attached function, no checkpoint to restore, and a state the function refuses are clear errors")
  void errors() throws Exception {
    FileCheckpointStore store = new FileCheckpointStore(root, 5);
    AppStateCheckpointer checkpointer = checkpointer(store);
    CheckpointRequest req = new CheckpointRequest("fn", "inv", CheckpointTrigger.SHUTDOWN, PROFILE, T0);
    assertThatThrownBy(() -> checkpointer.checkpoint(req)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("fn/inv").hasMessageContaining("no Checkpointable function is attached");
    Workload mm = Workloads.byName("matrix-multiply");
    assertThat(checkpointer.restore("fn", "inv", (Checkpointable) mm.factory().get())).isEmpty();

    Workload pr = Workloads.byName("graph-pagerank");
    PresizeFunction p = pr.factory().get();
    p.invoke(Workloads.request(pr, pr.sizes().get(0), 1, Optional.empty()));
    checkpointer.attach("fn", "inv", (Checkpointable) p);
    checkpointer.checkpoint(req);
    assertThatThrownBy(() -> checkpointer.restore("fn", "inv", (Checkpointable) mm.factory().get()))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("refused the state")
        .hasMessageContaining("graph-pagerank");
    assertThatThrownBy(() -> checkpointer.attach("fn", "inv", (Checkpointable) mm.factory().get()))
        .isInstanceOf(IllegalStateException.class);
  }
}
