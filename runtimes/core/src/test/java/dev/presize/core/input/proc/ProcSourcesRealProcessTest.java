package dev.presize.core.input.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import dev.presize.testkit.RecordingSampleWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The procfs and netdev sources measured against real child processes that use known amounts. */
class ProcSourcesRealProcessTest {

  private static final ProviderContext CTX = ProviderContext.of(ConfigProperties.empty());

  /** What sampling a child every 10 ms until it exits saw. */
  record Seen(long peakRss, long cpuNanos, long writeBytes, long readChars, long rxBytes, long txBytes,
      int maxProcesses, String output) {}

  private static Seen sampleUntilExit(Children child, MetricSourceProvider... providers) throws Exception {
    SamplingTarget target = SamplingTarget.processTree(child.pid());
    List<MetricSource> sources = new java.util.ArrayList<>();
    for (MetricSourceProvider p : providers) {
      sources.add(p.create(target, CTX));
    }
    child.process.getOutputStream().write('\n'); // a child that waits for it may start now
    child.process.getOutputStream().flush();
    RecordingSampleWriter out = new RecordingSampleWriter();
    long peakRss = 0;
    int maxProcs = 0;
    try {
      while (child.process.isAlive()) {
        for (MetricSource s : sources) {
          s.sample(out);
        }
        if (out.has(Metric.PROC_RSS_BYTES)) {
          peakRss = Math.max(peakRss, out.get(Metric.PROC_RSS_BYTES));
          maxProcs = (int) Math.max(maxProcs, out.get(Metric.PROC_PROCESSES));
        }
        Thread.sleep(10);
      }
      String output = new String(child.process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Seen(peakRss,
          out.has(Metric.PROC_CPU_USER_NANOS) ? out.get(Metric.PROC_CPU_USER_NANOS) + out.get(Metric.PROC_CPU_SYSTEM_NANOS) : 0,
          out.has(Metric.PROC_WRITE_BYTES) ? out.get(Metric.PROC_WRITE_BYTES) : 0,
          out.has(Metric.PROC_READ_CHARS) ? out.get(Metric.PROC_READ_CHARS) : 0,
          out.has(Metric.NET_RX_BYTES) ? out.get(Metric.NET_RX_BYTES) : 0,
          out.has(Metric.NET_TX_BYTES) ? out.get(Metric.NET_TX_BYTES) : 0, maxProcs, output);
    } finally {
      for (MetricSource s : sources) {
        s.close();
      }
    }
  }

  private static long reported(String output, String key) {
    Matcher m = Pattern.compile(key + "=(\\d+)").matcher(output);
    assertThat(m.find()).as("child output has %s: %s", key, output).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  @DisplayName("a child that touches 300 MiB shows a peak RSS of at least 300 MiB")
  void peakRss() throws Exception {
    try (Children c = Children.start(Hog.command("memory", "300"))) {
      Seen seen = sampleUntilExit(c, new ProcessTreeSourceProvider());
      assertThat(c.process.exitValue()).as(seen.output()).isZero();
      assertThat(seen.peakRss()).isGreaterThanOrEqualTo(300L << 20);
    }
  }

  @Test
  @DisplayName("CPU seconds of a child burning 1.5 s are within 10% of what the child itself reports")
  void cpuSeconds() throws Exception {
    try (Children c = Children.start(Hog.command("cpu", "1500"))) {
      Seen seen = sampleUntilExit(c, new ProcessTreeSourceProvider());
      long truth = reported(seen.output(), "cpuNanos");
      assertThat(truth).isGreaterThan(1_500_000_000L);
      assertThat((double) seen.cpuNanos()).isCloseTo(truth, org.assertj.core.data.Percentage.withPercentage(10));
    }
  }

  @Test
  @DisplayName("a forking shell is seen whole: CPU of its children is summed, within 10% of bash's own 'times'")
  void processTreeSummed() throws Exception {
    String burn = "(x=0; while [ $x -lt 150000 ]; do x=$((x+1)); done)";
    try (Children c = Children.start("/bin/bash", "-c",
        burn + " & " + burn + " & " + burn + " & wait; sleep 0.05; times")) {
      Seen seen = sampleUntilExit(c, new ProcessTreeSourceProvider());
      // `times` prints the shell's user/sys, then its children's: "0m1.234s 0m0.010s" per line.
      Matcher m = Pattern.compile("(\\d+)m([\\d.]+)s").matcher(seen.output());
      double truthSeconds = 0;
      while (m.find()) {
        truthSeconds += Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
      }
      assertThat(truthSeconds).as(seen.output()).isGreaterThan(0.3);
      assertThat(seen.maxProcesses()).isGreaterThanOrEqualTo(3);
      assertThat(seen.cpuNanos() / 1e9).isCloseTo(truthSeconds, org.assertj.core.data.Percentage.withPercentage(10));
    }
  }

  @Test
  @DisplayName("a child that writes and fsyncs 32 MiB shows at least 32 MiB written to storage")
  void diskBytes(@TempDir Path dir) throws Exception {
    long bytes = 32L << 20;
    try (Children c = Children.start(Hog.command("disk", Long.toString(bytes), dir.resolve("f").toString()))) {
      Seen seen = sampleUntilExit(c, new ProcessTreeSourceProvider());
      assertThat(c.process.exitValue()).as(seen.output()).isZero();
      assertThat(seen.writeBytes()).isGreaterThanOrEqualTo(bytes);
      assertThat(seen.readChars()).isGreaterThanOrEqualTo(bytes); // read back through read(2)
    }
  }

  @Test
  @DisplayName("a child sending 20 MB over loopback in its own network namespace shows those bytes, not more than 10% over")
  void loopbackBytes() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")) && Files.isExecutable(Path.of("/usr/sbin/ip")),
        "needs unshare (util-linux) and ip (iproute2) to give the child its own network namespace");
    assumeTrue(canUnshareNet(), "cannot create a network namespace here (needs root or user namespaces)");
    long bytes = 20_000_000;
    String[] hog = Hog.command("net", Long.toString(bytes));
    String script = "ip link set lo up && exec \"$@\"";
    String[] cmd = new String[hog.length + 5];
    cmd[0] = "/usr/bin/unshare";
    cmd[1] = "-n";
    cmd[2] = "/bin/sh";
    cmd[3] = "-c";
    cmd[4] = script;
    // "$0" is the first argument after the script; repeat the java path there so "$@" is the whole command.
    String[] full = new String[cmd.length + 1];
    System.arraycopy(cmd, 0, full, 0, 5);
    full[5] = "hog";
    System.arraycopy(hog, 0, full, 6, hog.length);
    try (Children c = Children.start(java.util.Arrays.copyOf(full, 6 + hog.length))) {
      // net/dev resolves to the namespace the process is in when it is opened: wait for the exec of java,
      // which happens after unshare(2) and `ip link set lo up`.
      Path exe = Path.of("/proc", Long.toString(c.pid()), "exe");
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (c.process.isAlive() && !exe.toRealPath().toString().contains("java") && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      if (!c.process.isAlive()) {
        throw new AssertionError("child died before it started: "
            + new String(c.process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      Seen seen = sampleUntilExit(c, new ProcessTreeSourceProvider(), new NetDevSourceProvider());
      assertThat(c.process.exitValue()).as(seen.output()).isZero();
      assertThat(seen.txBytes()).isGreaterThanOrEqualTo(bytes).isLessThan((long) (bytes * 1.1));
      assertThat(seen.rxBytes()).isGreaterThanOrEqualTo(bytes).isLessThan((long) (bytes * 1.1));
    }
  }

  private static boolean canUnshareNet() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("/usr/bin/unshare", "-n", "/bin/true").redirectErrorStream(true).start();
    return p.waitFor() == 0;
  }
}
