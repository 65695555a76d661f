package dev.presize.core.input.jvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.SamplingTarget;
import dev.presize.testkit.RecordingSampleWriter;
import example.workload.TwoPhaseWork;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JfrPhaseSourceTest {

  private static final ProviderContext CONTEXT = ProviderContext.of(ConfigProperties.empty());

  @Test
  @DisplayName("probe: another process is unsupported, saying JFR samples this JVM only")
  void outOfProcessUnsupported() {
    Support s = new JfrPhaseSourceProvider().probe(new SamplingTarget(1, true, false, Map.of()), CONTEXT);
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).contains("pid 1 is not this JVM");
  }

  @Test
  @DisplayName("a thread running method alpha then method beta gets two different phase ids that name them")
  void phaseFollowsTheHotMethod() throws Exception {
    JfrPhaseSourceProvider provider = new JfrPhaseSourceProvider();
    Support s = provider.probe(SamplingTarget.self(), CONTEXT);
    assumeTrue(s.supported(), () -> "JFR not available: " + s.reason());
    TwoPhaseWork work = new TwoPhaseWork();
    Thread worker = new Thread(work, "two-phase-work");
    worker.setDaemon(true);
    try (JfrPhaseSource source = (JfrPhaseSource) provider.create(SamplingTarget.self(), CONTEXT)) {
      worker.start();
      long alpha = awaitPhaseNamed(source, "phaseAlpha");
      work.switchToBeta();
      long beta = awaitPhaseNamed(source, "phaseBeta");

      assertThat(alpha).isNotZero();
      assertThat(beta).isNotZero().isNotEqualTo(alpha);
      assertThat(source.phaseNames().get(alpha)).contains("example.workload.TwoPhaseWork.phaseAlpha");
      assertThat(source.phaseNames().get(beta)).contains("example.workload.TwoPhaseWork.phaseBeta");
      assertThat(source.errorCount()).isZero();
    } finally {
      work.stop();
      worker.join(2_000);
    }
  }

  /** Samples until the written phase maps to a name containing {@code method}; JFR delivers about once a second. */
  private static long awaitPhaseNamed(JfrPhaseSource source, String method) throws InterruptedException {
    RecordingSampleWriter out = new RecordingSampleWriter();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      source.sample(out);
      long phase = out.get(Metric.CODE_PHASE);
      String name = source.phaseNames().get(phase);
      if (name != null && name.contains(method)) {
        return phase;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no phase naming " + method + " within 15 s; names seen: " + source.phaseNames());
  }
}
