package dev.presize.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricKind;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link MetricSourceProvider} and its {@link MetricSource} keep. Extend it, give the provider
 * (and, if needed, a target and context), and every test here runs against the implementation.
 *
 * <p>Tests that need the source to run are skipped, with the probe's reason, on hosts that lack it; the probe's
 * own contract is tested everywhere.
 */
public abstract class MetricSourceContract {

  /** The provider under test. */
  protected abstract MetricSourceProvider provider();

  /** What to sample; by default this JVM and its children. */
  protected SamplingTarget target() {
    return SamplingTarget.self();
  }

  /** Config and time for the provider; by default empty config and the system ticker. */
  protected ProviderContext context() {
    return ProviderContext.of(ConfigProperties.empty());
  }

  /** Makes the target do some work between samples (allocate, burn CPU, do I/O); by default nothing. */
  protected void exercise() {}

  private MetricSource createSupported() throws Exception {
    Support s = provider().probe(target(), context());
    assumeTrue(s.supported(), () -> provider().name() + " is not supported on this host: " + s.reason());
    return provider().create(target(), context());
  }

  @Test
  @DisplayName("contract: the provider has a stable lower-case name and a family")
  void nameAndFamily() {
    assertThat(provider().name()).matches("[a-z0-9][a-z0-9.-]*");
    assertThat(provider().name()).isEqualTo(provider().name());
    assertThat(provider().family()).matches("[a-z0-9][a-z0-9.-]*");
  }

  @Test
  @DisplayName("contract: probing never throws, even for a process that does not exist, and says why when unsupported")
  void probeNeverThrows() {
    SamplingTarget gone = new SamplingTarget(Integer.MAX_VALUE - 7, true, false, Map.of());
    for (SamplingTarget t : new SamplingTarget[] {target(), gone}) {
      Support s = provider().probe(t, context());
      assertThat(s).isNotNull();
      if (!s.supported()) {
        assertThat(s.reason()).isNotBlank();
      }
    }
  }

  @Test
  @DisplayName("contract: a sample writes only declared metrics, and at least one")
  void writesOnlyDeclaredMetrics() throws Exception {
    try (MetricSource source = createSupported()) {
      assertThat(source.metrics()).isNotEmpty();
      RecordingSampleWriter out = new RecordingSampleWriter();
      source.sample(out);
      exercise();
      source.sample(out);
      assertThat(out.written()).isNotEmpty();
      assertThat(source.metrics()).containsAll(out.written());
      assertThat(source.interval().isNegative()).as("interval is negative").isFalse();
    }
  }

  @Test
  @DisplayName("contract: counters never decrease from one sample to the next")
  void countersAreMonotonic() throws Exception {
    try (MetricSource source = createSupported()) {
      RecordingSampleWriter out = new RecordingSampleWriter();
      long[] previous = new long[Metric.values().length];
      boolean[] seen = new boolean[Metric.values().length];
      for (int i = 0; i < 50; i++) {
        if (i % 10 == 0) {
          exercise();
        }
        source.sample(out);
        for (Metric m : out.written()) {
          if (m.kind() != MetricKind.COUNTER) {
            continue;
          }
          long v = out.get(m);
          if (seen[m.ordinal()]) {
            assertThat(v).as("%s at sample %d", m, i).isGreaterThanOrEqualTo(previous[m.ordinal()]);
          }
          previous[m.ordinal()] = v;
          seen[m.ordinal()] = true;
        }
      }
    }
  }

  @Test
  @DisplayName("contract: sampling allocates nothing after warm-up")
  void noAllocationAfterWarmUp() throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count per-thread allocation");
    try (MetricSource source = createSupported()) {
      RecordingSampleWriter out = new RecordingSampleWriter();
      for (int i = 0; i < 5_000; i++) { // let the JIT settle (escape analysis, deoptimizations)
        source.sample(out);
      }
      // JIT transitions can still allocate once in a while; a real per-sample allocation shows in every round.
      long fewest = Long.MAX_VALUE;
      for (int round = 0; round < 5 && fewest > allowedAllocationBytes(); round++) {
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000; i++) {
          source.sample(out);
        }
        fewest = Math.min(fewest, threads.getCurrentThreadAllocatedBytes() - before);
      }
      assertThat(fewest).as("bytes allocated by 1000 samples of %s (fewest of up to 5 rounds)", provider().name())
          .isLessThanOrEqualTo(allowedAllocationBytes());
    }
  }

  /** Bytes 1000 samples may allocate in all; 0 plus a little slack for the measurement itself. */
  protected long allowedAllocationBytes() {
    return 256;
  }

  @Test
  @DisplayName("contract: close is idempotent and never throws")
  void closeIsIdempotent() throws Exception {
    MetricSource source = createSupported();
    source.sample(new RecordingSampleWriter());
    assertThatCode(() -> {
      source.close();
      source.close();
    }).doesNotThrowAnyException();
  }
}
