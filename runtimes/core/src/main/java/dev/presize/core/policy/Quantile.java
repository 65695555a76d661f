package dev.presize.core.policy;

import dev.presize.spi.resources.Quantiles;
import java.util.Locale;

/** Which of a forecast's three quantiles a resource is sized from. */
public enum Quantile {
  /** The median: too low for memory, where running short is fatal. */
  P50,
  /** Exceeded one time in ten: the default for CPU, where running short only slows. */
  P90,
  /** Exceeded one time in a hundred: the default for memory. */
  P99;

  /** This quantile's value in {@code q}. */
  public double of(Quantiles q) {
    return switch (this) {
      case P50 -> q.p50();
      case P90 -> q.p90();
      case P99 -> q.p99();
    };
  }

  /** {@code p50}, {@code p90} or {@code p99} (any case). */
  public static Quantile parse(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "p50" -> P50;
      case "p90" -> P90;
      case "p99" -> P99;
      default -> throw new IllegalArgumentException("'" + text + "' is not a quantile: use p50, p90 or p99");
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
