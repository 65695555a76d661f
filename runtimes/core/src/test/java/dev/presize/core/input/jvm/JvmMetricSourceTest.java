package dev.presize.core.input.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.SamplingTarget;
import dev.presize.testkit.RecordingSampleWriter;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JvmMetricSourceTest {

  private static final ProviderContext CONTEXT = ProviderContext.of(ConfigProperties.empty());
  static volatile Object blackhole;

  @Test
  @DisplayName("probe: another process is unsupported, saying the source reads this JVM only")
  void outOfProcessUnsupported() {
    Support s = new JvmMetricSourceProvider().probe(new SamplingTarget(1, true, false, Map.of()), CONTEXT);
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).contains("pid 1 is not this JVM");
    assertThat(new JvmMetricSourceProvider().probe(SamplingTarget.self(), CONTEXT).supported()).isTrue();
  }

  @Test
  @DisplayName("allocated bytes grow by what was allocated, across GCs (freed bytes come from GC notifications)")
  void allocatedAcrossCollections() throws Exception {
    try (JvmMetricSource source =
        (JvmMetricSource) new JvmMetricSourceProvider().create(SamplingTarget.self(), CONTEXT)) {
      RecordingSampleWriter out = new RecordingSampleWriter();
      source.sample(out);
      long allocatedBefore = out.get(Metric.JVM_ALLOCATED_BYTES);
      long gcsBefore = out.get(Metric.JVM_GC_COUNT);

      long allocated = 0;
      for (int i = 0; i < 768 * 16; i++) { // 768 MiB through a 512 MiB heap: several collections
        blackhole = new byte[64 * 1024]; // well under half a G1 region: not humongous (see JvmMetricSource)
        allocated += 64 * 1024;
      }
      System.gc();
      long expected = allocatedBefore + allocated * 9 / 10;
      awaitTrue(() -> {
        source.sample(out);
        return out.get(Metric.JVM_ALLOCATED_BYTES) >= expected;
      }, "allocated counter catches up with the GC notifications");

      assertThat(out.get(Metric.JVM_ALLOCATED_BYTES) - allocatedBefore)
          .as("allocated bytes counted").isBetween(allocated * 9 / 10, allocated * 3 / 2);
      assertThat(out.get(Metric.JVM_GC_COUNT)).isGreaterThan(gcsBefore);
      assertThat(out.get(Metric.JVM_GC_TIME_MILLIS)).isGreaterThanOrEqualTo(0);
      assertThat(source.notificationsHandled()).isPositive();
      assertThat(source.errorCount()).isZero();
    }
  }

  @Test
  @DisplayName("live after GC is the heap left by the latest collection: at most committed, and it sees a retained block")
  void liveAfterGc() throws Exception {
    try (JvmMetricSource source =
        (JvmMetricSource) new JvmMetricSourceProvider().create(SamplingTarget.self(), CONTEXT)) {
      RecordingSampleWriter out = new RecordingSampleWriter();
      blackhole = null;
      System.gc();
      awaitTrue(() -> {
        source.sample(out);
        return out.has(Metric.JVM_HEAP_LIVE_AFTER_GC_BYTES);
      }, "a live-set reading after System.gc()");
      long baseline = out.get(Metric.JVM_HEAP_LIVE_AFTER_GC_BYTES);
      assertThat(baseline).isPositive().isLessThanOrEqualTo(out.get(Metric.JVM_HEAP_COMMITTED_BYTES));

      byte[][] retained = new byte[64][];
      for (int i = 0; i < retained.length; i++) {
        retained[i] = new byte[1 << 20];
      }
      blackhole = retained;
      System.gc();
      awaitTrue(() -> {
        source.sample(out);
        return out.get(Metric.JVM_HEAP_LIVE_AFTER_GC_BYTES) >= baseline + (60L << 20);
      }, "the live set grows by the 64 MiB retained");
      assertThat(out.get(Metric.JVM_HEAP_USED_BYTES)).isLessThanOrEqualTo(out.get(Metric.JVM_HEAP_COMMITTED_BYTES));
      blackhole = null;
    }
  }

  /** Polls a condition that another thread (the GC notification thread) makes true, with a deadline. */
  static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }
}
