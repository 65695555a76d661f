package dev.presize.core.input.jvm;

import jdk.jfr.FlightRecorder;

/** Whether JFR can record in this JVM; a class of its own so nothing links {@code jdk.jfr} before it is known. */
final class JfrAvailability {

  private JfrAvailability() {}

  /** Call only when module {@code jdk.jfr} is present. */
  static boolean recorderAvailable() {
    return FlightRecorder.isAvailable();
  }
}
