package dev.presize.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.spi.checkpoint.CheckpointException;
import dev.presize.spi.checkpoint.CheckpointManifest;
import dev.presize.spi.checkpoint.CheckpointTrigger;
import dev.presize.spi.resources.ResourceProfile;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckpointStoreTest {

  @TempDir
  Path root;

  static CheckpointManifest manifest(String inv, long seq, byte[] state) {
    return new CheckpointManifest("fn", inv, seq, Instant.parse("2024-01-01T00:00:0" + (seq % 10) + "Z"),
        CheckpointTrigger.SCHEDULE, ResourceProfile.of(500, 256L << 20), state.length,
        ManifestCodec.sha256Hex(state), Instant.parse("2024-01-01T00:00:00Z"),
        Map.of("checkpointer", "test", "metrics.memory.peak-bytes", "123", "odd=key", "multi\nline %"));
  }

  private static void put(FileCheckpointStore store, int seq) {
    store.put(manifest("inv", seq, state(seq)), new ByteArrayInputStream(state(seq)));
  }

  private static void assertLatest(FileCheckpointStore store, long seq) {
    assertThat(store.latest("fn", "inv")).hasValueSatisfying(m -> assertThat(m.sequence()).isEqualTo(seq));
  }

  static byte[] state(int seq) {
    return ("state number " + seq).repeat(100).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("put then list, latest and open give back the manifest (all fields) and the state, layout as documented")
  void roundTrip() throws Exception {
    FileCheckpointStore store = new FileCheckpointStore(root, 10);
    for (int i = 1; i <= 3; i++) {
      store.put(manifest("inv-1", i, state(i)), new ByteArrayInputStream(state(i)));
    }
    assertThat(store.list("fn", "inv-1")).extracting(CheckpointManifest::sequence).containsExactly(1L, 2L, 3L);
    CheckpointManifest latest = store.latest("fn", "inv-1").orElseThrow();
    assertThat(latest).isEqualTo(manifest("inv-1", 3, state(3)));
    try (InputStream in = store.open(latest)) {
      assertThat(in.readAllBytes()).isEqualTo(state(3));
    }
    Path dir = root.resolve("fn/inv-1/0000000000000000003");
    assertThat(dir.resolve("state.bin")).exists();
    assertThat(dir.resolve("manifest.txt")).content().contains("trigger=SCHEDULE").contains("manifest.sha256=");
    assertThat(store.latest("fn", "other")).isEmpty();
    assertThat(store.highestSequence("fn", "inv-1")).isEqualTo(3);
  }

  @Test
  @DisplayName("a state that does not match its manifest's size or SHA-256 is not stored at all")
  void mismatchStoresNothing() {
    FileCheckpointStore store = new FileCheckpointStore(root, 3);
    CheckpointManifest m = manifest("inv", 1, state(1));
    assertThatThrownBy(() -> store.put(m, new ByteArrayInputStream(state(2))))
        .isInstanceOf(CheckpointException.class).hasMessageContaining("does not match its manifest")
        .hasMessageContaining("nothing was stored");
    assertThat(store.list("fn", "inv")).isEmpty();
    assertThat(root.resolve("fn/inv")).isEmptyDirectory();
    store.put(manifest("inv", 1, state(1)), new ByteArrayInputStream(state(1)));
    assertThatThrownBy(() -> store.put(manifest("inv", 1, state(1)), new ByteArrayInputStream(state(1))))
        .hasMessageContaining("already exists");
  }

  @Test
  @DisplayName("a corrupt or truncated newest checkpoint is refused on open; latest falls back to the previous one and says what it skipped")
  void corruptionFallsBack() throws Exception {
    FileCheckpointStore store = new FileCheckpointStore(root, 10);
    for (int i = 1; i <= 4; i++) {
      store.put(manifest("inv", i, state(i)), new ByteArrayInputStream(state(i)));
    }
    // 4: one flipped bit in the state; 3: truncated state; 2: damaged manifest. 1 is intact.
    Path s4 = store.directory("fn", "inv", 4).resolve("state.bin");
    byte[] b = Files.readAllBytes(s4);
    b[b.length / 2] ^= 1;
    Files.write(s4, b);
    Path s3 = store.directory("fn", "inv", 3).resolve("state.bin");
    Files.write(s3, java.util.Arrays.copyOf(Files.readAllBytes(s3), 10));
    Path m2 = store.directory("fn", "inv", 2).resolve("manifest.txt");
    Files.writeString(m2, Files.readString(m2).replace("trigger=SCHEDULE", "trigger=SHUTDOWN"));

    CheckpointManifest four = manifest("inv", 4, state(4));
    assertThatThrownBy(() -> {
      try (InputStream in = store.open(four)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
    }).isInstanceOf(CheckpointException.class).hasMessageContaining("corrupt").hasMessageContaining("refused")
        .hasMessageContaining("fn/inv#4");
    assertThatThrownBy(() -> store.open(manifest("inv", 3, state(3))).readAllBytes())
        .isInstanceOf(CheckpointException.class).hasMessageContaining("truncated");

    FileCheckpointStore.Lookup lookup = store.latestValid("fn", "inv");
    assertThat(lookup.manifest()).hasValueSatisfying(m -> assertThat(m.sequence()).isEqualTo(1));
    assertThat(lookup.skipped()).hasSize(3);
    assertThat(lookup.skipped().get(0).reason()).contains("corrupt");
    assertThat(lookup.skipped().get(1).reason()).contains("truncated");
    assertThat(lookup.skipped().get(2).reason()).contains("manifest checksum mismatch");
    assertThat(store.latest("fn", "inv")).hasValueSatisfying(m -> assertThat(m.sequence()).isEqualTo(1));
    assertThat(store.list("fn", "inv")).extracting(CheckpointManifest::sequence).containsExactly(1L, 3L, 4L);
  }

  @Test
  @DisplayName("a crash mid-put leaves a .tmp directory that reads ignore and a later put removes once an hour old (a "
      + "younger one may be another process's put under way, and stays); a state-less directory is skipped")
  void interruptedPutIsInvisible() throws Exception {
    FileCheckpointStore store = new FileCheckpointStore(root, 10);
    put(store, 1);
    Path crashed = root.resolve("fn/inv/.tmp-0000000000000000002-abc");
    Files.createDirectories(crashed);
    Files.write(crashed.resolve("state.bin"), state(2));
    java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(Instant.now()
        .minus(FileCheckpointStore.STALE_AFTER).minusSeconds(60));
    Files.setLastModifiedTime(crashed.resolve("state.bin"), old);
    Files.setLastModifiedTime(crashed, old);
    Path writing = root.resolve("fn/inv/.tmp-0000000000000000003-def"); // another process's put, under way
    Files.createDirectories(writing);
    Files.write(writing.resolve("state.bin"), state(3));
    Files.createDirectories(store.directory("fn", "inv", 5)); // a directory with nothing in it
    assertLatest(store, 1);
    put(store, 6);
    assertThat(crashed).doesNotExist();
    assertThat(writing.resolve("state.bin")).exists();
    assertLatest(store, 6);
  }

  @Test
  @DisplayName("the next sequence skips any name already taken (a file named like one, which a put could not "
      + "replace); 19 digits above the largest long are not a sequence and break nothing")
  void highestSequenceOverStrayEntries() throws Exception {
    FileCheckpointStore store = new FileCheckpointStore(root, 10);
    put(store, 1);
    Files.writeString(store.directory("fn", "inv", 3), "not a checkpoint");
    Files.createDirectories(root.resolve("fn/inv/9999999999999999999"));
    assertThat(store.highestSequence("fn", "inv")).isEqualTo(3);
    assertThat(store.list("fn", "inv")).extracting(CheckpointManifest::sequence).containsExactly(1L);
    put(store, 4);
    assertLatest(store, 4);
    assertThat(new FileCheckpointStore(root, 10).highestSequence("fn", "none")).isZero();
  }

  @Test
  @DisplayName("retention keeps the newest N checkpoints per invocation; delete of an absent one is fine")
  void retention() {
    FileCheckpointStore store = new FileCheckpointStore(root, 2);
    for (int i = 1; i <= 5; i++) {
      store.put(manifest("inv", i, state(i)), new ByteArrayInputStream(state(i)));
      store.put(manifest("keep", i, state(i)), new ByteArrayInputStream(state(i)));
    }
    assertThat(store.list("fn", "inv")).extracting(CheckpointManifest::sequence).containsExactly(4L, 5L);
    assertThat(store.list("fn", "keep")).extracting(CheckpointManifest::sequence).containsExactly(4L, 5L);
    store.delete(manifest("inv", 5, state(5)));
    store.delete(manifest("inv", 5, state(5)));
    assertThat(store.list("fn", "inv")).extracting(CheckpointManifest::sequence).containsExactly(4L);
    assertThatThrownBy(() -> new FileCheckpointStore(root, 0)).hasMessageContaining("keepLast");
  }

  @Test
  @DisplayName("ids that could escape the root (.., /, absolute, hidden) are refused naming the bad value")
  void idsValidated() {
    FileCheckpointStore store = new FileCheckpointStore(root, 2);
    for (String bad : new String[] {"..", "../x", "a/b", "/etc", ".hidden", "", "a..b", "x".repeat(129)}) {
      assertThatThrownBy(() -> store.list("fn", bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invocationId").hasMessageContaining("'" + bad + "'");
      assertThatThrownBy(() -> store.latest(bad, "inv")).hasMessageContaining("functionId");
    }
    assertThat(store.list("f.n_1-2", "Inv-9")).isEmpty();
  }
}
