package dev.presize.core.checkpoint;

import java.util.regex.Pattern;

/**
 * The rule for function and invocation ids that become directory names: letters, digits, {@code . _ -}, 1 to 128
 * characters, starting with a letter or digit. So no id can name a parent directory, an absolute path or a
 * hidden temporary directory of the store.
 */
public final class CheckpointIds {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private CheckpointIds() {
  }

  /**
   * Returns {@code id} if it is a valid id.
   *
   * @throws IllegalArgumentException naming what ({@code functionId}, {@code invocationId}) and the bad value
   */
  public static String require(String what, String id) {
    if (id == null || !ID.matcher(id).matches() || id.contains("..")) {
      throw new IllegalArgumentException(what + " must be 1-128 of [A-Za-z0-9._-], start with a letter or digit"
          + " and not contain '..', was '" + id + "'");
    }
    return id;
  }
}
