package dev.presize.local;

import java.util.Map;

/**
 * How a command's exit code reads to a person. A command killed by a signal exits, as the shell reports it, with
 * 128 + the signal's number; the holding shell does not print the signal itself ({@link StartHold}), so the
 * summaries name it.
 */
public final class ExitStatus {

  private static final Map<Integer, String> SIGNALS = Map.ofEntries(Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"),
      Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"), Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"),
      Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"), Map.entry(10, "SIGUSR1"),
      Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"), Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"),
      Map.entry(15, "SIGTERM"), Map.entry(24, "SIGXCPU"), Map.entry(25, "SIGXFSZ"));

  private ExitStatus() {
  }

  /** {@code "137 (SIGKILL)"} for a code that is 128 + a known signal's number (Linux x86-64), else the number. */
  public static String describe(int exitCode) {
    String signal = SIGNALS.get(exitCode - 128);
    return signal == null ? Integer.toString(exitCode) : exitCode + " (" + signal + ")";
  }

  /**
   * The exit status of a process ended by the signal named without its {@code SIG}, as a shell reports it: 128 + its
   * number ({@code "INT"}: 130, {@code "TERM"}: 143); 128 for a name not known here.
   */
  public static int ofSignal(String name) {
    return 128 + SIGNALS.entrySet().stream().filter(e -> e.getValue().equals("SIG" + name))
        .mapToInt(Map.Entry::getKey).findFirst().orElse(0);
  }
}
