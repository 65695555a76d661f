package dev.presize.core.input.jvm;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;

/**
 * The provider of this JVM's heap, GC and allocation readings ({@code jvm}, family {@code jvm}): heap used and
 * committed, live set after the latest GC, GC count and time, and bytes allocated. In-process targets only.
 */
public final class JvmMetricSourceProvider implements MetricSourceProvider {

  @Override
  public String name() {
    return "jvm";
  }

  @Override
  public String family() {
    return "jvm";
  }

  @Override
  public Support probe(SamplingTarget target, ProviderContext context) {
    if (!target.inProcess()) {
      return Support.no("jvm reads this JVM's MXBeans, and pid " + target.pid() + " is not this JVM (pid "
          + ProcessHandle.current().pid() + "): run the Presize agent inside the function's JVM");
    }
    if (ModuleLayer.boot().findModule("jdk.management").isEmpty()) {
      return Support.no("module jdk.management is not in this runtime (GC notifications need it): add it to the"
          + " jlink image");
    }
    return Support.yes("in-process JVM MXBeans and GC notifications");
  }

  @Override
  public MetricSource create(SamplingTarget target, ProviderContext context) {
    return new JvmMetricSource(name(), context.ticker());
  }
}
