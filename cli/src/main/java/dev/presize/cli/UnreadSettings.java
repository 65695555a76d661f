package dev.presize.cli;

import dev.presize.spi.config.ConfigProperties;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.Set;

/**
 * The {@code -D} settings a command was given that nothing read: a misspelt key ({@code headroomm}) or one for
 * another command would otherwise be dropped without a word, and the run would go on with the default.
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
      err.println("presize " + command + ": warning: -D " + key + " was given but nothing in this " + command
          + " read it: is it misspelt? (the settings are listed in the README)");
    }
    err.flush();
    return never;
  }
}
