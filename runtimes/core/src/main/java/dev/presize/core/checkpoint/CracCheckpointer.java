package dev.presize.core.checkpoint;

import dev.presize.spi.Support;
import dev.presize.spi.Ticker;
import dev.presize.spi.checkpoint.CheckpointException;
import dev.presize.spi.checkpoint.CheckpointManifest;
import dev.presize.spi.checkpoint.CheckpointRequest;
import dev.presize.spi.checkpoint.CheckpointStore;
import dev.presize.spi.checkpoint.Checkpointer;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.crac.Core;
import org.crac.Resource;

/**
 * A {@link Checkpointer} that takes a whole-JVM checkpoint with CRaC ({@code org.crac.Core.checkpointRestore()}):
 * real on a CRaC-enabled JDK started with {@code -XX:CRaCCheckpointTo=<dir>}; on any other JDK {@link #probe()}
 * says so and {@link #checkpoint} fails naming the missing CRaC support.
 *
 * <p>Resources registered with {@link #register} are called through {@link CracHooks} (reverse order before the
 * checkpoint, forward after the restore, every failure collected). {@link #checkpoint} returns in the restored
 * process; it then stores a manifest with empty state (the image lives in the CRaC directory, recorded as the
 * attribute {@code crac.image-dir}) so the checkpoint is listed and learned from like any other.
 */
public final class CracCheckpointer implements Checkpointer {

  /** The provider name, also recorded in every manifest as attribute {@code checkpointer}. */
  public static final String NAME = "crac";
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  /** The call that checkpoints the JVM and returns after the restore; {@code Core::checkpointRestore} for real. */
  @FunctionalInterface
  public interface CheckpointCall {
    void checkpointRestore() throws org.crac.CheckpointException, org.crac.RestoreException;
  }

  private final CheckpointStore store;
  private final Ticker ticker;
  private final InstantSource clock;
  private final CheckpointCall call;
  private final CracHooks hooks = new CracHooks(); // strongly held: the global context holds it weakly

  /** The real one: registers its hooks with CRaC's global context and checkpoints with {@code Core}. */
  public CracCheckpointer(CheckpointStore store, Ticker ticker, InstantSource clock) {
    this(store, ticker, clock, Core::checkpointRestore);
    Core.getGlobalContext().register(hooks);
  }

  /** With another checkpoint call (tests drive {@link #hooks()} from it as a CRaC JDK would). */
  public CracCheckpointer(CheckpointStore store, Ticker ticker, InstantSource clock, CheckpointCall call) {
    this.store = Objects.requireNonNull(store, "store");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.call = Objects.requireNonNull(call, "call");
  }

  /** Whether this JVM can take a CRaC checkpoint, naming what is missing when not. Cheap; never throws. */
  public static Support probe() {
    String jvm = System.getProperty("java.vm.vendor", "?") + " " + System.getProperty("java.vm.name", "?") + " "
        + System.getProperty("java.runtime.version", "?");
    String api = null;
    for (String cls : new String[] {"jdk.crac.Core", "javax.crac.Core"}) {
      try {
        Class.forName(cls, false, ClassLoader.getSystemClassLoader());
        api = cls;
        break;
      } catch (ClassNotFoundException | LinkageError e) {
        // not this one: try the next name
      }
    }
    if (api == null) {
      return Support.no("this JVM (" + jvm + ") has no CRaC support (neither jdk.crac.Core nor javax.crac.Core"
          + " exists); run on a CRaC-enabled JDK (e.g. Azul Zulu or Liberica with CRaC) with"
          + " -XX:CRaCCheckpointTo=<dir>, or use the app-state checkpointer");
    }
    String imageDir = imageDir();
    if (imageDir == null) {
      return Support.no("this JVM (" + jvm + ") has CRaC (" + api + ") but was started without"
          + " -XX:CRaCCheckpointTo=<dir>, so it cannot checkpoint");
    }
    return Support.yes("CRaC via " + api + ", images in " + imageDir);
  }

  /** Registers a resource whose hooks run around every checkpoint; held strongly until this checkpointer goes. */
  public void register(Resource resource) {
    hooks.register(resource);
  }

  /** The context the hooks run in (registered with CRaC's global context by the real constructor). */
  public CracHooks hooks() {
    return hooks;
  }

  @Override
  public CheckpointManifest checkpoint(CheckpointRequest request) {
    String id = request.functionId() + "/" + request.invocationId();
    long start = ticker.read();
    try {
      call.checkpointRestore();
    } catch (UnsupportedOperationException e) {
      throw new CheckpointException("checkpoint", id, "this JVM has no CRaC support: " + probe().reason(), e);
    } catch (org.crac.CheckpointException e) {
      CheckpointException wrapped = new CheckpointException("checkpoint", id,
          "CRaC checkpoint failed (" + e.getSuppressed().length + " hook failure(s) attached as suppressed)", e);
      for (Throwable t : e.getSuppressed()) {
        wrapped.addSuppressed(t);
      }
      throw wrapped;
    } catch (org.crac.RestoreException e) {
      CheckpointException wrapped = new CheckpointException("restore", id,
          "CRaC restore failed (" + e.getSuppressed().length + " hook failure(s) attached as suppressed)", e);
      for (Throwable t : e.getSuppressed()) {
        wrapped.addSuppressed(t);
      }
      throw wrapped;
    }
    long costNanos = ticker.read() - start;
    Instant now = clock.instant();
    long sequence = (store instanceof FileCheckpointStore fs
        ? fs.highestSequence(request.functionId(), request.invocationId())
        : store.list(request.functionId(), request.invocationId()).size()) + 1;
    Map<String, String> attributes = new HashMap<>();
    attributes.put("checkpointer", NAME);
    attributes.put("checkpoint.cost-nanos", Long.toString(costNanos));
    attributes.put("metrics.to", now.toString());
    String dir = imageDir();
    if (dir != null) {
      attributes.put("crac.image-dir", dir);
    }
    CheckpointManifest manifest = new CheckpointManifest(request.functionId(), request.invocationId(), sequence,
        now, request.trigger(), request.profile(), 0, EMPTY_SHA256, request.metricsFrom(), attributes);
    store.put(manifest, new ByteArrayInputStream(new byte[0]));
    return manifest;
  }

  private static String imageDir() {
    try {
      for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (arg.startsWith("-XX:CRaCCheckpointTo=")) {
          return arg.substring("-XX:CRaCCheckpointTo=".length());
        }
      }
      return null;
    } catch (RuntimeException | LinkageError e) {
      return null; // no java.management: cannot tell, so report no image directory
    }
  }
}
