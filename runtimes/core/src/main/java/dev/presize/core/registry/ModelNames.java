package dev.presize.core.registry;

import java.util.regex.Pattern;

/** The rule for model names in a registry: one safe path segment (letters, digits, {@code . _ -}). */
public final class ModelNames {

  private static final Pattern FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private ModelNames() {}

  /**
   * Returns {@code name} if it is a valid model name: 1 to 64 characters of letters, digits, {@code .},
   * {@code _} and {@code -}, starting with a letter or digit. So {@code ..}, {@code a/b}, {@code .hidden} and
   * empty names are refused, with the bad value in the message.
   */
  public static String check(String name) {
    if (name == null || !FORM.matcher(name).matches()) {
      throw new IllegalArgumentException("bad model name '" + name + "': use 1-64 letters, digits, '.', '_' or '-', "
          + "starting with a letter or digit");
    }
    return name;
  }

  /** Whether {@code text} is a valid model name (for listing directories or keys). */
  public static boolean isValid(String text) {
    return text != null && FORM.matcher(text).matches();
  }
}
