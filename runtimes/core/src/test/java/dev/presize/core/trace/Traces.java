package dev.presize.core.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Test fixtures: headers and sample sets with their expected values. */
final class Traces {

  private Traces() {}

  static List<String> columns(int n) {
    List<String> keys = new ArrayList<>(n);
    for (int c = 0; c < n; c++) {
      keys.add("test.column." + c);
    }
    return keys;
  }

  static TraceHeader header(int columns) {
    return TraceHeader.builder("fn-test", columns(columns))
        .command(List.of("java", "-jar", "fn.jar"))
        .hostName("host-1")
        .samplingInterval(Duration.ofMillis(10))
        .startTime(Instant.parse("2025-01-02T03:04:05.123456789Z"))
        .limit("memory.limit", "512Mi")
        .attribute("cgroup.path", "/sys/fs/cgroup/fn")
        .build();
  }

  /** Samples in memory: timestamps and values[sample][column]. */
  record Samples(long[] timestampsNanos, long[][] values) {
    int size() {
      return timestampsNanos.length;
    }

    int columns() {
      return values.length == 0 ? 0 : values[0].length;
    }
  }

  /** Random samples mixing small deltas, negative deltas, jumps, and Long.MIN_VALUE / MAX_VALUE. */
  static Samples random(long seed, int count, int columns) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] ts = new long[count];
    long[][] values = new long[count][columns];
    long t = 0;
    long[] current = new long[columns];
    for (int i = 0; i < count; i++) {
      t += switch (rnd.nextInt(4)) {
        case 0 -> 0;
        case 1 -> 10_000_000L;
        case 2 -> rnd.nextLong(0, 1_000_000_000L);
        default -> rnd.nextLong(9_000_000L, 11_000_000L);
      };
      ts[i] = t;
      for (int c = 0; c < columns; c++) {
        current[c] = switch (rnd.nextInt(10)) {
          case 0 -> Long.MIN_VALUE;
          case 1 -> Long.MAX_VALUE;
          case 2 -> rnd.nextLong();
          case 3 -> current[c] - rnd.nextLong(0, 1_000_000);
          case 4 -> 0;
          case 5 -> -1;
          default -> current[c] + rnd.nextLong(0, 1_000);
        };
        values[i][c] = current[c];
      }
    }
    return new Samples(ts, values);
  }

  /** Writes the samples, flushing after each index in {@code flushAfter}, and closes with the footer. */
  static void write(Path file, TraceHeader header, Samples s, int samplesPerChunk, Map<String, String> footer)
      throws IOException {
    try (TraceWriter w = TraceWriter.create(file, header, samplesPerChunk)) {
      for (int i = 0; i < s.size(); i++) {
        w.append(s.timestampsNanos()[i], s.values()[i]);
      }
      w.close(footer);
    }
  }
}
