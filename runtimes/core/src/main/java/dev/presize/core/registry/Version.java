package dev.presize.core.registry;

import java.util.regex.Pattern;

/**
 * A model version in a registry: {@code v1}, {@code v2}, ... assigned by {@link ModelRegistry#publish} in
 * increasing order per model name, never reused.
 */
public record Version(int number) implements Comparable<Version> {

  private static final Pattern FORM = Pattern.compile("v[1-9][0-9]{0,8}");

  public Version {
    if (number < 1) {
      throw new IllegalArgumentException("version number must be >= 1, got " + number);
    }
  }

  /** {@code "v12"} to version 12; anything else (including path tricks like {@code ../v1}) is refused. */
  public static Version parse(String text) {
    if (text == null || !FORM.matcher(text).matches()) {
      throw new IllegalArgumentException("bad model version '" + text + "': expected v1, v2, ...");
    }
    return new Version(Integer.parseInt(text.substring(1)));
  }

  /** Whether {@code text} is a version's form (a directory or key segment that names a version). */
  public static boolean isVersion(String text) {
    return text != null && FORM.matcher(text).matches();
  }

  public Version next() {
    return new Version(Math.addExact(number, 1));
  }

  @Override
  public int compareTo(Version o) {
    return Integer.compare(number, o.number);
  }

  @Override
  public String toString() {
    return "v" + number;
  }
}
