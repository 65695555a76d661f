package dev.presize.core.input.host;

import java.util.Locale;

/**
 * One counter line of {@code perf stat -x,} output, parsed.
 *
 * <p>perf's CSV fields are, in order: the interval time stamp (only with {@code -I}), the counter value (or
 * {@code <not counted>} / {@code <not supported>}), its unit (empty for hardware counters), the event name, the
 * counter's run time, the percentage of the time it was running (below 100 when perf multiplexed counters; the
 * value is then already scaled), and an optional derived metric value and unit (e.g. {@code 1.52,insn per cycle}).
 * No per-CPU, aggregation or {@code -r} variance fields are expected: Presize never passes {@code -A},
 * {@code --per-*} or {@code -r}.
 *
 * @param event the event name normalized: modifiers ({@code :u}) and hybrid PMU prefixes
 *     ({@code cpu_core/instructions/}) removed
 * @param value the counter value for the interval, rounded, or 0 when not counted
 * @param state whether the value was counted
 */
record PerfStatLine(String event, long value, State state) {

  /** Whether a counter produced a value. */
  enum State {
    COUNTED,
    /** The counter exists but was not scheduled during the interval ({@code <not counted>}). */
    NOT_COUNTED,
    /** The host has no such counter ({@code <not supported>}): no PMU, or the event is unknown to it. */
    NOT_SUPPORTED
  }

  /**
   * Parses one line of {@code perf stat -x,} output.
   *
   * @param intervalMode whether perf ran with {@code -I} (the first field is then a time stamp)
   * @return the counter line, or {@code null} for anything else (blank lines, {@code #} comments, warnings)
   */
  static PerfStatLine parse(String line, boolean intervalMode) {
    String s = line.strip();
    if (s.isEmpty() || s.startsWith("#")) {
      return null;
    }
    String[] f = s.split(",", -1);
    int at = intervalMode ? 1 : 0;
    if (f.length < at + 3) {
      return null;
    }
    if (intervalMode && !isNumber(f[0])) {
      return null;
    }
    String rawValue = f[at].strip();
    String event = normalize(f[at + 2]);
    if (event.isEmpty()) {
      return null;
    }
    if (rawValue.equals("<not supported>")) {
      return new PerfStatLine(event, 0, State.NOT_SUPPORTED);
    }
    if (rawValue.equals("<not counted>")) {
      return new PerfStatLine(event, 0, State.NOT_COUNTED);
    }
    if (!isNumber(rawValue)) {
      return null;
    }
    return new PerfStatLine(event, Math.round(Double.parseDouble(rawValue)), State.COUNTED);
  }

  private static String normalize(String raw) {
    String e = raw.strip().toLowerCase(Locale.ROOT);
    int slash = e.indexOf('/');
    if (slash >= 0 && e.endsWith("/")) { // cpu_core/instructions/ on hybrid CPUs
      e = e.substring(slash + 1, e.length() - 1);
    }
    int colon = e.indexOf(':');
    if (colon >= 0) { // instructions:u
      e = e.substring(0, colon);
    }
    return e;
  }

  private static boolean isNumber(String s) {
    String t = s.strip();
    if (t.isEmpty()) {
      return false;
    }
    boolean digit = false;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c != '.' && !(i == 0 && c == '-')) {
        return false;
      }
    }
    return digit;
  }
}
