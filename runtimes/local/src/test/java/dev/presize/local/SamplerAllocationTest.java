package dev.presize.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presize.core.input.proc.Children;
import dev.presize.core.sampling.MetricSources;
import dev.presize.core.sampling.Sampler;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Ticker;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.metrics.SamplingTarget;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The real sampler thread, with every source this host supports, allocates nothing per tick after warm-up. */
class SamplerAllocationTest {

  @Test
  @DisplayName("the presize-sampler thread allocates ~0 bytes per tick after warm-up, with all supported sources")
  void noAllocationPerTick() throws Exception {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count per-thread allocation");
    try (Children busy = Children.sh("while :; do :; done")) {
      var opened = MetricSources.open(SamplingTarget.processTree(busy.pid()),
          ProviderContext.of(ConfigProperties.empty()), getClass().getClassLoader());
      assertThat(opened.chosen()).containsKeys("process", "network");
      // 1 ms ticks so the JIT warms up in seconds; what a tick allocates does not depend on the interval.
      try (Sampler sampler = new Sampler(opened.sources(), Duration.ofMillis(1), Ticker.system(), 1 << 14)) {
        sampler.start();
        Thread samplerThread = Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("presize-sampler")).findFirst().orElseThrow();
        Thread.sleep(5_000);
        long fewestPerTick = Long.MAX_VALUE;
        for (int window = 0; window < 6 && fewestPerTick > 0; window++) {
          long ticks = sampler.stats().ticks();
          long bytes = threads.getThreadAllocatedBytes(samplerThread.getId());
          Thread.sleep(500);
          long dTicks = sampler.stats().ticks() - ticks;
          long dBytes = threads.getThreadAllocatedBytes(samplerThread.getId()) - bytes;
          assertThat(dTicks).isGreaterThan(100);
          fewestPerTick = Math.min(fewestPerTick, dBytes / dTicks);
        }
        assertThat(fewestPerTick).as("bytes per tick with sources %s", opened.chosen()).isZero();
        assertThat(sampler.stats().sourceErrors()).isZero();
      }
    }
  }
}
