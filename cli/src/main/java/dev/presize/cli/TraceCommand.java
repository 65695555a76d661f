package dev.presize.cli;

import dev.presize.core.trace.TraceDamagedException;
import dev.presize.core.trace.TraceFormatException;
import dev.presize.core.trace.TraceHeader;
import dev.presize.core.trace.TraceReader;
import dev.presize.spi.config.Quantities;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricKind;
import dev.presize.spi.metrics.MetricUnit;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code presize trace FILE}: what a {@code .pstrace} holds, for people (header and a summary of every column) or
 * as CSV for a plotting tool, without writing Java against {@code TraceReader}.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
    description = {"Shows a trace (.pstrace of presize record, run or record-suite): what ran, where and under which"
        + " limits, how it ended, and per column its unit and min / mean / max / last (gauges) or its increase and"
        + " mean rate (counters), leaving out -1 (a value a source could not read). With --csv, every sample as CSV"
        + " instead: seconds since the start, then the raw"
        + " values of each column (bytes, nanoseconds, ... as the header line names them)."},
    footer = {"", "Examples:", "  presize trace traces/sh-20261124-015750-15425.pstrace",
        "  presize trace run.pstrace --csv --columns cgroup.memory.usage,cgroup.memory.limit > memory.csv",
        "", "Exit 0; 1 when a trace is damaged (what was read before the damage is shown); 2 when a FILE is missing,"
        + " not a trace or of a format version this Presize does not read."})
