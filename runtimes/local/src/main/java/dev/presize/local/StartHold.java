package dev.presize.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Holds a command stopped before it starts and after it ends, so sampling sees all of it.
 *
 * <p>The command runs under a small shell that stops itself ({@code SIGSTOP}) before starting it, runs it as its
 * child, and stops itself again when it has ended (and been reaped), then exits with its exit code. While the
 * shell is stopped the second time, the kernel holds the whole command tree's totals (CPU time, faults, I/O) in
 * the shell's counters for waited-for children, so the final sample is exact even for a command shorter than a
 * tick. {@link #release} continues the shell each time.
 */
final class StartHold {

  /**
   * {@code $1} is the end-marker file. Signals to the shell are caught (not ignored, so the command still gets
   * their default action) so that INT or TERM cannot kill the shell and orphan the command; only the end marker
   * says the command is over, so a SIGSTOP from elsewhere is not taken for the end. The command is exec'd from a
   * subshell (so it is still the shell's own child) with the shell's stderr, while the shell waits for it with its
   * stderr on {@code /dev/null}: a shell reports a child killed by a signal ("Killed", after an OOM kill or when
   * the command is stopped to be restored bigger) on its stderr, and that line is not the command's; the exit code
   * (128 + the signal) carries it, and the summaries name the signal ({@link ExitStatus}). So a command that is a
   * shell builtin ({@code echo}) runs as the program of that name, and one that cannot be exec'd is reported by the
   * shell as "exec: NAME: not found" (the recorder checks the PATH before, so that is rare).
   */
  private static final String SCRIPT = "trap : INT TERM HUP QUIT; end=$1; shift; exec 3>&2; "
      + "kill -STOP $$ && { { ( exec \"$@\" 2>&3 3>&- ); rc=$?; } 2>/dev/null; echo $rc > \"$end\"; kill -STOP $$;"
      + " exit $rc; }";
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private StartHold() {}

  /** {@code command} behind the holding shell, which writes the command's exit code to {@code endMarker}. */
  static List<String> wrap(Path endMarker, List<String> command) {
    List<String> held = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "presize-hold", endMarker.toString()));
    held.addAll(command);
    return held;
  }

  /** Whether the command has ended: the shell wrote the end marker and stopped itself. */
  static boolean ended(Process process, Path endMarker) {
    try {
      return Files.size(endMarker) > 0 && isStopped(process);
    } catch (IOException e) {
      return false; // no marker yet
    }
  }

  /** Waits until {@code process} has stopped itself; fails if it exits or does not stop within 10 s. */
  static void awaitStopped(Process process) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        int code = process.exitValue();
        throw new IOException("the command exited with code " + code + " before it started ("
            + (code == 137 ? "killed, most likely by the kernel's OOM killer: is the memory limit too small to start"
            + " a process?" : "could it join its cgroup? see the message above") + ")");
      }
      if (isStopped(process)) {
        return;
      }
      Thread.sleep(1);
    }
    process.destroyForcibly();
    throw new IOException("the command did not reach its start hold within 10 s; killed it");
  }

  /** Whether the holding shell is stopped now (before the command, or after it ended). */
  static boolean isStopped(Process process) {
    String s;
    try {
      s = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return false; // exited: the caller sees it through the process
    }
    int close = s.lastIndexOf(')');
    return close > 0 && close + 2 < s.length() && s.charAt(close + 2) == 'T';
  }

  /** Lets the held shell go on (start the command, or exit after it). */
  static void release(Process process) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-CONT", Long.toString(process.pid())).redirectErrorStream(true).start();
    String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (kill.waitFor() != 0) {
      process.destroyForcibly();
      throw new IOException("could not continue the held command (pid " + process.pid() + "): " + out.strip());
    }
  }
}
