package dev.presize.core.input.proc;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Provides the {@code netdev} source: network bytes and packets of the target's network namespace.
 *
 * <p>Config: {@code presize.sampling.network.loopback} (default {@code true}) counts the loopback interface
 * (functions often talk to sidecars over it); {@code presize.sampling.network.interval} (default {@code 20ms}) is
 * how often it is read.
 */
public final class NetDevSourceProvider implements MetricSourceProvider {

  static final String NAME = "netdev";

  /** Whether loopback traffic counts. */
  public static final String LOOPBACK = "presize.sampling.network.loopback";

  /** How often net/dev is read. */
  public static final String INTERVAL = "presize.sampling.network.interval";

  /**
   * Every other 10 ms tick: net/dev is one of the dearer files (~4.5 µs, the kernel walks every interface) and
   * byte and packet rates over 20 ms serve the 100 ms decision windows.
   */
  static final Duration DEFAULT_INTERVAL = Duration.ofMillis(20);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String family() {
    return "network";
  }

  @Override
  public int priority() {
    return 100;
  }

  private static Path netDev(SamplingTarget target, ProviderContext context) {
    return Path.of(context.config().getString(ProcessTreeSourceProvider.PROC_ROOT, "/proc"))
        .resolve(Long.toString(target.pid())).resolve("net/dev");
  }

  @Override
  public Support probe(SamplingTarget target, ProviderContext context) {
    Path p = netDev(target, context);
    return Files.isReadable(p) ? Support.yes(p.toString()) : Support.no("no readable " + p);
  }

  @Override
  public MetricSource create(SamplingTarget target, ProviderContext context) throws IOException {
    return new NetDevSource(netDev(target, context), context.config().getBoolean(LOOPBACK, true),
        context.config().getPositiveDuration(INTERVAL, DEFAULT_INTERVAL));
  }
}
