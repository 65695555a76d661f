package dev.presize.local.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presize.core.checkpoint.CheckpointConfig;
import dev.presize.core.policy.PolicyConfig;
import dev.presize.local.RecordOptions;
import dev.presize.local.Recorder;
import dev.presize.local.Recording;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.Ticker;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.host.ResourceGroupProvider;
import dev.presize.spi.resources.Forecast;
import dev.presize.spi.resources.Quantiles;
import dev.presize.spi.resources.Resource;
import dev.presize.spi.resources.ResourceProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On this host's real cgroup v1 (skipped without a writable one, or on v2, whose brake is {@code memory.high}): a
 * command whose memory grows faster than the resize loop can follow waits at its limit under Presize's sizer, and
 * is OOM-killed without the pause.
 */
class PauseAtLimitTest {

  private static final long MIB = 1L << 20;

  @TempDir
  Path out;

  /** A sizer named like Presize's whose forecast stays at 16 MiB: only the usage guard raises the limit. */
  private static Sizer lowForecast() {
    return RunControllerTest.presize(steps -> Sizer.Sizing.of(new Forecast("burst", Instant.EPOCH,
        Duration.ofMillis(500), Map.of(Resource.MEMORY, new Quantiles(16 * MIB, 16 * MIB, 16 * MIB), Resource.CPU,
        new Quantiles(500, 600, 700)), "low", "v0")));
  }

  /**
   * 120 MB into a shell variable under a 64 MiB limit, decided twice a second: the shell passes 64 MiB in well
   * under half a second, so the first decision comes too late for it.
   */
  private RunSummary burst(String pause) throws Exception {
    ConfigProperties config = ConfigProperties.of(Map.of(RunController.PAUSE_AT_LIMIT, pause));
    ResourceProfile initial = ResourceProfile.of(1000, 64 * MIB);
    RunController.Settings s = new RunController.Settings("burst", Duration.ofMillis(500), initial, 1024 * MIB,
        2000, PolicyConfig.DEFAULTS, CheckpointConfig.defaults(), 0.9, Optional.empty(), Optional.empty(),
        Optional.empty());
    RunController c = new RunController(s, lowForecast(), new ProviderContext(config, Ticker.system()),
        PauseAtLimitTest.class.getClassLoader(), Optional.empty(), Optional.empty());
    Path output = out.resolve("output-" + pause + ".txt");
    RecordOptions o = new RecordOptions(List.of("/bin/sh", "-c",
        "x=$(head -c 120000000 /dev/zero | tr '\\0' a); echo ${#x}"), out, Duration.ofMillis(10), "burst",
        OptionalLong.empty(), "auto", Optional.of(initial), config, Map.of(), Optional.of("burst-" + pause
        + ".pstrace"), Optional.of(output), Optional.of(Duration.ofSeconds(60)));
    Recording r = new Recorder().record(o, c);
    RunSummary summary = c.finish(r.exitCode());
    if (r.exitCode() == 0) {
      assertThat(Files.readString(output)).isEqualTo("120000000\n");
    }
    return summary;
  }

  @Test
  @DisplayName("a burst faster than a step waits at the limit under Presize's sizer and finishes (0 OOM kills, the"
      + " summary says it was held back); without the pause the same burst is OOM-killed")
  void burstWaitsInsteadOfDying() throws Exception {
    var ctx = ProviderContext.of(ConfigProperties.empty());
    assumeTrue(ProviderRegistry.load(ResourceGroupProvider.class).all().stream().anyMatch(p -> p.probe(ctx)
        .supported()), "no writable cgroup hierarchy on this host (needs root and cgroup v1/v2)");
    assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup/memory")), "no cgroup v1 memory hierarchy (on v2 the "
        + "brake is memory.high, which throttles rather than pauses)");
    RunSummary paused = burst("true");
    assertThat(paused.exitCode()).as("exit code").isZero();
    assertThat(paused.oomKills()).isZero();
    assertThat(paused.warnings()).anySatisfy(w -> assertThat(w).contains("usage reached the memory limit in")
        .contains("wait for the next resize"));
    RunSummary killed = burst("false");
    assertThat(killed.exitCode()).as("exit code").isEqualTo(137);
    assertThat(killed.oomKills()).isGreaterThanOrEqualTo(1);
  }

  @Test
  @DisplayName("the run's key is the cgroup actuator's (the controller sees the actuators only through the SPI)")
  void sameKey() {
    assertThat(RunController.PAUSE_AT_LIMIT).isEqualTo(
        dev.presize.adapter.cgroups.actuate.CgroupActuatorConfig.PAUSE_AT_LIMIT);
  }
}
