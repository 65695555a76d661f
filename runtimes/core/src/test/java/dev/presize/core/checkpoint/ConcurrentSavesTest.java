package dev.presize.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that share an {@code --out} and end at once, for real: separate JVMs that loaded the same files save them at
 * the same moment. The lock ({@code <file>.lock}, an OS file lock) must make every save read what the others wrote.
 */
class ConcurrentSavesTest {

  private static final int RUNS = 4;
  private static final int OUTCOMES = 100;

  /**
   * One run: loads the calibration and the lead estimate, learns {@value #OUTCOMES} outcomes and two leads of its
   * own, waits for the start file, then saves both. Args: calibration file, lead file, start file, run number.
   */
  public static void main(String[] args) throws Exception {
    Path calibration = Path.of(args[0]);
    Path lead = Path.of(args[1]);
    Path go = Path.of(args[2]);
    int run = Integer.parseInt(args[3]);
    ExceedanceCalibration c = ExceedanceCalibration.load(calibration);
    LeadEstimate l = LeadEstimate.load(lead, Duration.ofMillis(400));
    for (int i = 0; i < OUTCOMES; i++) {
      c.observe(0.3, i % 4 == run % 4);
    }
    l.observe((run * 2 + 1) * 1_000_000L);
    l.observe((run * 2 + 2) * 1_000_000L);
    System.out.println("ready");
    System.out.flush();
    long giveUp = System.nanoTime() + 60_000_000_000L; // a test that failed before its start file must not leave us
    while (!Files.exists(go)) {
      java.util.concurrent.locks.LockSupport.parkNanos(100_000); // 0.1 ms: the saves start nearly at once
      if (System.nanoTime() - giveUp > 0) {
        System.exit(3);
      }
    }
    c.save(calibration);
    l.save(lead);
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @DisplayName(RUNS + " JVMs saving the same calibration and lead files at once: every run's outcomes and leads are in"
      + " the files afterwards, none lost, none counted twice")
  void separateProcessesMerge(@TempDir Path dir) throws Exception {
    Path calibration = dir.resolve("calibration/pooled.txt");
    Path lead = dir.resolve("calibration/functions/f.lead");
    ExceedanceCalibration before = ExceedanceCalibration.defaults();
    for (int i = 0; i < 40; i++) {
      before.observe(0.3, false);
    }
    before.save(calibration);
    List<Process> runs = new ArrayList<>();
    try {
      play(runs, calibration, lead, dir.resolve("go"));
    } finally {
      runs.forEach(Process::destroyForcibly); // those still there when an assertion failed
    }
    ExceedanceCalibration merged = ExceedanceCalibration.load(calibration);
    assertThat(merged.observations()).as("40 before and %d from each of %d runs", OUTCOMES, RUNS)
        .isCloseTo(40 + RUNS * OUTCOMES, within(1e-9));
    ExceedanceCalibration serial = ExceedanceCalibration.defaults();
    for (int i = 0; i < 40; i++) {
      serial.observe(0.3, false);
    }
    for (int r = 0; r < RUNS; r++) {
      for (int i = 0; i < OUTCOMES; i++) {
        serial.observe(0.3, i % 4 == r % 4);
      }
    }
    assertThat(merged.calibrate(0.3)).as("as if one calibration had seen them all")
        .isCloseTo(serial.calibrate(0.3), within(1e-12));
    List<String> lines = Files.readAllLines(lead);
    assertThat(lines.get(0)).isEqualTo("presize-checkpoint-lead/1");
    Set<String> leads = new HashSet<>(lines.subList(1, lines.size()));
    Set<String> expected = new HashSet<>();
    for (int i = 1; i <= 2 * RUNS; i++) {
      expected.add(Long.toString(i * 1_000_000L));
    }
    assertThat(leads).as("every run's two leads (8 kept, 8 given)").isEqualTo(expected);
  }

  /** Starts the runs, waits until each has loaded the files, lets them save at once and waits for them. */
  private static void play(List<Process> runs, Path calibration, Path lead, Path go) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int r = 0; r < RUNS; r++) {
      runs.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          ConcurrentSavesTest.class.getName(), calibration.toString(), lead.toString(), go.toString(),
          Integer.toString(r)).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }
    for (Process p : runs) { // each has loaded the files before any saves
      java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8));
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.equals("ready"));
      assertThat(line).as("a run got ready").isEqualTo("ready");
    }
    Files.createFile(go);
    for (Process p : runs) {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("a run's exit code (its errors are on this test's stderr)").isZero();
    }
  }
}
