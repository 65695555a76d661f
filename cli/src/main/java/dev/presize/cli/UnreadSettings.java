package dev.presize.cli;

import dev.presize.spi.config.ConfigProperties;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.Set;

/**
 * The {@code -D} settings a command was given that nothing read: a misspelt key ({@code headroomm}) or one for
 * another command would otherwise be dropped without a word, and the run would go on with the default. A key that is
 * no setting at all ({@link KnownSettings}) is called so, with the setting it is closest to; a real setting this
 * command did not need (another command's, or one of options not used here) is called that, not misspelt.
 */
final class UnreadSettings {

  private UnreadSettings() {}

  /**
   * Warns on {@code err}, once the command's work is done (settings are read as the parts that need them start),
   * about each of {@code given} that no getter of {@code config} (or of a copy of it) asked for; returns them.
   */
  static Set<String> warn(PrintWriter err, String command, ConfigProperties config, Collection<String> given) {
    Set<String> never = config.neverAsked(given);
    for (String key : never) {
      err.println("presize " + command + ": warning: -D " + key + " " + why(command, key));
    }
    err.flush();
    return never;
  }

  /** Why nothing read {@code key}, in words. */
  static String why(String command, String key) {
    if (KnownSettings.known(key)) {
      return "was given but this " + command + " did not use it (a setting of another command, or of options not"
          + " used here)";
    }
    return "is not a Presize setting and was ignored: misspelt?" + KnownSettings.closest(key)
        .map(c -> " (did you mean " + c + "?)").orElse("") + " The settings are listed in the README.";
  }
}
