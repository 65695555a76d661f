package dev.presize.cli;

import dev.presize.spi.config.Quantities;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for quantities with units ({@code 10ms}, {@code 512Mi}, {@code 1500m}). Every quantity must be
 * more than 0; a bad value fails with a {@link TypeConversionException} whose message says what is wrong with it
 * (Main prints it after the option and the value: {@code --memory abc: not a size (e.g. 256Mi, 1Gi)}).
 */
final class Converters {

  private Converters() {}

  /** A number, then letters (the unit), blanks allowed around. */
  private static final Pattern QUANTITY = Pattern.compile("\\s*(-?(?:\\d+\\.?\\d*|\\.\\d+))\\s*(\\p{Alpha}*)\\s*");

  /** A duration with a unit, more than 0. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = parse(value, "not a duration (e.g. 100ms, 2s)", "ns, us, ms, s, m, h, d", "ms",
          Quantities::parseDuration);
      if (d.isZero() || d.isNegative()) {
        throw new TypeConversionException("must be more than 0");
      }
      return d;
    }
  }

  /** A byte size with a unit, more than 0. */
  static final class BytesConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long bytes = parse(value, "not a size (e.g. 256Mi, 1Gi)", "B, Ki, Mi, Gi, Ti, k, M, G, T", "Mi",
          Quantities::parseBytes);
      if (bytes <= 0) {
        throw new TypeConversionException("must be more than 0");
      }
      return bytes;
    }
  }

  /** CPU as Kubernetes writes it: {@code 1500m} millicores or {@code 1.5} cores; at least 1 millicore. */
  static final class CpuConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      Matcher m = QUANTITY.matcher(value);
      if (!m.matches() || !(m.group(2).isEmpty() || m.group(2).equals("m"))) {
        throw new TypeConversionException("not a CPU amount (e.g. 1, 1.5 cores or 1500m millicores)");
      }
      double number = Double.parseDouble(m.group(1));
      double millicores = m.group(2).isEmpty() ? number * 1000 : number;
      if (!(number > 0)) {
        throw new TypeConversionException("must be more than 0");
      }
      if (millicores < 1) {
        throw new TypeConversionException("below 1 millicore (1m, 0.001 cores)");
      }
      return Math.round(millicores);
    }
  }

  /**
   * {@code value} parsed by {@code parser} when it is a number and a unit; else the {@link TypeConversionException}
   * saying what is wrong: not that shape ({@code notOne}), 0 or less, no unit, an unknown unit (of {@code units}).
   */
  private static <T> T parse(String value, String notOne, String units, String exampleUnit,
      java.util.function.Function<String, T> parser) {
    Matcher m = QUANTITY.matcher(value);
    if (m.matches() && !(Double.parseDouble(m.group(1)) > 0)) {
      throw new TypeConversionException("must be more than 0");
    }
    if (m.matches() && m.group(2).isEmpty()) {
      throw new TypeConversionException("no unit: write it with one of " + units + " (e.g. " + m.group(1)
          + exampleUnit + ")");
    }
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      // Quantities' message repeats the value; ours follows the option and the value
      if (!m.matches()) {
        throw new TypeConversionException(notOne);
      }
      if (String.valueOf(e.getMessage()).contains("out of range")) {
        throw new TypeConversionException("too large");
      }
      throw new TypeConversionException("unknown unit '" + m.group(2) + "': use one of " + units);
    }
  }
}
