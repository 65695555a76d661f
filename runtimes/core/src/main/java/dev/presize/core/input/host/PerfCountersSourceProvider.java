package dev.presize.core.input.host;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.config.ConfigurationException;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The provider of hardware-counter sampling ({@code perf-counters}, family {@code instruction-mix}): instructions,
 * cycles, branches, branch misses, cache references and misses of the target, from {@code perf stat} run as a
 * child process every {@value #INTERVAL_KEY} (default 100 ms).
 *
 * <p>The probe looks for {@code perf} on {@code PATH} and runs {@code perf stat -x, -e instructions true} once per
 * JVM and boot: a host without a PMU (most VMs without vPMU passthrough) answers {@code <not supported>} and the
 * provider reports itself unsupported saying so.
 */
public final class PerfCountersSourceProvider implements MetricSourceProvider {

  /** Config key of perf's print interval ({@code -I}); perf accepts 10 ms and more. */
  public static final String INTERVAL_KEY = "presize.sampling.perf.interval";

  static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);
  private static final Duration MIN_INTERVAL = Duration.ofMillis(10);
  private static final long PROBE_TIMEOUT_SECONDS = 10;

  private static final ProbeCache PMU_CHECK = new ProbeCache(PerfCountersSourceProvider::checkPmu);

  @Override
  public String name() {
    return "perf-counters";
  }

  @Override
  public String family() {
    return "instruction-mix";
  }

  @Override
  public Support probe(SamplingTarget target, ProviderContext context) {
    try {
      interval(context);
      if (!Files.isDirectory(Path.of("/proc", Long.toString(target.pid())))) {
        return Support.no("process " + target.pid() + " does not exist (no /proc/" + target.pid() + ")");
      }
      return PMU_CHECK.get();
    } catch (RuntimeException e) {
      return Support.no("perf-counters probe failed: " + e.getMessage());
    }
  }

  @Override
  public MetricSource create(SamplingTarget target, ProviderContext context) throws IOException {
    Duration interval = interval(context);
    Path perf = findPerf().orElseThrow(() -> new IOException("perf-counters: no perf on PATH"));
    ProcessBuilder pb = new ProcessBuilder(perf.toString(), "stat", "-I", Long.toString(interval.toMillis()),
        "-x", ",", "-e", String.join(",", PerfCounters.EVENTS), "-p", Long.toString(target.pid()));
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD); // perf stat writes its counts to stderr
    Process process = pb.start();
    return new PerfCountersSource(name(), interval, process.getErrorStream(), process, context.ticker());
  }

  private static Duration interval(ProviderContext context) {
    Duration d = context.config().getPositiveDuration(INTERVAL_KEY, DEFAULT_INTERVAL);
    if (d.compareTo(MIN_INTERVAL) < 0) {
      throw new ConfigurationException(INTERVAL_KEY,
          INTERVAL_KEY + "=" + d.toMillis() + "ms: perf stat -I needs at least 10ms");
    }
    return d;
  }

  /** Runs {@code perf stat -x, -e instructions true} and judges its output. Never throws. */
  static Support checkPmu() {
    Optional<Path> perf = findPerf();
    if (perf.isEmpty()) {
      return Support.no("perf not found on PATH (install linux-perf / linux-tools for this kernel)");
    }
    Path log = null;
    try {
      log = Files.createTempFile("presize-perf-probe", ".txt");
      Process p = new ProcessBuilder(perf.get().toString(), "stat", "-x", ",", "-e", "instructions", "true")
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      if (!p.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Support.no("perf stat did not finish within " + PROBE_TIMEOUT_SECONDS + "s");
      }
      return judge(Files.readString(log, StandardCharsets.UTF_8), p.exitValue());
    } catch (IOException e) {
      return Support.no("could not run " + perf.get() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Support.no("interrupted while probing perf");
    } finally {
      deleteQuietly(log);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover few-byte file in the temp directory is harmless; the probe's answer is what matters.
    }
  }

  /** Reads the answer of {@code perf stat -x, -e instructions true} (its combined output and exit code). */
  static Support judge(String output, int exitCode) {
    List<String> lines = output.lines().toList();
    for (String line : lines) {
      PerfStatLine parsed = PerfStatLine.parse(line, false);
      if (parsed == null || !parsed.event().equals("instructions")) {
        continue;
      }
      switch (parsed.state()) {
        case COUNTED:
          return Support.yes("perf stat counts instructions (hardware PMU present)");
        case NOT_SUPPORTED:
          return Support.no("no hardware PMU: perf stat reports instructions as <not supported> (this kernel/VM "
              + "exposes no hardware performance counters, e.g. a VM without vPMU)");
        case NOT_COUNTED:
          return Support.no("perf stat reports instructions as <not counted>: the PMU counter could not be "
              + "scheduled (in use by another tool, or disabled)");
        default:
          throw new AssertionError(parsed.state());
      }
    }
    String tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    if (output.contains("perf_event_paranoid") || output.contains("Permission") || output.contains("EACCES")) {
      return Support.no("perf is not permitted to count events (see /proc/sys/kernel/perf_event_paranoid): " + tail);
    }
    return Support.no("perf stat gave no instructions count (exit code " + exitCode + "): " + tail);
  }

  private static Optional<Path> findPerf() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "perf");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
