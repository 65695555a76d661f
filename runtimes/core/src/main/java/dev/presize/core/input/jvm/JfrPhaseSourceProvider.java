package dev.presize.core.input.jvm;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import java.time.Duration;

/**
 * The provider of the code-phase source ({@code jfr-phase}, family {@code code-phase}): a small id of the hottest
 * application frames per window, from JFR execution samples (see {@link JfrPhaseSource}). In-process targets
 * only, and only where JFR is available.
 *
 * <p>Config: {@value #INTERVAL_KEY} (the window, default 100 ms) and {@value #PERIOD_KEY} (JFR's sampling period
 * of running threads, default 20 ms; shorter costs more).
 */
public final class JfrPhaseSourceProvider implements MetricSourceProvider {

  /** Config key of the phase window, which is also the source's interval. */
  public static final String INTERVAL_KEY = "presize.sampling.phase.interval";

  /** Config key of JFR's execution-sampling period. */
  public static final String PERIOD_KEY = "presize.sampling.phase.period";

  static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);
  static final Duration DEFAULT_PERIOD = Duration.ofMillis(20);

  @Override
  public String name() {
    return "jfr-phase";
  }

  @Override
  public String family() {
    return "code-phase";
  }

  @Override
  public Support probe(SamplingTarget target, ProviderContext context) {
    if (!target.inProcess()) {
      return Support.no("jfr-phase samples this JVM's threads with JFR, and pid " + target.pid()
          + " is not this JVM (pid " + ProcessHandle.current().pid() + "): run the Presize agent in the function");
    }
    if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) {
      return Support.no("module jdk.jfr is not in this runtime: add it to the jlink image to get code phases");
    }
    try {
      context.config().getPositiveDuration(INTERVAL_KEY, DEFAULT_INTERVAL);
      context.config().getPositiveDuration(PERIOD_KEY, DEFAULT_PERIOD);
      if (!JfrAvailability.recorderAvailable()) {
        return Support.no("JFR is not available in this JVM (started with -XX:-FlightRecorder, or unsupported)");
      }
    } catch (RuntimeException | LinkageError e) {
      return Support.no("jfr-phase probe failed: " + e);
    }
    return Support.yes("JFR execution sampler (jdk.ExecutionSample)");
  }

  @Override
  public MetricSource create(SamplingTarget target, ProviderContext context) {
    Duration window = context.config().getPositiveDuration(INTERVAL_KEY, DEFAULT_INTERVAL);
    Duration period = context.config().getPositiveDuration(PERIOD_KEY, DEFAULT_PERIOD);
    return new JfrPhaseSource(name(), window, period, context.ticker());
  }
}