final class TraceCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Trace files.")
  List<Path> files = new ArrayList<>();

  @Option(names = "--csv", description = "Every sample as CSV on stdout (one FILE).")
  boolean csv;

  @Option(names = "--columns", paramLabel = "KEY,...", split = ",",
      description = "Only these columns (metric keys as the summary lists them), in this order.")
  List<String> columns;

  @Option(names = "--every", paramLabel = "N", defaultValue = "1",
      description = "With --csv, every N-th sample only (default: ${DEFAULT-VALUE}).")
  int every;

  @Override
  public Integer call() throws IOException {
    CommandLine cl = spec.commandLine();
    if (every < 1) {
      throw new UsageError(cl, "--every must be >= 1, was " + every);
    }
    if (csv && files.size() != 1) {
      throw new UsageError(cl, "--csv takes one FILE, got " + files.size());
    }
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new UsageError(cl, file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
      }
    }
    PrintWriter out = cl.getOut();
    int exit = 0;
    for (int i = 0; i < files.size(); i++) {
      if (i > 0) {
        out.println();
      }
      try (TraceReader reader = open(files.get(i))) {
        int[] picked = pick(reader.header());
        Damage damage = csv ? writeCsv(reader, picked, out) : writeSummary(reader, picked, out);
        if (damage != null) {
          cl.getErr().println("presize trace: " + damage.message());
          exit = 1;
        }
      }
      out.flush();
    }
    return exit;
  }

  /** What stopped a read early: a damaged chunk after every good sample before it. */
  private record Damage(String message) {}

  private TraceReader open(Path file) throws IOException {
    try {
      return TraceReader.open(file);
    } catch (TraceFormatException | NoSuchFileException e) {
      throw new UsageError(spec.commandLine(), e.getMessage());
    }
  }

  /** The header's column indexes to show: {@code --columns} in their order, or all. */
  private int[] pick(TraceHeader header) {
    if (columns == null) {
      int[] all = new int[header.columnCount()];
      for (int c = 0; c < all.length; c++) {
        all[c] = c;
      }
      return all;
    }
    int[] picked = new int[columns.size()];
    for (int i = 0; i < picked.length; i++) {
      int c = header.columnIndex(columns.get(i).strip());
      if (c < 0) {
        throw new UsageError(spec.commandLine(), "--columns: no column '" + columns.get(i).strip() + "' in this"
            + " trace; it has " + String.join(", ", header.columns()));
      }
      picked[i] = c;
    }
    return picked;
  }

  private Damage writeCsv(TraceReader reader, int[] picked, PrintWriter out) throws IOException {
    List<String> keys = reader.header().columns();
    StringBuilder line = new StringBuilder("seconds");
    for (int c : picked) {
      line.append(',').append(keys.get(c));
    }
    out.println(line);
    long n = 0;
    try {
      while (reader.next()) {
        if (n++ % every != 0) {
          continue;
        }
        line.setLength(0);
        line.append(String.format(Locale.ROOT, "%.3f", reader.timestampNanos() / 1e9));
        for (int c : picked) {
          line.append(',').append(reader.value(c));
        }
        out.println(line);
      }
    } catch (TraceDamagedException e) {
      return damage(e);
    }
    return null;
  }

  /**
   * What a damaged read means: a file that ends inside a chunk is one still being written (or whose writer
   * crashed), as a file without its end chunk is, so not damage (null); a CRC mismatch or an undecodable chunk is.
   */
  private static Damage damage(TraceDamagedException e) {
    return e.damage() == TraceDamagedException.Damage.TRUNCATED ? null : new Damage(e.getMessage());
  }

  private static Damage writeSummary(TraceReader reader, int[] picked, PrintWriter out) throws IOException {
    TraceHeader h = reader.header();
    int cols = picked.length;
    double[] sum = new double[cols];
    long[] min = new long[cols];
    long[] max = new long[cols];
    long[] first = new long[cols];
    long[] last = new long[cols];
    long[] known = new long[cols]; // values that are not -1, a source's "could not be read"
    java.util.Arrays.fill(min, Long.MAX_VALUE);
    java.util.Arrays.fill(max, Long.MIN_VALUE);
    long samples = 0;
    long lastNanos = 0;
    Damage damage = null;
    boolean cutInChunk = false;
    try {
      while (reader.next()) {
        for (int i = 0; i < cols; i++) {
          long v = reader.value(picked[i]);
          if (v == -1) {
            continue;
          }
          if (known[i]++ == 0) {
            first[i] = v;
          }
          sum[i] += v;
          min[i] = Math.min(min[i], v);
          max[i] = Math.max(max[i], v);
          last[i] = v;
        }
        lastNanos = reader.timestampNanos();
        samples++;
      }
    } catch (TraceDamagedException e) {
      damage = damage(e);
      cutInChunk = damage == null;
    }
    out.printf(Locale.ROOT, "trace      %s%n", reader.path());
    out.printf(Locale.ROOT, "function   %s%n", h.functionId());
    if (!h.command().isEmpty()) {
      out.printf(Locale.ROOT, "command    %s%n", String.join(" ", h.command()));
    }
    if (h.inputSizeBytes().isPresent()) {
      out.printf(Locale.ROOT, "input      %s%n", Quantities.formatBytes(h.inputSizeBytes().getAsLong()));
    }
    out.printf(Locale.ROOT, "host       %s, started %s, a sample every %s%n", h.hostName(), h.startTime(),
        Sizes.duration(h.samplingInterval()));
    h.limits().forEach((k, v) -> out.printf(Locale.ROOT, "limit      %s = %s%n", k, v));
    h.attributes().forEach((k, v) -> out.printf(Locale.ROOT, "attribute  %s = %s%n", k, v));
    String ending = reader.complete() ? "complete" + footer(reader.footer())
        : damage != null ? "damaged after this (see below)"
        : cutInChunk ? "then a chunk not yet whole: the writer crashed or is still writing"
        : "no end marker: the writer crashed or is still writing";
    out.printf(Locale.ROOT, "samples    %d over %.2f s, %s%n", samples, lastNanos / 1e9, ending);
    if (samples == 0) {
      return damage;
    }
    List<String> keys = h.columns();
    double seconds = lastNanos / 1e9;
    StringBuilder gauges = new StringBuilder();
    StringBuilder counters = new StringBuilder();
    for (int i = 0; i < cols; i++) {
      String key = keys.get(picked[i]);
      Metric metric = Metric.byKey(key).orElse(null);
      MetricUnit unit = metric == null ? null : metric.unit();
      String unitName = unit == null ? "?" : unit.name().toLowerCase(Locale.ROOT);
      if (known[i] == 0) {
        (metric != null && metric.kind() == MetricKind.COUNTER ? counters : gauges).append(String.format(
            Locale.ROOT, "%-28s %-12s %12s%n", key, unitName, "not read"));
      } else if (metric != null && metric.kind() == MetricKind.COUNTER) {
        long increase = last[i] - first[i];
        counters.append(String.format(Locale.ROOT, "%-28s %-12s %12s %14s%n", key, unitName, format(increase, unit),
            seconds > 0 ? format(increase / seconds, unit) + "/s" : "-"));
      } else {
        gauges.append(String.format(Locale.ROOT, "%-28s %-12s %12s %12s %12s %12s%n", key, unitName,
            format(min[i], unit), format(sum[i] / known[i], unit), format(max[i], unit), format(last[i], unit)));
      }
    }
    if (!gauges.isEmpty()) {
      out.printf(Locale.ROOT, "%n%-28s %-12s %12s %12s %12s %12s%n%s", "GAUGE", "UNIT", "MIN", "MEAN", "MAX", "LAST",
          gauges);
    }
    if (!counters.isEmpty()) {
      out.printf(Locale.ROOT, "%n%-28s %-12s %12s %14s%n%s", "COUNTER", "UNIT", "INCREASE", "MEAN RATE", counters);
    }
    return damage;
  }

  private static String footer(Map<String, String> footer) {
    if (footer.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder(" (");
    new java.util.TreeMap<>(footer).forEach((k, v) ->
        b.append(b.length() > 2 ? ", " : "").append(k).append('=').append(v));
    return b.append(')').toString();
  }

  /** A value in its unit for people: bytes as 301Mi, times as seconds, millicores as cores, ids and counts as is. */
  static String format(double value, MetricUnit unit) {
    if (unit == null) {
      return String.format(Locale.ROOT, Math.abs(value) >= 1000 ? "%.0f" : "%.4g", value);
    }
    return switch (unit) {
      case BYTES -> value < 0 ? String.format(Locale.ROOT, "%.0f", value) : Quantities.formatBytes(Math.round(value));
      case NANOSECONDS -> seconds(value / 1e9);
      case MICROSECONDS -> seconds(value / 1e6);
      case MILLISECONDS -> seconds(value / 1e3);
      case MILLICORES -> String.format(Locale.ROOT, "%.3f cores", value / 1000);
      case COUNT, ID -> value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
          : String.format(Locale.ROOT, Math.abs(value) >= 1000 ? "%.0f" : "%.4g", value);
    };
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f s", s);
  }
}
