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
 * Provides the {@code procfs} source: CPU time, RSS, page faults, I/O bytes and syscalls of a process tree.
 *
 * <p>Config: {@code presize.sampling.tree-rescan} (default {@code 50ms}; skipped while no new pid appears) is how
 * often new descendants are looked
 * for; {@code presize.proc.root} (default {@code /proc}) is for tests.
 */
public final class ProcessTreeSourceProvider implements MetricSourceProvider {

  static final String NAME = "procfs";

  /** How often descendants are looked for. */
  public static final String TREE_RESCAN = "presize.sampling.tree-rescan";

  /** The procfs mount (tests point it elsewhere). */
  public static final String PROC_ROOT = "presize.proc.root";

  private static final Duration DEFAULT_TREE_RESCAN = Duration.ofMillis(50);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String family() {
    return "process";
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Support probe(SamplingTarget target, ProviderContext context) {
    Path root = Path.of(context.config().getString(PROC_ROOT, "/proc"));
    Path dir = root.resolve(Long.toString(target.pid()));
    if (!Files.isReadable(dir.resolve("stat"))) {
      return Support.no("no readable " + dir.resolve("stat") + ": process gone or no procfs mounted at " + root);
    }
    if (target.processTree() && !Files.exists(root.resolve("self/task").resolve(selfTid(root)).resolve("children"))) {
      return Support.no("no /proc/<pid>/task/<tid>/children: kernel built without CONFIG_PROC_CHILDREN, "
          + "descendants cannot be followed (sample the root only with processTree=false)");
    }
    return Support.yes(dir + (Files.isReadable(dir.resolve("io")) ? " (stat, io)" : " (stat; io not readable)"));
  }

  private static String selfTid(Path root) {
    try {
      return root.resolve("self").toRealPath().getFileName().toString();
    } catch (IOException e) {
      return "0"; // no self link: the children check fails with its own message
    }
  }

  @Override
  public MetricSource create(SamplingTarget target, ProviderContext context) throws IOException {
    Path root = Path.of(context.config().getString(PROC_ROOT, "/proc"));
    Duration rescan = context.config().getPositiveDuration(TREE_RESCAN, DEFAULT_TREE_RESCAN);
    return new ProcessTreeSource(root, target.pid(), target.processTree(), rescan, context.ticker(), Auxv.read());
  }
}
