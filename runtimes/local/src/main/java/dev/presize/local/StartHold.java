package dev.presize.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a command stopped, so sampling can be set up before it runs its first instruction.
 *
 * <p>The command is prefixed with a shell that stops itself ({@code SIGSTOP}) and, once continued, {@code exec}s
 * the command with the same pid. {@link #release} continues it.
 */
final class StartHold {

  private static final String SCRIPT = "kill -STOP $$ && exec \"$@\"";
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private StartHold() {}

  /** {@code command} behind the self-stopping shell. */
  static List<String> wrap(List<String> command) {
    List<String> held = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "presize-hold"));
    held.addAll(command);
    return held;
  }

  /** Waits until {@code process} has stopped itself; fails if it exits or does not stop within 10 s. */
  static void awaitStopped(Process process) throws IOException, InterruptedException {
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the command exited with code " + process.exitValue()
            + " before it started (could it join its cgroup? see the message above)");
      }
      String s;
      try {
        s = Files.readString(stat, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        continue; // raced with exit; isAlive() says so on the next round
      }
      int close = s.lastIndexOf(')');
      if (close > 0 && close + 2 < s.length() && s.charAt(close + 2) == 'T') {
        return;
      }
      Thread.sleep(1);
    }
    process.destroyForcibly();
    throw new IOException("the command did not reach its start hold within 10 s; killed it");
  }

  /** Lets the held command run. */
  static void release(Process process) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-CONT", Long.toString(process.pid())).redirectErrorStream(true).start();
    String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (kill.waitFor() != 0) {
      process.destroyForcibly();
      throw new IOException("could not continue the held command (pid " + process.pid() + "): " + out.strip());
    }
  }
}
