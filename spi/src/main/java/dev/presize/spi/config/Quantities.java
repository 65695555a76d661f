package dev.presize.spi.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Parsers for the quantities config and command lines accept: durations ({@code 10ms}, {@code 2s}) and byte
 * sizes ({@code 512Mi}, {@code 1G}). Unitless numbers are rejected, since a bare {@code 10} is ambiguous.
 */
public final class Quantities {

  private Quantities() {}

  /**
   * Parses a duration with a unit: {@code ns}, {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m},
   * {@code h}, {@code d}; a decimal number is allowed ({@code 1.5s}). Also accepts ISO-8601 ({@code PT2S}).
   *
   * @throws IllegalArgumentException naming the text and the units accepted
   */
  public static Duration parseDuration(String text) {
    String t = text.strip();
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration", e);
      }
    }
    int i = numberEnd(t);
    String number = t.substring(0, i);
    String unit = t.substring(i).strip().toLowerCase(Locale.ROOT);
    if (number.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration: expected a number and a unit, e.g. 10ms");
    }
    long nanosPerUnit = switch (unit) {
      case "ns" -> 1L;
      case "us", "µs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m", "min" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      case "d" -> 86_400_000_000_000L;
      case "" -> throw new IllegalArgumentException(
          "'" + text + "' has no unit: write it with one of ns, us, ms, s, m, h, d (e.g. " + number + "ms)");
      default -> throw new IllegalArgumentException(
          "'" + text + "' has an unknown duration unit '" + unit + "': use one of ns, us, ms, s, m, h, d");
    };
    double nanos = Double.parseDouble(number) * nanosPerUnit;
    if (nanos < 0 || nanos > Long.MAX_VALUE) {
      throw new IllegalArgumentException("'" + text + "' is out of range for a duration");
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  /**
   * Parses a byte size with a unit: {@code B}; binary {@code Ki, Mi, Gi, Ti}; decimal {@code k, K, M, G, T}
   * (the Kubernetes quantity suffixes). A decimal number is allowed ({@code 1.5Gi}).
   *
   * @throws IllegalArgumentException naming the text and the units accepted
   */
  public static long parseBytes(String text) {
    String t = text.strip();
    int i = numberEnd(t);
    String number = t.substring(0, i);
    String unit = t.substring(i).strip();
    if (number.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' is not a size: expected a number and a unit, e.g. 512Mi");
    }
    long multiplier = switch (unit) {
      case "B", "b" -> 1L;
      case "Ki", "KiB" -> 1L << 10;
      case "Mi", "MiB" -> 1L << 20;
      case "Gi", "GiB" -> 1L << 30;
      case "Ti", "TiB" -> 1L << 40;
      case "k", "K", "kB", "KB" -> 1_000L;
      case "M", "MB" -> 1_000_000L;
      case "G", "GB" -> 1_000_000_000L;
      case "T", "TB" -> 1_000_000_000_000L;
      case "" -> throw new IllegalArgumentException(
          "'" + text + "' has no unit: write it with one of B, Ki, Mi, Gi, Ti, k, M, G, T (e.g. " + number + "Mi)");
      default -> throw new IllegalArgumentException(
          "'" + text + "' has an unknown size unit '" + unit + "': use one of B, Ki, Mi, Gi, Ti, k, M, G, T");
    };
    double bytes = Double.parseDouble(number) * multiplier;
    if (bytes < 0 || bytes > Long.MAX_VALUE) {
      throw new IllegalArgumentException("'" + text + "' is out of range for a size");
    }
    return Math.round(bytes);
  }

  /** Formats a byte count with a binary unit and three significant digits, e.g. {@code 301Mi}. */
  public static String formatBytes(long bytes) {
    String[] units = {"B", "Ki", "Mi", "Gi", "Ti", "Pi"};
    double v = bytes;
    int u = 0;
    while (Math.abs(v) >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    if (u == 0) {
      return bytes + "B";
    }
    long unit = 1L << (10 * u);
    if (bytes % unit == 0) {
      return bytes / unit + units[u]; // as written: 256Mi, 1Gi
    }
    return (v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v)) + units[u];
  }

  /**
   * Formats a duration as people write it, in the largest of h, m, s, ms, us, ns it is a whole number of:
   * {@code 5m}, {@code 1500ms}, {@code 1ns}; what {@link #parseDuration} reads back.
   */
  public static String formatDuration(Duration d) {
    long nanos = d.toNanos();
    long[] unit = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
    String[] name = {"h", "m", "s", "ms", "us", "ns"};
    for (int i = 0; i < unit.length; i++) {
      if (nanos % unit[i] == 0) {
        return nanos / unit[i] + name[i];
      }
    }
    throw new AssertionError("unreachable");
  }

  private static int numberEnd(String t) {
    int i = 0;
    while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.' || (i == 0 && t.charAt(i) == '-'))) {
      i++;
    }
    return i;
  }
}
