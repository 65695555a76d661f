package dev.presize.trainer.report;

import dev.presize.spi.resources.Resource;
import java.util.Locale;

/** Text helpers of the report: HTML escaping, number formats, file-name-safe names. */
final class Text {

  /** Shown for a number that is not finite (no scored steps, no value). */
  static final String MISSING = "–";

  private Text() {
  }

  /** {@code s} safe as HTML text and as a double- or single-quoted attribute value. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            b.append("&#xFFFD;"); // control characters are not allowed in HTML text
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /**
   * A fraction as a percentage that keeps small distances from 0 % and from 100 % visible: {@code 91.2 %},
   * {@code 0.09 %}, {@code < 0.01 %}, {@code 99.97 %}, {@code > 99.99 %}; exactly {@code 0 %} and {@code 100 %}.
   */
  static String percent(double fraction) {
    if (!Double.isFinite(fraction)) {
      return MISSING;
    }
    double p = 100 * fraction;
    if (p == 0 || p == 100) {
      return String.format(Locale.ROOT, "%.0f %%", p);
    }
    if (Math.abs(p) < 0.01) {
      return (p < 0 ? "> -0.01" : "< 0.01") + " %";
    }
    if (p > 99.99 && p < 100) {
      return "> 99.99 %";
    }
    if (Math.abs(p) < 10 || p > 99 && p < 100) {
      return String.format(Locale.ROOT, "%.2f %%", p);
    }
    return String.format(Locale.ROOT, "%.1f %%", p);
  }

  /** A number with about three significant digits, grouped thousands, no exponent for everyday magnitudes. */
  static String number(double v) {
    if (!Double.isFinite(v)) {
      return MISSING;
    }
    double a = Math.abs(v);
    if (a == 0) {
      return "0";
    }
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    if (a >= 0.001) {
      return String.format(Locale.ROOT, "%.3f", v);
    }
    return String.format(Locale.ROOT, "%.2e", v);
  }

  /** A count with grouped thousands. */
  static String count(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  /** The lower-case name of {@code resource}, as in the JSON of {@code presize evaluate}. */
  static String name(Resource resource) {
    return resource.name().toLowerCase(Locale.ROOT);
  }

  /** {@code s} reduced to {@code [A-Za-z0-9._-]}, at most {@code max} characters, never empty. */
  static String fileSafe(String s, int max) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
          || c == '_';
      b.append(ok ? c : '_');
    }
    String out = b.toString().replaceAll("_+", "_").replaceAll("^[._]+", "");
    return out.isEmpty() ? "x" : out;
  }
}
