package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hosted function of {@code presize run --workload}: what it does when asked to restore. */
class HostedFunctionTest {

  @TempDir
  Path dir;

  private record Ran(int exit, String out, String err) {}

  private Ran run(String name, String... extra) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = new String[6 + extra.length];
    String[] base = {"memory-ramp", "16", "1", dir.resolve("store").toString(), "inv-1",
        dir.resolve(name + ".sock").toString()};
    System.arraycopy(base, 0, args, 0, 6);
    System.arraycopy(extra, 0, args, 6, extra.length);
    int exit = HostedFunction.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Ran(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("asked to restore with no valid checkpoint (corrupt or deleted), a checkpointable workload starts "
      + "again from its input, says so, and gives the result an uninterrupted run gives")
  void restoreWithoutCheckpointStartsOver() {
    Ran whole = run("whole");
    assertThat(whole.exit()).as(whole.err()).isZero();
    assertThat(whole.out()).contains("\"digest\"");
    Ran again = run("again", "--restore");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.err()).contains("no valid checkpoint of memory-ramp/inv-1")
        .contains("starting again from the input");
    assertThat(again.out()).isEqualTo(whole.out());
  }

  @Test
  @DisplayName("a workload whose Java heap runs out exits 4 (not 1, as any failure), saying at what maximum; run's "
      + "summary then says the heap is 75% of the largest memory and what gives it more")
  void heapExhausted() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
        "-cp", System.getProperty("java.class.path"), HostedFunction.class.getName(), "memory-ramp", "96", "1",
        dir.resolve("store").toString(), "inv-1", dir.resolve("oom.sock").toString()).redirectErrorStream(true)
        .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isEqualTo(HostedFunction.HEAP_EXHAUSTED);
    assertThat(output).contains("workload memory-ramp ran out of Java heap (Java heap space) at its maximum of");
    assertThat(ControlledRun.heapExhausted(512L << 20)).contains("its maximum heap is 75% of the largest memory it "
        + "may be given, 512Mi (-XX:MaxRAM=536870912 -XX:MaxRAMPercentage=75)").contains("a larger --grow-to");
  }

  @Test
  @DisplayName("a workload that cannot be checkpointed has nothing to restore: exit 3, saying so")
  void notCheckpointable() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = HostedFunction.run(new String[] {"sort-array", "1000", "1", dir.resolve("store").toString(), "inv-1",
        dir.resolve("s.sock").toString(), "--restore"}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).isEqualTo(3);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("is not checkpointable");
  }
}
