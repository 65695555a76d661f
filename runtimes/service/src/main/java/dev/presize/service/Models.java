package dev.presize.service;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.presize.core.predict.LoadedModel;
import dev.presize.core.registry.ModelRegistry;
import dev.presize.core.registry.ModelSummary;
import dev.presize.core.registry.Version;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The models the service forecasts with: a Caffeine cache of loaded models by (name, version), and an immutable
 * snapshot of the current model per name that {@link #refresh()} replaces in one volatile write when a registry
 * pointer moves. A request reads the snapshot once and keeps its {@link Served} model to the end, so a switch
 * never fails a request and the old model lives until the last request using it finishes.
 */
final class Models implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Models.class.getName());

  /** A model in service, with what its forecasts are labelled with. */
  record Served(LoadedModel model, String[] targets, String[] quantileLabels, String[] units, String[] resources) {

    static Served of(LoadedModel m) {
      int n = m.targetCount();
      String[] targets = new String[n];
      String[] units = new String[n];
      String[] resources = new String[n];
      for (int t = 0; t < n; t++) {
        targets[t] = m.targetKeys().get(t);
        units[t] = m.target(t).unit();
        resources[t] = m.target(t).resource();
      }
      double[] q = m.quantiles();
      String[] labels = new String[q.length];
      for (int k = 0; k < q.length; k++) {
        labels[k] = label(q[k]);
      }
      return new Served(m, targets, labels, units, resources);
    }

    /** 0.5 -> p50, 0.99 -> p99, 0.999 -> p99.9. */
    static String label(double q) {
      String s = java.math.BigDecimal.valueOf(q * 100).stripTrailingZeros().toPlainString();
      return "p" + s;
    }
  }

  /** What the registry said at the last refresh: current models by name, and every name's summary. */
  record Snapshot(Map<String, Served> current, List<ModelSummary> summaries, Optional<String> lastError) {}

  private record Key(String name, Version version) {}

  private final ModelRegistry registry;
  private final LoadingCache<Key, Served> loaded;
  private final Metrics metrics;
  private volatile Snapshot snapshot = new Snapshot(Map.of(), List.of(), Optional.empty());
  private final ScheduledExecutorService poller;

  Models(ModelRegistry registry, Duration pollInterval, Metrics metrics) {
    this.registry = registry;
    this.metrics = metrics;
    this.loaded = Caffeine.newBuilder().maximumSize(16)
        .build(k -> Served.of(LoadedModel.load(registry.open(k.name(), k.version()))));
    refresh();
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "presize-registry-poll");
      t.setDaemon(true);
      return t;
    });
    long every = pollInterval.toNanos();
    poller.scheduleWithFixedDelay(this::pollOnce, every, every, TimeUnit.NANOSECONDS);
  }

  Snapshot snapshot() {
    return snapshot;
  }

  ModelRegistry registry() {
    return registry;
  }

  /** One poll; never throws (an exception would stop the schedule). */
  private void pollOnce() {
    try {
      refresh();
    } catch (Throwable t) {
      LOG.log(Level.WARNING, "registry poll failed: " + t);
    }
  }

  /**
   * Reads every pointer and swaps in a new snapshot if a current version changed. A version that fails to load
   * leaves the name on its previous model (logged, and reported by /healthz).
   */
  synchronized void refresh() {
    Snapshot before = snapshot;
    List<ModelSummary> summaries;
    try {
      summaries = registry.list();
    } catch (RuntimeException e) {
      snapshot = new Snapshot(before.current(), before.summaries(), Optional.of("list registry: " + e.getMessage()));
      throw e;
    }
    Map<String, Served> next = new HashMap<>();
    String error = null;
    for (ModelSummary s : summaries) {
      if (s.current().isEmpty()) {
        continue;
      }
      Served old = before.current().get(s.name());
      if (old != null && old.model().version().equals(s.current().get().toString())) {
        next.put(s.name(), old);
        continue;
      }
      try {
        Served m = loaded.get(new Key(s.name(), s.current().get()));
        next.put(s.name(), m);
        LOG.log(Level.INFO, "model=" + s.name() + " from=" + (old == null ? "none" : old.model().version()) + " to="
            + m.model().version() + " in service");
      } catch (RuntimeException e) {
        error = "model=" + s.name() + " version=" + s.current().get() + " cannot be loaded, keeping "
            + (old == null ? "none" : old.model().version()) + ": " + e.getMessage();
        LOG.log(Level.WARNING, error);
        if (old != null) {
          next.put(s.name(), old);
        }
      }
    }
    snapshot = new Snapshot(Map.copyOf(next), List.copyOf(summaries), Optional.ofNullable(error));
    metrics.modelsInService(snapshot.current());
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
