package dev.presize.core.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.presize.core.trace.TraceDamagedException.Damage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceDamageTest {

  @TempDir Path dir;

  /** The offsets of every chunk of a trace file, found by walking the frames (test-side, independent of the reader). */
  private static List<Integer> chunkOffsets(byte[] file) {
    int headerLength = ByteBuffer.wrap(file, 12, 4).getInt();
    int at = 16 + headerLength + 4;
    List<Integer> offsets = new ArrayList<>();
    while (at < file.length) {
      offsets.add(at);
      at += 9 + ByteBuffer.wrap(file, at + 1, 4).getInt();
    }
    return offsets;
  }

  private static int dataStart(byte[] file) {
    return 16 + ByteBuffer.wrap(file, 12, 4).getInt() + 4;
  }

  private Path write(byte[] bytes) throws IOException {
    Path p = dir.resolve("damaged.trace");
    Files.write(p, bytes);
    return p;
  }

  /** Asserts the partial data is exactly the first samples of {@code s}, i.e. no wrong value was delivered. */
  private static void assertPrefix(TraceData partial, Traces.Samples s) {
    int n = partial.sampleCount();
    assertThat(n).isLessThanOrEqualTo(s.size());
    assertThat(partial.timestampsNanos()).containsExactly(Arrays.copyOf(s.timestampsNanos(), n));
    for (int c = 0; c < s.columns(); c++) {
      for (int i = 0; i < n; i++) {
        assertThat(partial.columns()[c][i]).as("sample %d column %d", i, c).isEqualTo(s.values()[i][c]);
      }
    }
  }

  @Test
  @DisplayName("a trace cut at any byte offset yields a prefix of its samples then a clear error, never a wrong value")
  void truncatedAtEveryOffset() throws Exception {
    Traces.Samples s = Traces.random(1, 30, 3);
    Path full = dir.resolve("full.trace");
    Traces.write(full, Traces.header(3), s, 4, Map.of("exit.code", "0"));
    byte[] bytes = Files.readAllBytes(full);
    int dataStart = dataStart(bytes);
    int previousPrefix = 0;

    for (int length = 0; length < bytes.length; length++) {
      Path cut = write(Arrays.copyOf(bytes, length));
      Throwable t = catchThrowableOfType(TraceFormatException.class, () -> TraceReader.readAll(cut));
      assertThat(t).as("cut at %d of %d", length, bytes.length).isNotNull();
      assertThat(t.getMessage()).contains(cut.toString());
      if (length < dataStart) {
        assertThat(t).as("cut at %d, inside the header", length).isNotInstanceOf(TraceDamagedException.class);
        assertThat(t.getMessage()).contains("ends inside the");
        continue;
      }
      TraceDamagedException e = (TraceDamagedException) t;
      TraceData partial = e.partial().orElseThrow();
      assertPrefix(partial, s);
      assertThat(e.samplesRead()).isEqualTo(partial.sampleCount());
      assertThat(partial.sampleCount()).as("samples never go back as the file grows")
          .isGreaterThanOrEqualTo(previousPrefix);
      previousPrefix = partial.sampleCount();
      assertThat(e.damage()).isIn(Damage.TRUNCATED, Damage.MISSING_END);
      assertThat(e.getMessage()).contains("at byte " + e.byteOffset()).contains("chunk " + e.chunkIndex())
          .contains("after " + e.samplesRead() + " good samples");
      if (e.damage() == Damage.MISSING_END) {
        assertThat(e.getMessage()).contains("without its end marker");
        assertThat(e.byteOffset()).isEqualTo(length);
      } else {
        assertThat(e.getMessage()).contains("unexpected end of file");
      }
    }
    assertThat(TraceReader.readAll(full).sampleCount()).isEqualTo(30);
  }

  @Test
  @DisplayName("a large trace cut at sampled offsets yields the samples of every whole chunk before the cut")
  void largeTraceTruncatedAtSampledOffsets() throws Exception {
    Traces.Samples s = Traces.random(2, 20_000, 10);
    Path full = dir.resolve("full.trace");
    Traces.write(full, Traces.header(10), s, 256, Map.of());
    byte[] bytes = Files.readAllBytes(full);
    List<Integer> chunks = chunkOffsets(bytes);
    SplittableRandom rnd = new SplittableRandom(3);

    for (int k = 0; k < 200; k++) {
      int length = rnd.nextInt(dataStart(bytes), bytes.length);
      TraceDamagedException e = catchThrowableOfType(TraceDamagedException.class,
          () -> TraceReader.readAll(write(Arrays.copyOf(bytes, length))));
      TraceData partial = e.partial().orElseThrow();
      assertPrefix(partial, s);
      long wholeChunks = chunks.stream().filter(off -> off < length).count() - 1;
      if (chunks.contains(length)) {
        wholeChunks++;
      }
      long expected = Math.min(s.size(), 256 * wholeChunks);
      assertThat(partial.sampleCount()).as("cut at %d", length).isEqualTo(expected);
      assertThat(e.chunkIndex()).isEqualTo(Math.min(wholeChunks, chunks.size() - 1));
    }
  }

  @Test
  @DisplayName("a flipped payload byte is a CRC mismatch naming the chunk, its offset and the samples read before it")
  void flippedPayloadByte() throws Exception {
    Traces.Samples s = Traces.random(4, 100, 5);
    Path full = dir.resolve("full.trace");
    Traces.write(full, Traces.header(5), s, 10, Map.of());
    byte[] bytes = Files.readAllBytes(full);
    int chunk3 = chunkOffsets(bytes).get(3);
    bytes[chunk3 + 9 + 12] ^= 0x10;
    Path damaged = write(bytes);

    try (TraceReader r = TraceReader.open(damaged)) {
      for (int i = 0; i < 30; i++) {
        assertThat(r.next()).isTrue();
        assertThat(r.timestampNanos()).isEqualTo(s.timestampsNanos()[i]);
      }
      TraceDamagedException e = catchThrowableOfType(TraceDamagedException.class, r::next);
      assertThat(e.damage()).isEqualTo(Damage.CRC_MISMATCH);
      assertThat(e.chunkIndex()).isEqualTo(3);
      assertThat(e.byteOffset()).isEqualTo(chunk3);
      assertThat(e.samplesRead()).isEqualTo(30);
      assertThat(e.file()).isEqualTo(damaged);
      assertThat(e.getMessage()).contains(damaged.toString()).contains("CRC32 mismatch").contains("chunk 3")
          .contains("at byte " + chunk3).contains("after 30 good samples");
      assertThatThrownBy(r::timestampNanos).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  @DisplayName("any flipped byte of a chunk, frame included, is reported at that chunk, after the samples before")
  void everyFlippedByteOfAChunk() throws Exception {
    Traces.Samples s = Traces.random(5, 40, 4);
    Path full = dir.resolve("full.trace");
    Traces.write(full, Traces.header(4), s, 10, Map.of());
    byte[] original = Files.readAllBytes(full);
    List<Integer> chunks = chunkOffsets(original);

    for (int at = chunks.get(2); at < chunks.get(3); at++) {
      for (int bit : new int[] {0x01, 0x80}) {
        byte[] bytes = original.clone();
        bytes[at] ^= (byte) bit;
        TraceDamagedException e =
            catchThrowableOfType(TraceDamagedException.class, () -> TraceReader.readAll(write(bytes)));
        assertThat(e).as("flip 0x%02x at %d", bit, at).isNotNull();
        assertThat(e.chunkIndex()).as("flip at %d: %s", at, e.getMessage()).isEqualTo(2);
        assertThat(e.samplesRead()).isEqualTo(20);
        assertPrefix(e.partial().orElseThrow(), s);
        assertThat(e.partial().orElseThrow().sampleCount()).isEqualTo(20);
      }
    }
  }

  @Test
  @DisplayName("any flipped byte of the header is refused as a format error before any sample is read")
  void everyFlippedHeaderByte() throws Exception {
    Path full = dir.resolve("full.trace");
    Traces.write(full, Traces.header(2), Traces.random(6, 5, 2), 10, Map.of());
    byte[] original = Files.readAllBytes(full);

    for (int at = 0; at < dataStart(original); at++) {
      byte[] bytes = original.clone();
      bytes[at] ^= 0x04;
      Path damaged = write(bytes);
      assertThatThrownBy(() -> TraceReader.open(damaged).close()).as("flip at %d", at)
          .isInstanceOf(TraceFormatException.class)
          .isNotInstanceOf(TraceDamagedException.class)
          .hasMessageContaining(damaged.toString());
    }
  }

  @Test
  @DisplayName("a trace that ends cleanly between chunks without its end chunk is reported, never silently complete")
  void missingEnd() throws Exception {
    Traces.Samples s = Traces.random(7, 25, 2);
    Path full = dir.resolve("full.trace");
    Traces.write(full, Traces.header(2), s, 10, Map.of("exit.code", "0"));
    byte[] bytes = Files.readAllBytes(full);
    List<Integer> chunks = chunkOffsets(bytes);
    Path crashed = write(Arrays.copyOf(bytes, chunks.get(chunks.size() - 1)));

    try (TraceReader r = TraceReader.open(crashed)) {
      assertThatThrownBy(r::requireComplete).isInstanceOf(IllegalStateException.class);
      int n = 0;
      while (r.next()) {
        n++;
      }
      assertThat(n).isEqualTo(25);
      assertThat(r.complete()).isFalse();
      assertThat(r.footer()).isEmpty();
      assertThatThrownBy(r::requireComplete)
          .isInstanceOfSatisfying(TraceDamagedException.class,
              e -> assertThat(e.damage()).isEqualTo(Damage.MISSING_END))
          .hasMessageContaining("trace ends after 25 samples without its end marker: the writer did not finish"
              + " (crash or still writing)");
    }
    TraceDamagedException e = catchThrowableOfType(TraceDamagedException.class, () -> TraceReader.readAll(crashed));
    assertThat(e.partial().orElseThrow().sampleCount()).isEqualTo(25);
    assertThat(e.partial().orElseThrow().complete()).isFalse();
  }

  @Test
  @DisplayName("bytes after the end chunk are reported after every sample and the footer were read")
  void trailingBytes() throws Exception {
    Traces.Samples s = Traces.random(8, 12, 2);
    Path full = dir.resolve("full.trace");
    Traces.write(full, Traces.header(2), s, 5, Map.of("exit.code", "0"));
    byte[] bytes = Arrays.copyOf(Files.readAllBytes(full), (int) Files.size(full) + 3);

    TraceDamagedException e =
        catchThrowableOfType(TraceDamagedException.class, () -> TraceReader.readAll(write(bytes)));

    assertThat(e.damage()).isEqualTo(Damage.MALFORMED);
    assertThat(e.getMessage()).contains("3 bytes follow the end chunk");
    assertThat(e.partial().orElseThrow().sampleCount()).isEqualTo(12);
    assertThat(e.partial().orElseThrow().footer()).containsEntry("exit.code", "0");
  }

  /** A chunk frame with a correct CRC around {@code payload}. */
  private static byte[] chunk(byte type, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(9 + payload.length);
    b.put(type).putInt(payload.length);
    CRC32 crc = new CRC32();
    crc.update(b.array(), 0, 5);
    crc.update(payload);
    b.putInt((int) crc.getValue()).put(payload);
    return b.array();
  }

  private static byte[] insert(byte[] into, int at, byte[] what) {
    byte[] out = new byte[into.length + what.length];
    System.arraycopy(into, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(into, at, out, at + what.length, into.length - at);
    return out;
  }

  @Test
  @DisplayName("event chunks and chunk types from newer minor versions are skipped by their length")
  void unknownChunksSkipped() throws Exception {
    Traces.Samples s = Traces.random(9, 30, 3);
    Path full = dir.resolve("full.trace");
    Traces.write(full, Traces.header(3), s, 10, Map.of("exit.code", "0"));
    byte[] bytes = Files.readAllBytes(full);
    int chunk1 = chunkOffsets(bytes).get(1);
    byte[] extended = insert(bytes, chunk1, chunk((byte) 'V', "resize memory=1Gi".getBytes()));
    extended = insert(extended, chunk1, chunk((byte) 0x00, new byte[100]));
    extended = insert(extended, chunk1, chunk((byte) 'x', new byte[0]));

    TraceData data = TraceReader.readAll(write(extended));

    assertThat(data.complete()).isTrue();
    assertPrefix(data, s);
    assertThat(data.sampleCount()).isEqualTo(30);
  }

  @Test
  @DisplayName("a samples chunk with a good CRC but an undecodable payload is MALFORMED, naming the chunk")
  void malformedPayload() throws Exception {
    Traces.Samples s = Traces.random(10, 20, 3);
    Path full = dir.resolve("full.trace");
    Traces.write(full, Traces.header(3), s, 10, Map.of());
    byte[] bytes = Files.readAllBytes(full);
    int chunk1 = chunkOffsets(bytes).get(1);
    byte[] garbage = new byte[40];
    ByteBuffer.wrap(garbage).putInt(5).putInt(100);
    Arrays.fill(garbage, 8, 40, (byte) 0x5A);
    byte[] bad = insert(bytes, chunk1, chunk((byte) 'S', garbage));

    TraceDamagedException e = catchThrowableOfType(TraceDamagedException.class, () -> TraceReader.readAll(write(bad)));

    assertThat(e.damage()).isEqualTo(Damage.MALFORMED);
    assertThat(e.chunkIndex()).isEqualTo(1);
    assertThat(e.samplesRead()).isEqualTo(10);
    assertThat(e.getMessage()).contains("passes its CRC but does not decode");
  }

  @Test
  @DisplayName("a file that is not a trace is refused naming the file and its first bytes")
  void badMagic() throws Exception {
    Path notATrace = write("{\"json\": \"not a trace\"}".getBytes());

    assertThatThrownBy(() -> TraceReader.open(notATrace))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageContaining(notATrace.toString())
        .hasMessageContaining("not a Presize trace")
        .hasMessageContaining("7b226a736f6e223a");
  }

  @Test
  @DisplayName("a trace of a newer major format version is refused, asking for an upgrade")
  void futureVersionRefused() throws Exception {
    Path full = dir.resolve("full.trace");
    Traces.write(full, Traces.header(2), Traces.random(11, 5, 2), 10, Map.of());
    byte[] bytes = Files.readAllBytes(full);
    bytes[8] = 0;
    bytes[9] = 2;
    bytes[11] = 7;
    Path future = write(bytes);

    assertThatThrownBy(() -> TraceReader.open(future))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageContaining(future.toString())
        .hasMessageContaining("unsupported format version 2.7, newer than this reader, which reads 1.x")
        .hasMessageContaining("upgrade Presize");
  }

  @Test
  @DisplayName("an empty file is refused as a trace whose header is not written yet")
  void emptyFile() throws Exception {
    Path empty = write(new byte[0]);

    assertThatThrownBy(() -> TraceReader.open(empty))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageContaining("ends inside the preamble after 0 of 16 bytes");
  }
}
