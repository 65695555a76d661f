package dev.presize.core.checkpoint;

import dev.presize.spi.Ticker;
import dev.presize.spi.checkpoint.CheckpointException;
import dev.presize.spi.checkpoint.CheckpointManifest;
import dev.presize.spi.checkpoint.CheckpointRequest;
import dev.presize.spi.checkpoint.CheckpointStore;
import dev.presize.spi.checkpoint.Checkpointable;
import dev.presize.spi.checkpoint.Checkpointer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Checkpointer} of application state: a running {@link Checkpointable} function is attached under its
 * function and invocation ids; {@link #checkpoint} has it write a snapshot, which is stored with its manifest in a
 * {@link CheckpointStore}; {@link #restore} reads the newest valid checkpoint back into a new instance, which then
 * resumes where the old one stopped. Works on any JVM.
 *
 * <p>The cost of each checkpoint (snapshot plus durable store, in nanoseconds of the injected {@link Ticker}) is
 * recorded in the manifest attribute {@code checkpoint.snapshot-nanos} (the part before the store write) and given
 * with the whole cost to the {@link CheckpointListener}. Thread-safe; checkpoints of one invocation are serialized.
 */
public final class AppStateCheckpointer implements Checkpointer {

  /** The provider name, also recorded in every manifest as attribute {@code checkpointer}. */
  public static final String NAME = "app-state";

  private final CheckpointStore store;
  private final Ticker ticker;
  private final InstantSource clock;
  private final MetricsWindow metrics;
  private final CheckpointListener listener;
  private final Map<Key, Checkpointable> attached = new ConcurrentHashMap<>();
  private final Map<Key, Long> sequences = new ConcurrentHashMap<>();

  public AppStateCheckpointer(CheckpointStore store, Ticker ticker, InstantSource clock, MetricsWindow metrics,
      CheckpointListener listener) {
    this.store = Objects.requireNonNull(store, "store");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** With no metrics summary and no listener. */
  public AppStateCheckpointer(CheckpointStore store, Ticker ticker, InstantSource clock) {
    this(store, ticker, clock, MetricsWindow.none(), CheckpointListener.none());
  }

  /**
   * Makes a running function checkpointable under these ids until {@link #detach}.
   *
   * @throws IllegalArgumentException for an invalid id
   * @throws IllegalStateException when another function is attached under the same ids
   */
  public void attach(String functionId, String invocationId, Checkpointable function) {
    Key key = new Key(functionId, invocationId);
    Objects.requireNonNull(function, "function");
    Checkpointable previous = attached.putIfAbsent(key, function);
    if (previous != null && previous != function) {
      throw new IllegalStateException("another function is attached as " + functionId + "/" + invocationId);
    }
  }

  /** Stops checkpointing a function; absent is not an error. */
  public void detach(String functionId, String invocationId) {
    attached.remove(new Key(functionId, invocationId));
  }

  @Override
  public CheckpointManifest checkpoint(CheckpointRequest request) {
    Key key = new Key(request.functionId(), request.invocationId());
    String id = key.functionId + "/" + key.invocationId;
    Checkpointable function = attached.get(key);
    if (function == null) {
      throw new CheckpointException("checkpoint", id, "no Checkpointable function is attached under these ids");
    }
    synchronized (function) {
      long start = ticker.read();
      ByteArrayOutputStream state = new ByteArrayOutputStream();
      try {
        function.snapshot(state);
      } catch (IOException | RuntimeException e) {
        throw new CheckpointException("checkpoint", id, "the function's snapshot failed: " + e, e);
      }
      long snapshotNanos = ticker.read() - start;
      byte[] bytes = state.toByteArray();
      Instant now = clock.instant();
      long sequence = nextSequence(key);
      Map<String, String> attributes = new HashMap<>();
      attributes.put("checkpointer", NAME);
      attributes.put("checkpoint.snapshot-nanos", Long.toString(snapshotNanos));
      attributes.put("metrics.to", now.toString());
      metrics.summarize(key.functionId, key.invocationId, request.metricsFrom(), now)
          .forEach((k, v) -> attributes.put("metrics." + k, v));
      CheckpointManifest manifest = new CheckpointManifest(key.functionId, key.invocationId, sequence, now,
          request.trigger(), request.profile(), bytes.length, sha256Hex(bytes), request.metricsFrom(), attributes);
      store.put(manifest, new ByteArrayInputStream(bytes));
      sequences.put(key, sequence);
      listener.taken(manifest, ticker.read() - start);
      return manifest;
    }
  }

  /**
   * Restores the newest valid checkpoint of an invocation into {@code into} (a new instance of the function),
   * which then resumes from it when invoked. The state is verified whole before {@code into} sees a byte.
   *
   * @return the manifest restored, or empty when the invocation has no valid checkpoint
   * @throws CheckpointException when reading fails or the function refuses the state
   */
  public Optional<CheckpointManifest> restore(String functionId, String invocationId, Checkpointable into) {
    Objects.requireNonNull(into, "into");
    Optional<CheckpointManifest> latest = store.latest(CheckpointIds.require("functionId", functionId),
        CheckpointIds.require("invocationId", invocationId));
    if (latest.isEmpty()) {
      return latest;
    }
    CheckpointManifest m = latest.get();
    byte[] bytes;
    try (InputStream in = store.open(m)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new CheckpointException("restore", m.id(), "reading the state failed: " + e, e);
    }
    try {
      into.restore(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new CheckpointException("restore", m.id(), "the function refused the state: " + e, e);
    }
    return latest;
  }

  private long nextSequence(Key key) {
    long known = sequences.getOrDefault(key, 0L);
    long stored = store instanceof FileCheckpointStore fs
        ? fs.highestSequence(key.functionId, key.invocationId)
        : highestListed(store.list(key.functionId, key.invocationId));
    return Math.max(known, stored) + 1;
  }

  private static long highestListed(List<CheckpointManifest> list) {
    return list.isEmpty() ? 0 : list.get(list.size() - 1).sequence();
  }

  private static String sha256Hex(byte[] bytes) {
    MessageDigest sha = ManifestCodec.sha256();
    return HexFormat.of().formatHex(sha.digest(bytes));
  }

  private record Key(String functionId, String invocationId) {
    Key {
      CheckpointIds.require("functionId", functionId);
      CheckpointIds.require("invocationId", invocationId);
    }
  }
}
