package dev.presize.core.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.presize.core.trace.TraceDamagedException.Damage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceWriterTest {

  private static final System.Logger LOG = System.getLogger(TraceWriterTest.class.getName());

  @TempDir Path dir;

  @Test
  @DisplayName("append rejects a values array whose length is not the column count, naming both")
  void wrongColumnCount() throws Exception {
    try (TraceWriter w = TraceWriter.create(dir.resolve("t.trace"), Traces.header(3))) {
      assertThatThrownBy(() -> w.append(0, new long[2]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("values has 2 entries but the trace has 3 columns");
      assertThat(w.samplesWritten()).isZero();
    }
  }

  @Test
  @DisplayName("append rejects a timestamp before the previous one, and a negative one, naming the values")
  void decreasingTimestamps() throws Exception {
    try (TraceWriter w = TraceWriter.create(dir.resolve("t.trace"), Traces.header(1))) {
      w.append(200, new long[] {1});
      w.append(200, new long[] {1});
      assertThatThrownBy(() -> w.append(199, new long[] {1}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("timestampNanos 199 is before the previous sample's 200");
      assertThatThrownBy(() -> TraceWriter.create(dir.resolve("n.trace"), Traces.header(1)).append(-1, new long[1]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("timestampNanos -1 is negative");
      assertThat(w.samplesWritten()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("a closed writer refuses samples and a second footer; close() again is a no-op")
  void closedWriter() throws Exception {
    TraceWriter w = TraceWriter.create(dir.resolve("t.trace"), Traces.header(1));
    w.close(Map.of("exit.code", "0"));
    w.close();
    assertThatThrownBy(() -> w.append(0, new long[1])).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> w.close(Map.of("a", "b"))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already closed");
  }

  @Test
  @DisplayName("an invalid footer is rejected and leaves the writer open to be closed properly")
  void invalidFooter() throws Exception {
    Path file = dir.resolve("t.trace");
    TraceWriter w = TraceWriter.create(file, Traces.header(1));
    w.append(1, new long[] {1});
    assertThatThrownBy(() -> w.close(Map.of(" ", "x"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("footer keys must not be blank");
    w.close(Map.of("exit.code", "0"));
    assertThat(TraceReader.readAll(file).sampleCount()).isEqualTo(1);
  }

  @Test
  @DisplayName("the writer refuses a header asking for a format version other than the one it writes")
  void otherFormatVersion() {
    TraceHeader old = TraceHeader.builder("fn", List.of("a")).formatVersion(new TraceFormatVersion(1, 9)).build();
    assertThatThrownBy(() -> TraceWriter.create(dir.resolve("t.trace"), old))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("writes format 1.0 but the header asks for 1.9");
  }

  @Test
  @DisplayName("a reader of a trace still being written sees every flushed chunk, and then the end")
  void concurrentReaderSeesFlushedChunks() throws Exception {
    Path file = dir.resolve("live.trace");
    Traces.Samples s = Traces.random(12, 40, 4);
    try (TraceWriter w = TraceWriter.create(file, Traces.header(4), 10);
        TraceReader r = TraceReader.open(file)) {
      assertThat(r.next()).as("nothing written yet").isFalse();
      for (int i = 0; i < 25; i++) {
        w.append(s.timestampsNanos()[i], s.values()[i]);
      }
      assertThat(readAvailable(r, s, 0)).as("two full chunks are written without flush").isEqualTo(20);
      assertThat(r.complete()).isFalse();
      assertThatThrownBy(r::requireComplete).isInstanceOf(TraceDamagedException.class)
          .hasMessageContaining("after 20 samples without its end marker");

      w.flush();
      assertThat(readAvailable(r, s, 20)).as("flush makes the 5 pending samples visible").isEqualTo(5);
      w.flush();
      assertThat(readAvailable(r, s, 25)).as("an empty flush writes nothing").isZero();

      for (int i = 25; i < 40; i++) {
        w.append(s.timestampsNanos()[i], s.values()[i]);
      }
      w.close(Map.of("exit.code", "0"));
      assertThat(readAvailable(r, s, 25)).isEqualTo(15);
      assertThat(r.complete()).isTrue();
      assertThat(r.footer()).containsEntry("exit.code", "0");
      r.requireComplete();
    }
  }

  /** Reads samples until next() is false, checking each against {@code s} from {@code from}; returns the count. */
  private static int readAvailable(TraceReader r, Traces.Samples s, int from) throws Exception {
    int n = 0;
    while (r.next()) {
      assertThat(r.timestampNanos()).isEqualTo(s.timestampsNanos()[from + n]);
      for (int c = 0; c < s.columns(); c++) {
        assertThat(r.value(c)).isEqualTo(s.values()[from + n][c]);
      }
      n++;
    }
    return n;
  }

  @Test
  @DisplayName("a reader thread following a trace written by another thread gets every sample in order")
  void readerThreadFollowsWriterThread() throws Exception {
    Path file = dir.resolve("live.trace");
    Traces.Samples s = Traces.random(13, 3_000, 6);
    TraceWriter w = TraceWriter.create(file, Traces.header(6), 64);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> writer = pool.submit(() -> {
        for (int i = 0; i < s.size(); i++) {
          w.append(s.timestampsNanos()[i], s.values()[i]);
          if (i % 7 == 0) {
            w.flush();
          }
        }
        w.close(Map.of("exit.code", "0"));
        return null;
      });
      Future<List<Long>> reader = pool.submit(() -> {
        List<Long> timestamps = new ArrayList<>();
        int retries = 0;
        try (TraceReader r = TraceReader.open(file)) {
          while (!r.complete()) {
            try {
              while (r.next()) {
                int i = timestamps.size();
                if (r.value(5) != s.values()[i][5]) {
                  throw new AssertionError("sample " + i + " column 5: " + r.value(5));
                }
                timestamps.add(r.timestampNanos());
              }
            } catch (TraceDamagedException e) {
              if (e.damage() != Damage.TRUNCATED) {
                throw e;
              }
              retries++; // A chunk caught mid-write: retrying it is how a reader follows a live trace.
            }
            Thread.onSpinWait();
          }
        }
        LOG.log(System.Logger.Level.INFO, "follow.done samples={0} truncatedRetries={1}", timestamps.size(), retries);
        return timestamps;
      });
      writer.get(30, TimeUnit.SECONDS);
      List<Long> read = reader.get(30, TimeUnit.SECONDS);
      assertThat(read).hasSize(3_000);
      for (int i = 0; i < read.size(); i++) {
        assertThat(read.get(i)).isEqualTo(s.timestampsNanos()[i]);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** 10,000 samples of 20 slowly rising counters at a jittered 10 ms interval. */
  private static Traces.Samples slowCounters() {
    SplittableRandom rnd = new SplittableRandom(14);
    int n = 10_000;
    long[] ts = new long[n];
    long[][] values = new long[n][20];
    long[] counters = new long[20];
    for (int c = 0; c < 20; c++) {
      counters[c] = rnd.nextLong(0, 1L << 40);
    }
    for (int i = 0; i < n; i++) {
      ts[i] = i * 10_000_000L + rnd.nextLong(0, 50_000);
      for (int c = 0; c < 20; c++) {
        // Most counters move by a few units a tick, some by up to ~4k, a few not at all.
        if (c % 5 != 4) {
          counters[c] += rnd.nextInt(1 << (c % 13));
        }
        values[i][c] = counters[c];
      }
    }
    return new Traces.Samples(ts, values);
  }

  @Test
  @DisplayName("10,000 samples of 20 slowly changing counters take well under 10 bytes per sample-column")
  void compact() throws Exception {
    Path file = dir.resolve("compact.trace");
    Traces.Samples s = slowCounters();
    Traces.write(file, Traces.header(20), s, TraceWriter.DEFAULT_SAMPLES_PER_CHUNK, Map.of("exit.code", "0"));

    long bytes = Files.size(file);
    double perSample = bytes / 10_000.0;
    double perValue = perSample / 20;
    LOG.log(System.Logger.Level.INFO, "trace.size bytes={0} perSample={1} perSampleColumn={2}",
        bytes, perSample, perValue);
    System.out.printf("compactness: %d bytes, %.2f bytes/sample, %.3f bytes/sample-column%n",
        bytes, perSample, perValue);
    assertThat(perValue).as("bytes per sample-column").isLessThan(1.5);
    assertThat(TraceReader.readAll(file).column("test.column.12")).containsExactly(columnOf(s, 12));
  }

  private static long[] columnOf(Traces.Samples s, int c) {
    long[] col = new long[s.size()];
    for (int i = 0; i < col.length; i++) {
      col[i] = s.values()[i][c];
    }
    return col;
  }

  @Test
  @DisplayName("append does not allocate after warm-up: 10,000 appends, chunks written, allocate under 64 KiB")
  void appendDoesNotAllocate() throws Exception {
    java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
    assumeThat(plain).as("this JVM's ThreadMXBean measures allocation")
        .isInstanceOf(com.sun.management.ThreadMXBean.class);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) plain;
    assumeThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled())
        .as("thread allocation measurement supported and enabled").isTrue();
    Traces.Samples s = slowCounters();
    long[] row = new long[20];
    try (TraceWriter w = TraceWriter.create(dir.resolve("alloc.trace"), Traces.header(20))) {
      long t = 0;
      for (int i = 0; i < 5 * TraceWriter.DEFAULT_SAMPLES_PER_CHUNK; i++) {
        System.arraycopy(s.values()[i], 0, row, 0, 20);
        w.append(t += 10_000_000L, row);
      }
      w.flush();

      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 10_000; i++) {
        long[] src = s.values()[i];
        for (int c = 0; c < 20; c++) {
          row[c] = src[c];
        }
        w.append(t += 10_000_000L, row);
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;

      long probeBefore = threads.getCurrentThreadAllocatedBytes();
      long[] probe = new long[16 * 1024];
      long probed = threads.getCurrentThreadAllocatedBytes() - probeBefore;
      assertThat(probed).as("the probe sees a 128 KiB array (%d longs)", probe.length)
          .isGreaterThanOrEqualTo(128 * 1024);

      System.out.printf("allocation: %d bytes for 10,000 appends (%d chunks)%n", allocated, 10_000 / 256);
      assertThat(allocated).as("bytes allocated by 10,000 appends").isLessThan(64 * 1024);
    }
  }
}
