package dev.presize.cli;

import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * Routes this JVM's INT and TERM to a handler instead of shutting the JVM down, so a recording can pass them to
 * the command it runs and still finish its trace, its summary and its clean-up. Uses {@code sun.misc.Signal}
 * (module jdk.unsupported, in every JDK), the only way to handle a signal without starting a shutdown.
 */
final class Signals {

  private Signals() {}

  /** Calls {@code handler} with "INT" or "TERM" (on a JVM signal thread) when this process receives them. */
  static void forward(Consumer<String> handler) {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(new Signal(name), s -> handler.accept(s.getName()));
      } catch (IllegalArgumentException e) {
        // The JVM keeps this signal for itself (e.g. -Xrs): then the shutdown hook of the recorder applies.
      }
    }
  }
}
