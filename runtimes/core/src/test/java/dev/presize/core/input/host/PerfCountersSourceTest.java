package dev.presize.core.input.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.Ticker;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.SamplingTarget;
import dev.presize.testkit.RecordingSampleWriter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PerfCountersSourceTest {

  static PerfCountersSource fedWith(String resource) {
    byte[] output = Fixtures.text(resource).getBytes(StandardCharsets.UTF_8);
    return new PerfCountersSource("perf-counters", Duration.ofMillis(100), new ByteArrayInputStream(output), null,
        Ticker.system());
  }

  static void awaitFinished(PerfCountersSource source) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!source.finished() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(source.finished()).as("reader reached the end of the output").isTrue();
  }

  @Test
  @DisplayName("interval counts of a PMU host add up to cumulative counters; <not counted> intervals add nothing")
  void accumulatesIntervals() throws Exception {
    try (PerfCountersSource source = fedWith("/perf/perf-stat-I100-pmu.csv")) {
      awaitFinished(source);
      RecordingSampleWriter out = new RecordingSampleWriter();
      source.sample(out);
      assertThat(out.get(Metric.HW_INSTRUCTIONS)).isEqualTo(182_334_571L + 190_022_877L + 4_211L);
      assertThat(out.get(Metric.HW_CYCLES)).isEqualTo(150_691_210L + 152_017_644L + 6_903L);
      assertThat(out.get(Metric.HW_BRANCHES)).isEqualTo(35_012_883L + 36_440_129L);
      assertThat(out.get(Metric.HW_BRANCH_MISSES)).isEqualTo(412_907L + 398_115L);
      assertThat(out.get(Metric.HW_CACHE_REFERENCES)).isEqualTo(2_230_194L + 2_019_377L);
      assertThat(out.get(Metric.HW_CACHE_MISSES)).isEqualTo(612_448L + 587_001L);
      assertThat(source.linesParsed()).isEqualTo(18);
      assertThat(source.errorCount()).isZero();
    }
  }

  @Test
  @DisplayName("<not supported> counters are never written, rather than reported as zero")
  void unsupportedNotWritten() throws Exception {
    try (PerfCountersSource source = fedWith("/perf/perf-stat-I100-no-pmu.csv")) {
      awaitFinished(source);
      RecordingSampleWriter out = new RecordingSampleWriter();
      source.sample(out);
      assertThat(out.written()).isEmpty();
    }
  }

  @Test
  @DisplayName("hybrid CPUs: both PMUs' counts are summed; an event one PMU lacks is still reported from the other")
  void hybridPmus() throws Exception {
    try (PerfCountersSource source = fedWith("/perf/perf-stat-I100-hybrid.csv")) {
      awaitFinished(source);
      RecordingSampleWriter out = new RecordingSampleWriter();
      source.sample(out);
      assertThat(out.get(Metric.HW_INSTRUCTIONS)).isEqualTo(91_002_113L + 12_000_554L);
      assertThat(out.get(Metric.HW_CACHE_MISSES)).isEqualTo(301_128L);
      assertThat(out.get(Metric.HW_BRANCHES)).as("asked for, not yet reported: nothing counted").isZero();
    }
  }

  @Test
  @DisplayName("probe: perf's '<not supported>' answer becomes 'unsupported' naming the missing PMU")
  void judgesProbeOutput() {
    Support none = PerfCountersSourceProvider.judge("<not supported>,,instructions,0,100.00,,\n", 0);
    assertThat(none.supported()).isFalse();
    assertThat(none.reason()).contains("no hardware PMU").contains("<not supported>");
    Support yes = PerfCountersSourceProvider.judge("1234567,,instructions,812345,100.00,,\n", 0);
    assertThat(yes.supported()).isTrue();
    Support denied = PerfCountersSourceProvider.judge("Error:\nAccess to performance monitoring and observability "
        + "operations is limited.\nConsider adjusting /proc/sys/kernel/perf_event_paranoid setting\n", 255);
    assertThat(denied.supported()).isFalse();
    assertThat(denied.reason()).contains("perf_event_paranoid");
  }

  @Test
  @DisplayName("probe on this host agrees with what perf itself prints for 'instructions'")
  void probeOnThisHost() throws Exception {
    Support probed = new PerfCountersSourceProvider().probe(SamplingTarget.self(),
        ProviderContext.of(ConfigProperties.empty()));
    Support direct = PerfCountersSourceProvider.checkPmu();
    assertThat(probed).isEqualTo(direct);
    Path perf = Path.of("/usr/bin/perf");
    assumeTrue(Files.isExecutable(perf), "no /usr/bin/perf to cross-check the probe with");
    Process p = new ProcessBuilder(perf.toString(), "stat", "-x", ",", "-e", "instructions", "true")
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    if (output.contains("<not supported>,,instructions")) {
      assertThat(probed.supported()).isFalse();
      assertThat(probed.reason()).contains("no hardware PMU");
    } else if (output.matches("(?s).*\\d+,[^,]*,instructions.*")) {
      assertThat(probed.supported()).as(probed.reason()).isTrue();
    }
  }
}
