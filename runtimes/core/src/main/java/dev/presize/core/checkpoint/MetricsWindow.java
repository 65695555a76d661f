package dev.presize.core.checkpoint;

import java.time.Instant;
import java.util.Map;

/**
 * Summarizes the metrics of an invocation over a window, for the manifest of a checkpoint: the window runs from the
 * previous checkpoint (or the invocation's start) to this one. Keys become manifest attributes {@code metrics.<key>}
 * (for example {@code cpu.mean-millicores}, {@code memory.peak-bytes}, {@code trace} for a trace file).
 */
@FunctionalInterface
public interface MetricsWindow {

  /** The summary of {@code [from, to)} for one invocation; empty when nothing was sampled. Must not throw. */
  Map<String, String> summarize(String functionId, String invocationId, Instant from, Instant to);

  /** No metrics: manifests carry only the window's bounds. */
  static MetricsWindow none() {
    return (f, i, from, to) -> Map.of();
  }
}
