package dev.presize.cli;

import dev.presize.core.checkpoint.AppStateCheckpointer;
import dev.presize.core.checkpoint.CheckpointConfig;
import dev.presize.core.checkpoint.CheckpointListener;
import dev.presize.core.checkpoint.FileCheckpointStore;
import dev.presize.local.run.CheckpointChannel;
import dev.presize.spi.Ticker;
import dev.presize.spi.checkpoint.CheckpointManifest;
import dev.presize.spi.checkpoint.CheckpointRequest;
import dev.presize.spi.checkpoint.Checkpointable;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.function.PresizeFunction;
import dev.presize.workloads.Workload;
import dev.presize.workloads.Workloads;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process {@code presize run --workload} starts: it runs one invocation of a workload of the suite and, when the
 * workload is {@link Checkpointable}, takes application-state checkpoints into a {@link FileCheckpointStore} when
 * the controller asks over the {@link CheckpointChannel}; with {@code --restore} it first resumes from the newest
 * valid checkpoint of the invocation (standing in for a restore on a bigger node).
 *
 * <p>Args: {@code NAME INPUT SEED STORE_DIR INVOCATION_ID SOCKET [--restore]}. Prints the response JSON on one
 * stdout line; exit 0, 1 when the function failed, 2 for bad arguments, 3 when a workload that cannot be checkpointed
 * is asked to restore, 4 ({@link #HEAP_EXHAUSTED}) when its Java heap ran out. A checkpointable one with no valid
 * checkpoint to restore (corrupt, deleted) starts again from its input, and says so.
 */
public final class HostedFunction {

  /** When the window a checkpoint's metrics cover starts: as the controller sent it, else {@code fallback}. */
  private static Instant windowStart(String from, Instant fallback) {
    try {
      return from == null ? fallback : Instant.parse(from);
    } catch (java.time.format.DateTimeParseException e) {
      return fallback; // a checkpoint is not refused over its metrics' label
    }
  }

  /** The exit code when the function's Java heap ran out (an {@link OutOfMemoryError}). */
  static final int HEAP_EXHAUSTED = 4;

  private HostedFunction() {}

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 6 || args.length > 7 || (args.length == 7 && !args[6].equals("--restore"))) {
      err.println("usage: HostedFunction NAME INPUT SEED STORE_DIR INVOCATION_ID SOCKET [--restore]");
      return 2;
    }
    Workload workload;
    String request;
    try {
      workload = Workloads.byName(args[0]);
      request = Workloads.request(workload, Long.parseLong(args[1]), Long.parseLong(args[2]), Optional.empty());
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    Path store = Path.of(args[3]);
    String invocation = args[4];
    Path socket = Path.of(args[5]);
    boolean restore = args.length == 7;
    PresizeFunction function = workload.factory().get();
    String functionId = workload.name();
    try {
      if (function instanceof Checkpointable c) {
        // The manifest's metrics window is what the controller measured since the last checkpoint: it sends it along.
        AtomicReference<Map<String, String>> window = new AtomicReference<>(Map.of());
        // retention as presize.checkpoint.store.keep-last says (presize run passes it on as a system property)
        int keepLast = ConfigProperties.fromEnvironment(Map.of()).getInt(CheckpointConfig.KEEP_LAST,
            CheckpointConfig.defaults().keepLast());
        AppStateCheckpointer checkpointer = new AppStateCheckpointer(new FileCheckpointStore(store, keepLast),
            Ticker.system(), InstantSource.system(), (f, i, from, to) -> window.get(), CheckpointListener.none());
        checkpointer.attach(functionId, invocation, c);
        if (restore) {
          Optional<CheckpointManifest> m = checkpointer.restore(functionId, invocation, c);
          if (m.isEmpty()) {
            // Its state is lost (corrupt, deleted), its input is not: the result is still owed, so start over.
            err.println("presize: no valid checkpoint of " + functionId + "/" + invocation + " in " + store
                + "; starting again from the input (the work before the checkpoint is done again)");
          } else {
            err.println("presize: restored " + functionId + "/" + invocation + " from checkpoint #" + m.get()
                .sequence() + " (" + m.get().stateBytes() + " bytes, trigger " + m.get().trigger() + ")");
          }
        }
        Instant started = Instant.now();
        Instant[] last = {started};
        CheckpointChannel.serve(socket, req -> {
          long t0 = System.nanoTime();
          // the controller's window: its bounds are the manifest's metrics-from and metrics.to
          Map<String, String> metrics = new java.util.LinkedHashMap<>(req.metrics());
          String from = metrics.remove("from");
          window.set(metrics);
          CheckpointManifest m = checkpointer.checkpoint(new CheckpointRequest(functionId, invocation,
              req.trigger(), req.profile(), windowStart(from, last[0])));
          last[0] = m.takenAt();
          return new CheckpointChannel.Reply(m.sequence(), m.stateBytes(), Duration.ofNanos(System.nanoTime() - t0));
        });
      } else {
        if (restore) {
          err.println("workload " + functionId + " is not checkpointable: nothing to restore");
          return 3;
        }
        CheckpointChannel.serve(socket, req -> {
          throw new IllegalStateException("workload " + functionId + " is not checkpointable");
        });
      }
      out.println(function.invoke(request));
      out.flush();
      return 0;
    } catch (OutOfMemoryError e) {
      // The heap's maximum is a share of the largest memory the function may be given (JvmFlags), so it can run out
      // below the cgroup's limit, where no contention checkpoint sees it coming: said apart from other failures.
      boolean heap = e.getMessage() != null && (e.getMessage().contains("Java heap space")
          || e.getMessage().contains("GC overhead limit exceeded"));
      err.println("workload " + functionId + (heap ? " ran out of Java heap (" + e.getMessage() + ") at its maximum"
          + " of " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB" : " failed: " + e));
      return heap ? HEAP_EXHAUSTED : 1;
    } catch (Exception e) {
      err.println("workload " + functionId + " failed: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

}
