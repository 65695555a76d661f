package dev.presize.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The flags that let a JVM's heap follow a cgroup whose limit changes while it runs.
 *
 * <p>A JVM sizes its maximum heap once, at start, from the memory it sees (the cgroup limit then). Started under a
 * 256Mi limit it could never use the 1Gi it is later given. So:
 * <ul>
 *   <li>{@code -XX:MaxRAM=<the largest limit it may be given>} with {@code -XX:MaxRAMPercentage=75}: the maximum heap
 *       is 75% of the largest size, not of the initial limit (an explicit {@code -Xmx} of the command still
 *       wins: it comes later on the command line);</li>
 *   <li>G1 with {@code -XX:G1PeriodicGCInterval=1000}: when the function goes quiet, a periodic collection every
 *       second lets G1 uncommit the heap it no longer needs, so the memory can be taken back when the limit
 *       shrinks; {@code -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30} make it shrink after each collection
 *       rather than keep 70% free;</li>
 *   <li>heap and GC signals are sampled as features by the in-process JVM source where the agent runs inside
 *       the function (see the README, "What is sampled").</li>
 * </ul>
 */
final class JvmFlags {

  private JvmFlags() {}

  /** The flags for a JVM that may be given up to {@code maxMemoryBytes}. */
  static List<String> flags(long maxMemoryBytes) {
    return List.of("-XX:MaxRAM=" + maxMemoryBytes, "-XX:MaxRAMPercentage=75", "-XX:+UseG1GC",
        "-XX:G1PeriodicGCInterval=1000", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30");
  }

  /**
   * {@code command} with the flags passed through {@code JAVA_TOOL_OPTIONS} (via {@code env}) when it runs
   * {@code java}; other commands are returned as they are.
   */
  static List<String> wrap(List<String> command, long maxMemoryBytes) {
    if (command.isEmpty() || !Path.of(command.get(0)).getFileName().toString().equals("java")) {
      return command;
    }
    String existing = System.getenv().getOrDefault("JAVA_TOOL_OPTIONS", "");
    List<String> out = new ArrayList<>();
    out.add("env");
    out.add("JAVA_TOOL_OPTIONS=" + (existing.isBlank() ? "" : existing + " ") + String.join(" ",
        flags(maxMemoryBytes)));
    out.addAll(command);
    return out;
  }
}
