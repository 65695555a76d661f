package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.core.trace.TraceHeader;
import dev.presize.core.trace.TraceWriter;
import dev.presize.spi.metrics.Metric;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code presize trace}: a trace's header and columns for people, or its samples as CSV. */
class TraceCommandTest {

  @TempDir Path dir;

  /** 1000 samples at 10 ms: RSS rising 1 MiB a sample from 100 MiB, user CPU 5 ms a sample. */
  private Path trace(String name, boolean finish) throws IOException {
    Path file = dir.resolve(name);
    TraceHeader header = TraceHeader.builder("orders-api", Metric.PROC_RSS_BYTES, Metric.PROC_CPU_USER_NANOS)
        .command(List.of("java", "-jar", "orders.jar")).inputSizeBytes(4096).limit("memory.limit", "536870912")
        .hostName("h1").samplingInterval(Duration.ofMillis(10)).startTime(Instant.parse("2026-11-25T03:00:00Z"))
        .build();
    TraceWriter writer = TraceWriter.create(file, header);
    for (int i = 0; i < 1000; i++) {
      writer.append(i * 10_000_000L, new long[] {(100L << 20) + ((long) i << 20), i * 5_000_000L});
    }
    if (finish) {
      writer.close(Map.of("exit.code", "0"));
    } else {
      writer.flush(); // the writer "crashed": no end chunk
    }
    return file;
  }

  @Test
  @DisplayName("the summary names what ran and where, gauges in their units, counters as increase and rate")
  void summary() throws IOException {
    Path file = trace("a.pstrace", true);
    CliRun r = CliRun.of("trace", file.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("function   orders-api", "command    java -jar orders.jar", "input      4Ki",
        "host       h1, started 2026-11-25T03:00:00Z, a sample every 10ms", "limit      memory.limit = 536870912",
        "samples    1000 over 9.99 s, complete (exit.code=0)");
    // RSS 100Mi..1099Mi, mean 599.5Mi; CPU +4.995 s over 9.99 s = 0.5 s/s
    assertThat(r.out()).containsPattern("proc\\.rss +bytes +100Mi +600Mi +1\\.07Gi +1\\.07Gi")
        .containsPattern("proc\\.cpu\\.user +nanoseconds +4\\.995 s +0\\.500 s/s");
  }

  @Test
  @DisplayName("--csv writes seconds and the raw values of the chosen columns, every N-th sample")
  void csv() throws IOException {
    Path file = trace("a.pstrace", true);
    CliRun r = CliRun.of("trace", file.toString(), "--csv", "--columns", "proc.cpu.user,proc.rss", "--every", "100");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(11).first().isEqualTo("seconds,proc.cpu.user,proc.rss");
    assertThat(lines.get(2)).isEqualTo("1.000,500000000," + ((200L << 20)));
    CliRun unknown = CliRun.of("trace", file.toString(), "--columns", "proc.rss,nope");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("--columns: no column 'nope' in this trace; it has proc.rss, proc.cpu.user");
  }

  @Test
  @DisplayName("an unfinished trace (no end chunk, or its last chunk cut) is shown as far as written; a damaged one"
      + " too, then exit 1; not a trace: exit 2")
  void badFiles() throws IOException {
    CliRun live = CliRun.of("trace", trace("live.pstrace", false).toString());
    assertThat(live.exit()).as(live.err()).isZero();
    assertThat(live.out()).contains("samples    1000 over 9.99 s, no end marker: the writer crashed or is still"
        + " writing");
    Path cutShort = trace("cut.pstrace", true);
    try (FileChannel ch = FileChannel.open(cutShort, StandardOpenOption.WRITE)) {
      ch.truncate(Files.size(cutShort) - 40); // into the last samples chunk: as a writer caught mid-chunk leaves it
    }
    CliRun cut = CliRun.of("trace", cutShort.toString());
    assertThat(cut.exit()).as(cut.err()).isZero();
    assertThat(cut.out()).containsPattern("samples    [0-9]+ over [0-9.]+ s, then a chunk not yet whole: the writer"
        + " crashed or is still writing");
    Path damaged = trace("damaged.pstrace", true);
    byte[] bytes = Files.readAllBytes(damaged);
    bytes[bytes.length - 60] ^= 0x5a; // a flipped byte inside the last samples chunk: its CRC no longer matches
    Files.write(damaged, bytes);
    CliRun bad = CliRun.of("trace", damaged.toString());
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.out()).contains("damaged after this (see below)").containsPattern("samples    [0-9]+ over");
    assertThat(bad.err()).startsWith("presize trace: ").contains(damaged.toString());
    Path text = Files.writeString(dir.resolve("notes.pstrace"), "hello");
    CliRun notTrace = CliRun.of("trace", text.toString());
    assertThat(notTrace.exit()).isEqualTo(2);
    assertThat(notTrace.err()).contains("not a Presize trace");
    CliRun missing = CliRun.of("trace", dir.resolve("none.pstrace").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("none.pstrace: no such file");
    assertThat(CliRun.of("trace", text.toString(), text.toString(), "--csv").err()).contains("--csv takes one FILE");
  }

  @Test
  @DisplayName("a real trace of the checked-in corpus reads whole")
  void corpusTrace() {
    Path file = Path.of("..", "data", "corpus", "traces", "sort-array-s250000-r0.pstrace");
    CliRun r = CliRun.of("trace", file.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("function   sort-array", "complete", "cgroup.memory.usage", "GAUGE", "COUNTER");
  }
}
