package dev.presize.cli;

import dev.presize.spi.config.Quantities;
import java.time.Duration;
import picocli.CommandLine;

/** picocli converters for quantities with units ({@code 10ms}, {@code 512Mi}, {@code 1500m}). */
final class Converters {

  private Converters() {}

  /** A duration with a unit. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Quantities.parseDuration(value);
    }
  }

  /** A byte size with a unit. */
  static final class BytesConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return Quantities.parseBytes(value);
    }
  }

  /** CPU as Kubernetes writes it: {@code 1500m} millicores or {@code 1.5} cores. */
  static final class CpuConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      String v = value.strip();
      double millicores;
      try {
        millicores = v.endsWith("m") ? Double.parseDouble(v.substring(0, v.length() - 1))
            : Double.parseDouble(v) * 1000;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + value + "' is not a CPU amount: write 1500m or 1.5 (cores)");
      }
      if (!(millicores >= 1)) {
        throw new IllegalArgumentException("'" + value + "' is below 1 millicore");
      }
      return Math.round(millicores);
    }
  }
}
