package dev.presize.trainer.input;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A reader of the Google cluster-usage traces v3 (2019) task files: one {@code <name>.csv.gz} of
 * {@code instance_usage} rows for one task becomes one {@link Series} {@code google/<name>} at a 300 s step.
 *
 * <p>The file is gzip CSV with a header line naming its columns (read by name, not position). {@code time} is
 * the start of a 5-minute measurement window in microseconds since the trace start. <b>Assumption:</b> the trace
 * starts at {@link #TRACE_START} (2019-05-01T00:00Z, the Google v3 documentation's start of the May 2019
 * trace); the files carry no absolute time. Rows are sorted by time and resampled onto a regular 300 s grid by
 * the rule of {@link RegularGrid} (nearest slot, the last row wins a slot, gaps of at most two steps hold the
 * previous value, longer gaps are {@code NaN}).
 *
 * <p>Values are normalized to the largest machine of the cell, not cores or bytes (the series'
 * {@link Series#units()} says so): CPU = {@code avg_cpu_usage}; MEMORY = {@code max_memory_usage}, the peak in
 * the window ({@link Series#memoryIsPeak()} true); no network or disk. Provisioned CPU is the largest
 * {@code cpu_limit}, provisioned memory the largest {@code memory_limit} (or {@code assigned_memory} where the
 * limit is 0), in the same normalized units.
 */
public final class GoogleTaskReader {

  /** The step of the trace and of the series. */
  public static final Duration STEP = Duration.ofSeconds(300);

  /** The assumed wall-clock time of {@code time = 0} (see the class comment). */
  public static final Instant TRACE_START = Instant.parse("2019-05-01T00:00:00Z");

  /** The units note of every series this reader makes. */
  public static final String UNITS = "normalized to the largest machine (not cores or bytes)";

  private static final String SUFFIX = ".csv.gz";
  private static final String[] NEEDED = {"time", "avg_cpu_usage", "max_memory_usage", "cpu_limit",
      "memory_limit", "assigned_memory"};

  private GoogleTaskReader() {
  }

  /**
   * Reads one task file.
   *
   * @throws InputDataException naming the file and line for a missing column, a malformed line or a truncated gzip
   * @throws IOException when the file cannot be read
   */
  public static Series read(Path file) throws IOException {
    String name = file.getFileName().toString();
    if (!name.endsWith(SUFFIX)) {
      throw new InputDataException(file, 0, "not a Google task file name: expected <name>" + SUFFIX, null);
    }
    int[] index = new int[NEEDED.length];
    int[] width = {0};
    List<double[]> rows = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    GzipLines.forEach(file, (number, text) -> {
      String[] f = text.split(",", -1);
      if (number == 1) {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < f.length; i++) {
          columns.put(f[i].strip(), i);
        }
        for (int k = 0; k < NEEDED.length; k++) {
          Integer i = columns.get(NEEDED[k]);
          if (i == null) {
            throw new InputDataException(file, 1,
                "the header has no column '" + NEEDED[k] + "'; it has " + columns.keySet(), null);
          }
          index[k] = i;
        }
        width[0] = f.length;
        return;
      }
      if (text.isBlank()) {
        return;
      }
      if (f.length != width[0]) {
        throw new InputDataException(file, number,
            "expected " + width[0] + " fields like the header, found " + f.length, null);
      }
      try {
        times.add(Long.parseLong(f[index[0]].strip()));
      } catch (NumberFormatException e) {
        throw new InputDataException(file, number, "field 'time' is not an integer: '" + f[index[0]] + "'", e);
      }
      double[] v = new double[NEEDED.length - 1];
      for (int k = 1; k < NEEDED.length; k++) {
        String s = f[index[k]].strip();
        try {
          v[k - 1] = s.isEmpty() ? Double.NaN : Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new InputDataException(file, number, "field '" + NEEDED[k] + "' is not a number: '" + s + "'", e);
        }
        if (v[k - 1] < 0 || Double.isInfinite(v[k - 1])) {
          throw new InputDataException(file, number,
              "field '" + NEEDED[k] + "' must be a finite number >= 0, was '" + s + "'", null);
        }
      }
      rows.add(v);
    });
    if (width[0] == 0) {
      throw new InputDataException(file, 0, "is empty: no header", null);
    }
    if (rows.isEmpty()) {
      throw new InputDataException(file, 0, "has no data rows", null);
    }
    int n = rows.size();
    long[] t = new long[n];
    double[] cpu = new double[n];
    double[] mem = new double[n];
    double cpuLimit = 0;
    double memLimit = 0;
    for (int i = 0; i < n; i++) {
      double[] v = rows.get(i);
      t[i] = times.get(i);
      cpu[i] = v[0];
      mem[i] = v[1];
      if (v[2] > cpuLimit) {
        cpuLimit = v[2];
      }
      double m = v[3] > 0 ? v[3] : v[4];
      if (m > memLimit) {
        memLimit = m;
      }
    }
    long stepMicros = STEP.toNanos() / 1000;
    RegularGrid.Resampled r = RegularGrid.resample(t, new double[][] {cpu, mem}, stepMicros);
    Map<Resource, double[]> usage = new EnumMap<>(Resource.class);
    usage.put(Resource.CPU, r.columns()[0]);
    usage.put(Resource.MEMORY, r.columns()[1]);
    Map<Resource, Double> provisioned = new EnumMap<>(Resource.class);
    if (cpuLimit > 0) {
      provisioned.put(Resource.CPU, cpuLimit);
    }
    if (memLimit > 0) {
      provisioned.put(Resource.MEMORY, memLimit);
    }
    long startMillis = TRACE_START.toEpochMilli() + Math.floorDiv(r.t0(), 1000L);
    String id = "google/" + name.substring(0, name.length() - SUFFIX.length());
    return new Series(id, "google", startMillis, STEP, usage, true, provisioned, UNITS);
  }

  /** Reads every {@code *.csv.gz} file of {@code dir}, in file-name order. */
  public static List<Series> readDirectory(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
    List<Series> out = new ArrayList<>(files.size());
    for (Path p : files) {
      out.add(read(p));
    }
    return out;
  }
}
