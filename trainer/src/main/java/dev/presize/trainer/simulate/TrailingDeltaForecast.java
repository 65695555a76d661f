package dev.presize.trainer.simulate;

import dev.presize.spi.resources.Quantiles;
import java.util.Arrays;

/**
 * The simulation's stand-in for the learned forecast: a simple, honest, causal estimator of the next step's memory.
 * It keeps the step-to-step changes of the last {@code window} steps in sorted order and forecasts
 * {@code m[i] = m[i-1] + Δ} with Δ's empirical p50, p90 and p99 (type-7 quantiles) over that window. So it knows
 * how fast usage moved recently and where it is now, nothing else (no seasonality, no phases): the learned model
 * replaces it later.
 */
final class TrailingDeltaForecast {

  private final int window;
  private final double[] ring;
  private final double[] sorted;
  private int count;
  private int head;

  TrailingDeltaForecast(int window) {
    if (window < 2) {
      throw new IllegalArgumentException("window must be >= 2, was " + window);
    }
    this.window = window;
    this.ring = new double[window];
    this.sorted = new double[window];
  }

  /** Adds the change between two consecutive steps. */
  void add(double delta) {
    if (count == window) {
      double old = ring[head];
      int at = Arrays.binarySearch(sorted, 0, count, old);
      System.arraycopy(sorted, at + 1, sorted, at, count - at - 1);
      count--;
    }
    ring[head] = delta;
    head = (head + 1) % window;
    int at = Arrays.binarySearch(sorted, 0, count, delta);
    if (at < 0) {
      at = -at - 1;
    }
    System.arraycopy(sorted, at, sorted, at + 1, count - at);
    sorted[at] = delta;
    count++;
  }

  /** Changes held. */
  int size() {
    return count;
  }

  /** The forecast of the next value after {@code last}; needs at least one change. */
  Quantiles next(double last) {
    // Monotone by construction (rounding could otherwise cross them by an ulp).
    double p50 = Math.max(0, last + q(0.5));
    double p90 = Math.max(p50, last + q(0.9));
    double p99 = Math.max(p90, last + q(0.99));
    return new Quantiles(p50, p90, p99);
  }

  private double q(double p) {
    double h = (count - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(count - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
