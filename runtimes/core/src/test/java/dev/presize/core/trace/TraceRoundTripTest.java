package dev.presize.core.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.spi.metrics.Metric;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceRoundTripTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} samples per chunk")
  @ValueSource(ints = {1, 7, 256, 65_536})
  @DisplayName("thousands of samples of many columns, Long.MIN/MAX and negative deltas included, read back exactly")
  void roundTrip(int samplesPerChunk) throws Exception {
    Traces.Samples s = Traces.random(42 + samplesPerChunk, 5_000, 40);
    TraceHeader header = Traces.header(40);
    Path file = dir.resolve("t.trace");
    Traces.write(file, header, s, samplesPerChunk, Map.of("exit.code", "0"));

    try (TraceReader r = TraceReader.open(file)) {
      assertThat(r.header()).isEqualTo(header);
      long[] row = new long[40];
      for (int i = 0; i < s.size(); i++) {
        assertThat(r.next()).as("sample %d", i).isTrue();
        assertThat(r.timestampNanos()).as("timestamp %d", i).isEqualTo(s.timestampsNanos()[i]);
        r.copyValues(row);
        assertThat(row).as("sample %d", i).containsExactly(s.values()[i]);
        assertThat(r.value(39)).isEqualTo(s.values()[i][39]);
      }
      assertThat(r.complete()).as("complete before the end").isFalse();
      assertThat(r.footer()).as("footer before the end chunk").isEmpty();
      assertThat(r.next()).isFalse();
      assertThat(r.next()).as("next() after the end stays false").isFalse();
      assertThat(r.complete()).isTrue();
      assertThat(r.footer()).containsExactly(Map.entry("exit.code", "0"));
      assertThat(r.samplesRead()).isEqualTo(5_000);
      r.requireComplete();
    }
  }

  @Test
  @DisplayName("readAll returns header, footer, timestamps and columns; a column is found by its metric key")
  void readAll() throws Exception {
    Traces.Samples s = Traces.random(7, 1_000, 3);
    TraceHeader header = TraceHeader.builder("fn", Metric.PROC_RSS_BYTES, Metric.PROC_CPU_USER_NANOS,
        Metric.CODE_PHASE).build();
    Path file = dir.resolve("t.trace");
    Traces.write(file, header, s, 100, Map.of("exit.code", "3", "summary", "peak rss 1Gi"));

    TraceData data = TraceReader.readAll(file);

    assertThat(data.header()).isEqualTo(header);
    assertThat(data.complete()).isTrue();
    assertThat(data.footer()).containsOnly(Map.entry("exit.code", "3"), Map.entry("summary", "peak rss 1Gi"));
    assertThat(data.sampleCount()).isEqualTo(1_000);
    assertThat(data.timestampsNanos()).containsExactly(s.timestampsNanos());
    for (int i = 0; i < 1_000; i++) {
      assertThat(data.column("proc.cpu.user")[i]).isEqualTo(s.values()[i][1]);
      assertThat(data.column(Metric.CODE_PHASE)[i]).isEqualTo(s.values()[i][2]);
    }
    assertThat(data.hasColumn("proc.rss")).isTrue();
    assertThatThrownBy(() -> data.column("jvm.heap.used"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jvm.heap.used")
        .hasMessageContaining("proc.rss");
  }

  @Test
  @DisplayName("every header field round-trips, unicode, empty, '=' and newline command arguments included")
  void headerRoundTrip() throws Exception {
    TraceHeader header = new TraceHeader(TraceFormatVersion.CURRENT, "fn-ünïcödé-函数",
        List.of("python3", "-c", "print('héllo 🌍 世界')", "", "a=b", "line1\nline2", "\u0000nul"),
        OptionalLong.of(123_456_789_012L),
        Map.of("memory.limit", "536870912", "cpu.limit", "1500m", "ключ", "значение"),
        "hôst-🖥",
        Duration.ofNanos(10_000_123),
        Instant.parse("2024-02-29T23:59:59.999999999Z"),
        Metric.SCHEMA_ID,
        List.of("proc.rss", "future.metric.unknown.to.this.version", "cgroup.cpu.usage"),
        Map.of("cgroup.path", "/sys/fs/cgroup/user.slice/fn ☃", "sources", "proc,cgroup", "empty", ""));
    Path file = dir.resolve("h.trace");
    try (TraceWriter w = TraceWriter.create(file, header)) {
      w.append(0, new long[] {1, 2, 3});
    }

    TraceData data = TraceReader.readAll(file);

    assertThat(data.header()).isEqualTo(header);
    assertThat(data.header().command()).containsExactlyElementsOf(header.command());
    assertThat(data.footer()).isEmpty();
    assertThat(data.complete()).isTrue();
  }

  @Test
  @DisplayName("an absent input size stays absent and a trace with no samples reads as complete and empty")
  void emptyTrace() throws Exception {
    TraceHeader header = Traces.header(2);
    Path file = dir.resolve("e.trace");
    TraceWriter.create(file, header).close(Map.of("exit.code", "1"));

    TraceData data = TraceReader.readAll(file);

    assertThat(data.header().inputSizeBytes()).isEmpty();
    assertThat(data.sampleCount()).isZero();
    assertThat(data.complete()).isTrue();
    assertThat(data.footer()).containsExactly(Map.entry("exit.code", "1"));
  }

  @Test
  @DisplayName("reading a value before next() or after the end is an IllegalStateException, not a stale value")
  void noCurrentSample() throws Exception {
    Path file = dir.resolve("n.trace");
    try (TraceWriter w = TraceWriter.create(file, Traces.header(1))) {
      w.append(5, new long[] {9});
    }
    try (TraceReader r = TraceReader.open(file)) {
      assertThatThrownBy(r::timestampNanos).isInstanceOf(IllegalStateException.class).hasMessageContaining("next()");
      assertThat(r.next()).isTrue();
      assertThat(r.value(0)).isEqualTo(9);
      assertThatThrownBy(() -> r.value(1)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> r.copyValues(new long[2]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("2 entries").hasMessageContaining("1 columns");
      assertThat(r.next()).isFalse();
      assertThatThrownBy(r::timestampNanos).isInstanceOf(IllegalStateException.class);
    }
  }
}
