package dev.presize.trainer.input;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A reader of the Bitbrains (GWA-T-12, Rnd) VM traces: one {@code <n>.csv.gz} file becomes one {@link Series}
 * {@code bitbrains/<n>} at a 300 s step.
 *
 * <p>The file is gzip CSV with a header line, fields separated by {@code ;} and a tab. Its quirks are handled,
 * not hidden:
 * <ul>
 *   <li>{@code Timestamp [ms]} holds epoch <b>seconds</b>; a sample at time {@code t} is taken as the mean over
 *       {@code (t - 300 s, t]}, so the series starts 300 s before the first timestamp;</li>
 *   <li>duplicate timestamps and irregular steps are resampled onto a regular 300 s grid by the rule of
 *       {@link RegularGrid}: nearest slot, the last row wins a slot, gaps of at most two steps hold the previous
 *       value, longer gaps are {@code NaN};</li>
 *   <li>some rows have a CPU capacity of 0 (no MHz-per-core known): their CPU in cores uses the MHz per core of
 *       the latest earlier row that had one, else it is {@code NaN};</li>
 *   <li>some rows report a memory usage of 0 KB, even while using CPU (file 1 has 58): a running VM never uses
 *       0 bytes, so such a reading is a failed measurement and becomes {@code NaN} (missing), not 0.</li>
 * </ul>
 *
 * <p>Values: CPU cores = {@code CPU usage [MHZ] / (CPU capacity provisioned [MHZ] / CPU cores)}; MEMORY =
 * {@code Memory usage [KB] * 1024}, a mean ({@link Series#memoryIsPeak()} false); DISK = read + write KB/s *
 * 1024; NETWORK = received + transmitted KB/s * 1024 (bytes per second). Provisioned CPU is the largest
 * {@code CPU cores} and provisioned memory the largest {@code Memory capacity provisioned [KB] * 1024} of the
 * file (VMs are occasionally resized; the largest allocation is the one a static sizing had to give).
 */
public final class BitbrainsReader {

  /** The step of the trace and of the series. */
  public static final Duration STEP = Duration.ofSeconds(300);

  private static final Pattern SEPARATOR = Pattern.compile(";\\s*");
  private static final Pattern FILE_NAME = Pattern.compile("(\\d+)\\.csv\\.gz");
  private static final String[] HEADER = {"Timestamp [ms]", "CPU cores", "CPU capacity provisioned [MHZ]",
      "CPU usage [MHZ]", "CPU usage [%]", "Memory capacity provisioned [KB]", "Memory usage [KB]",
      "Disk read throughput [KB/s]", "Disk write throughput [KB/s]", "Network received throughput [KB/s]",
      "Network transmitted throughput [KB/s]"};

  private BitbrainsReader() {
  }

  /**
   * Reads one Bitbrains file, named {@code <number>.csv.gz}.
   *
   * @throws InputDataException naming the file and line for a wrong header, a malformed line or a truncated gzip
   * @throws IOException when the file cannot be read
   */
  public static Series read(Path file) throws IOException {
    String name = file.getFileName().toString();
    var matcher = FILE_NAME.matcher(name);
    if (!matcher.matches()) {
      throw new InputDataException(file, 0, "not a Bitbrains file name: expected <number>.csv.gz", null);
    }
    Rows rows = new Rows();
    GzipLines.forEach(file, (number, text) -> {
      String[] f = SEPARATOR.split(text.strip(), -1);
      if (number == 1) {
        checkHeader(file, f);
        return;
      }
      if (text.isBlank()) {
        return;
      }
      if (f.length != HEADER.length) {
        throw new InputDataException(file, number,
            "expected " + HEADER.length + " fields separated by ';', found " + f.length + ": '" + text + "'", null);
      }
      double[] v = new double[HEADER.length];
      for (int i = 0; i < v.length; i++) {
        try {
          v[i] = Double.parseDouble(f[i].strip());
        } catch (NumberFormatException e) {
          throw new InputDataException(file, number,
              "field '" + HEADER[i] + "' is not a number: '" + f[i] + "'", e);
        }
        if (!Double.isFinite(v[i]) || v[i] < 0) {
          throw new InputDataException(file, number,
              "field '" + HEADER[i] + "' must be a finite number >= 0, was '" + f[i] + "'", null);
        }
      }
      rows.add(number, v);
    });
    if (rows.n == 0) {
      throw new InputDataException(file, 0, "has no data rows", null);
    }
    return rows.toSeries("bitbrains/" + Long.parseLong(matcher.group(1)));
  }

  /**
   * Reads the first {@code limit} files {@code <number>.csv.gz} of {@code dir}, in numeric order of their number.
   *
   * @param limit the most files to read; {@code Integer.MAX_VALUE} for all
   */
  public static List<Series> readDirectory(Path dir, int limit) throws IOException {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> FILE_NAME.matcher(p.getFileName().toString()).matches())
          .sorted((a, b) -> Long.compare(number(a), number(b)))
          .limit(limit)
          .toList();
    }
    List<Series> out = new ArrayList<>(files.size());
    for (Path p : files) {
      out.add(read(p));
    }
    return out;
  }

  private static long number(Path p) {
    String n = p.getFileName().toString();
    return Long.parseLong(n.substring(0, n.indexOf('.')));
  }

  private static void checkHeader(Path file, String[] f) {
    if (f.length != HEADER.length) {
      throw new InputDataException(file, 1, "expected a header of " + HEADER.length + " fields "
          + Arrays.toString(HEADER) + ", found " + f.length + ": " + Arrays.toString(f), null);
    }
    for (int i = 0; i < HEADER.length; i++) {
      if (!f[i].strip().equals(HEADER[i])) {
        throw new InputDataException(file, 1,
            "header field " + (i + 1) + " should be '" + HEADER[i] + "', is '" + f[i].strip() + "'", null);
      }
    }
  }

  /** The parsed rows of one file, in file order. */
  private static final class Rows {
    long[] times = new long[8192];
    double[][] cols = new double[HEADER.length][8192];
    int n;

    void add(long line, double[] v) {
      if (n == times.length) {
        times = Arrays.copyOf(times, 2 * n);
        for (int c = 0; c < cols.length; c++) {
          cols[c] = Arrays.copyOf(cols[c], 2 * n);
        }
      }
      times[n] = (long) v[0];
      for (int c = 0; c < cols.length; c++) {
        cols[c][n] = v[c];
      }
      n++;
    }

    Series toSeries(String id) {
      long[] t = Arrays.copyOf(times, n);
      double[] cpu = new double[n];
      double[] mem = new double[n];
      double[] disk = new double[n];
      double[] net = new double[n];
      double mhzPerCore = Double.NaN;
      double maxCores = 0;
      double maxMemKb = 0;
      for (int i = 0; i < n; i++) {
        double cores = cols[1][i];
        double capacityMhz = cols[2][i];
        if (cores > 0 && capacityMhz > 0) {
          mhzPerCore = capacityMhz / cores;
        }
        cpu[i] = cols[3][i] / mhzPerCore;
        mem[i] = cols[6][i] > 0 ? cols[6][i] * 1024 : Double.NaN;
        disk[i] = (cols[7][i] + cols[8][i]) * 1024;
        net[i] = (cols[9][i] + cols[10][i]) * 1024;
        maxCores = Math.max(maxCores, cores);
        maxMemKb = Math.max(maxMemKb, cols[5][i]);
      }
      RegularGrid.Resampled r = RegularGrid.resample(t, new double[][] {cpu, mem, disk, net}, STEP.toSeconds());
      Map<Resource, double[]> usage = new EnumMap<>(Resource.class);
      usage.put(Resource.CPU, r.columns()[0]);
      usage.put(Resource.MEMORY, r.columns()[1]);
      usage.put(Resource.DISK, r.columns()[2]);
      usage.put(Resource.NETWORK, r.columns()[3]);
      Map<Resource, Double> provisioned = new EnumMap<>(Resource.class);
      if (maxCores > 0) {
        provisioned.put(Resource.CPU, maxCores);
      }
      if (maxMemKb > 0) {
        provisioned.put(Resource.MEMORY, maxMemKb * 1024);
      }
      long startMillis = (r.t0() - STEP.toSeconds()) * 1000;
      return new Series(id, "bitbrains", startMillis, STEP, usage, false, provisioned, "");
    }
  }
}
