package dev.presize.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.presize.core.input.proc.Hog;
import dev.presize.core.trace.RecordingSummary;
import dev.presize.core.trace.TraceData;
import dev.presize.core.trace.TraceReader;
import dev.presize.spi.PresizeException;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.resources.ResourceProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code presize record}'s engine on real commands: what the trace and summary show against known use. */
class RecorderTest {

  @TempDir
  Path out;

  private RecordOptions options(String cgroup, Optional<ResourceProfile> limits, String... command) {
    return new RecordOptions(List.of(command), out, Duration.ofMillis(10), "test-fn", OptionalLong.of(300), cgroup,
        limits, ConfigProperties.empty());
  }

  @Test
  @DisplayName("a child touching 300 MiB and burning 1.5 s: peak RSS >= 300 MiB, CPU within 10% of its own count")
  void memoryAndCpu() throws Exception {
    Path report = out.resolve("stdout");
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" > " + report, "sh"));
    cmd.addAll(List.of(Hog.command("memory-cpu", "300", "1500")));
    Recording r = new Recorder().record(options("auto", Optional.empty(), cmd.toArray(String[]::new)));
    assertThat(r.exitCode()).isZero();
    assertThat(r.summary().peakRssBytes()).isGreaterThanOrEqualTo(300L << 20);
    String printed = Files.readString(report);
    long truth = Long.parseLong(printed.replaceAll("(?s).*cpuNanos=(\\d+).*", "$1"));
    assertThat(truth).isGreaterThan(1_500_000_000L);
    assertThat(r.summary().cpuSeconds()).isCloseTo(truth / 1e9, Percentage.withPercentage(10));
    assertThat(r.summary().samples()).isGreaterThan(100);
    assertThat(r.stats().intervalP50()).isBetween(Duration.ofMillis(9), Duration.ofMillis(12));
  }

  @Test
  @DisplayName("the trace is complete, names its command, input size and sources, and matches the summary")
  void traceContents() throws Exception {
    Recording r = new Recorder().record(options("auto", Optional.empty(), "/bin/sh", "-c",
        "head -c 20000000 /dev/zero | gzip -1 > /dev/null"));
    TraceData data = TraceReader.readAll(r.trace());
    assertThat(data.complete()).isTrue();
    assertThat(data.header().functionId()).isEqualTo("test-fn");
    assertThat(data.header().command()).containsExactly("/bin/sh", "-c",
        "head -c 20000000 /dev/zero | gzip -1 > /dev/null");
    assertThat(data.header().inputSizeBytes()).hasValue(300);
    assertThat(data.header().samplingInterval()).isEqualTo(Duration.ofMillis(10));
    assertThat(data.header().attributes()).containsEntry("source.process", "procfs");
    assertThat(data.header().columns()).contains(Metric.PROC_RSS_BYTES.key(), Metric.NET_TX_BYTES.key());
    assertThat(data.footer()).containsEntry("exit.code", "0");
    assertThat(data.sampleCount()).isEqualTo(r.summary().samples());
    assertThat(RecordingSummary.of(data)).isEqualTo(r.summary());
    // gzip of 20 MB: the cgroup counts every nanosecond of it. The process tree sees children that live longer than
    // a rescan (50 ms); ones that finish sooner are reaped by the shell, which exits microseconds later.
    if (r.cgroup().isPresent()) {
      assertThat(r.summary().cgroupCpuSeconds()).isGreaterThan(0.02);
    }
    assertThat(r.summary().cpuSeconds()).isGreaterThanOrEqualTo(0);
    assertThat(r.summary().peakRssBytes()).isGreaterThan(0);
  }

  @Test
  @DisplayName("the command's exit code is returned; a signal death is 128 + the signal")
  void exitCodes() throws Exception {
    assertThat(new Recorder().record(options("none", Optional.empty(), "/bin/sh", "-c", "exit 7")).exitCode())
        .isEqualTo(7);
    assertThat(new Recorder().record(options("none", Optional.empty(), "/bin/sh", "-c", "kill -9 $$")).exitCode())
        .isEqualTo(137);
  }

  @Test
  @DisplayName("a command killed by a signal: its own stderr is kept, and the holding shell adds no \"Killed\" line"
      + " of its own to it")
  void killedCommandOutput() throws Exception {
    Path output = out.resolve("output.txt");
    RecordOptions o = new RecordOptions(List.of("/bin/sh", "-c", "echo before >&2; kill -9 $$"), out,
        Duration.ofMillis(10), "test-fn", OptionalLong.empty(), "none", Optional.empty(), ConfigProperties.empty(),
        Map.of(), Optional.empty(), Optional.of(output), Optional.empty());
    assertThat(new Recorder().record(o).exitCode()).isEqualTo(137);
    assertThat(Files.readString(output)).isEqualTo("before\n");
  }

  @Test
  @DisplayName("signalCommand sends KILL and TERM through the JDK and INT through kill(1): the command ends of that "
      + "signal, well before its 30 s, and the recording finishes")
  void signalsReachTheCommand() throws Exception {
    for (String[] c : new String[][] {{"KILL", "137"}, {"TERM", "143"}, {"INT", "130"}}) {
      if (c[0].equals("INT")) {
        // A process started in the background by a non-interactive shell (`cmd &`, nohup) ignores SIGINT, and a
        // command inherits an ignored signal through exec: no shell can un-ignore it, so INT could not reach it.
        assumeTrue(!sigintIgnored(), "SIGINT is ignored in this JVM (SigIgn in /proc/self/status; started in the"
            + " background by a non-interactive shell), so the command inherits that and INT cannot reach it; KILL"
            + " and TERM were checked");
      }
      Recorder recorder = new Recorder();
      RecordOptions o = new RecordOptions(List.of("/bin/sh", "-c", "exec sleep 30"), out, Duration.ofMillis(10),
          "test-fn", OptionalLong.empty(), "none", Optional.empty(), ConfigProperties.empty(), Map.of(),
          Optional.of("signal-" + c[0] + ".pstrace"), Optional.empty(), Optional.empty());
      long started = System.nanoTime();
      Recording r = recorder.record(o, new Recorder.Observer() {
        private int ticks;

        @Override
        public void tick(long nowNanos) {
          if (++ticks == 20) { // 200 ms in: sleep runs
            recorder.signalCommand(c[0]);
          }
        }
      });
      assertThat(r.exitCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
      assertThat(System.nanoTime() - started).as(c[0] + ": ended by the signal, not after 30 s")
          .isLessThan(20_000_000_000L);
    }
  }

  /** Whether this process ignores SIGINT (bit 1 of the {@code SigIgn} mask in {@code /proc/self/status}). */
  private static boolean sigintIgnored() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16) & 2L) != 0;
      }
    }
    return false;
  }

  @Test
  @DisplayName("a command that cannot start is a clear error, and leaves no trace behind")
  void missingCommand() {
    assertThatThrownBy(() -> new Recorder().record(options("none", Optional.empty(), "/no/such/binary")))
        .hasMessageContaining("/no/such/binary").hasMessageContaining("not found");
    assertThatThrownBy(() -> new Recorder().record(options("none", Optional.empty(), "no-such-command-xyz")))
        .hasMessageContaining("no-such-command-xyz").hasMessageContaining("PATH");
    assertThat(out.toFile().list()).isNullOrEmpty();
  }

  @Test
  @DisplayName("in a cgroup with a 64 MiB limit, a command touching 200 MiB is OOM-killed and the trace shows it")
  void oomInCgroup() throws Exception {
    assumeTrue(CgroupsHere.writable(), CgroupsHere.MISSING);
    Recording r = new Recorder().record(options("auto", Optional.of(ResourceProfile.of(1000, 64L << 20)),
        Hog.command("memory", "200")));
    assertThat(r.exitCode()).isEqualTo(137);
    assertThat(r.summary().oomKills()).isGreaterThanOrEqualTo(1);
    assertThat(r.summary().peakCgroupMemoryBytes()).isLessThanOrEqualTo(64L << 20);
    TraceData data = TraceReader.readAll(r.trace());
    assertThat(data.header().limits()).isNotEmpty();
    assertThat(r.cgroup()).isPresent();
  }

  @Test
  @DisplayName("limits without a cgroup, or an unknown cgroup provider, are refused before anything runs")
  void badOptions() {
    assertThatThrownBy(() -> options("none", Optional.of(ResourceProfile.of(100, 1 << 30)), "true"))
        .hasMessageContaining("limits need a cgroup");
    assertThatThrownBy(() -> new Recorder().record(options("cgroup-v9", Optional.empty(), "/bin/true")))
        .isInstanceOf(PresizeException.class).hasMessageContaining("no provider named 'cgroup-v9'");
    assertThatThrownBy(() -> RecordOptions.of(List.of())).hasMessageContaining("no command to record");
  }

  @Test
  @DisplayName("a short command (tens of ms) is sampled from its start: its CPU and RSS are seen")
  void shortCommand() throws Exception {
    Recording r = new Recorder().record(options("none", Optional.empty(), "/bin/sh", "-c",
        "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done"));
    assertThat(r.summary().peakRssBytes()).isGreaterThan(0);
    assertThat(r.summary().cpuSeconds()).isGreaterThan(0);
    assertThat(r.summary().samples()).isGreaterThanOrEqualTo(1);
  }

  @Test
  @DisplayName("processes a command leaves running in its cgroup are stopped, said in a warning, and the group goes")
  void leftovers() throws Exception {
    assumeTrue(CgroupsHere.writable(), CgroupsHere.MISSING);
    Recording r = new Recorder().record(options("auto", Optional.empty(), "/bin/sh", "-c",
        "sleep 37 & sleep 38 & exit 0"));
    assertThat(r.exitCode()).isZero();
    assertThat(r.warnings()).anyMatch(w -> w.contains("left 2 process(es) running"));
    assertThat(ProcessHandle.allProcesses().filter(h -> h.info().arguments()
        .map(a -> a.length == 1 && (a[0].equals("37") || a[0].equals("38"))).orElse(false))).isEmpty();
  }

  @Test
  @DisplayName("a leftover that ignores SIGTERM and keeps forking is SIGKILLed round after round until its group is "
      + "empty: nothing of it is left running, and the group goes")
  void leftoversThatIgnoreTermAndFork() throws Exception {
    assumeTrue(CgroupsHere.writable(), CgroupsHere.MISSING);
    Recorder recorder = new Recorder();
    List<Path> dirs = new ArrayList<>();
    Recording r = recorder.record(options("auto", Optional.empty(), "/bin/sh", "-c",
        "(trap '' TERM; while :; do sleep 39 & sleep 0.01; done) & sleep 0.3; exit 0"), new Recorder.Observer() {
          @Override
          public void started(Optional<dev.presize.spi.host.ResourceGroup> group, List<String> columns, long pid) {
            group.ifPresent(g -> dirs.addAll(v1Dirs(g)));
          }
        });
    assertThat(r.exitCode()).isZero();
    assertThat(r.warnings()).anyMatch(w -> w.contains("process(es) running") && w.contains("stopped them"))
        .noneMatch(w -> w.contains("left in place"));
    long end = System.nanoTime() + 2_000_000_000L; // a killed process can show in /proc a moment longer
    while (sleeping39() > 0 && System.nanoTime() < end) {
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
    assertThat(sleeping39()).isZero();
    assumeTrue(!dirs.isEmpty(), "the group's directories are checked where cgroup v1 is mounted at /sys/fs/cgroup/"
        + "<controller>, not here; the processes were");
    assertThat(dirs).allSatisfy(d -> assertThat(d).doesNotExist());
  }

  @Test
  @DisplayName("a recording removes the empty groups a Presize process that is gone left beside its own, and says so")
  void abandonedGroupsRemoved() throws Exception {
    assumeTrue(CgroupsHere.writable(), CgroupsHere.MISSING);
    List<Path> dirs = new ArrayList<>();
    Recorder.Observer capture = new Recorder.Observer() {
      @Override
      public void started(Optional<dev.presize.spi.host.ResourceGroup> group, List<String> columns, long pid) {
        group.ifPresent(g -> dirs.addAll(v1Dirs(g)));
      }
    };
    new Recorder().record(options("auto", Optional.empty(), "/bin/true"), capture);
    assumeTrue(!dirs.isEmpty(), "the groups are planted where cgroup v1 is mounted at /sys/fs/cgroup/<controller>");
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    String name = Recorder.GROUP_PREFIX + gone.pid() + "-7";
    List<Path> planted = dirs.stream().map(d -> d.resolveSibling(name)).distinct().toList();
    for (Path p : planted) {
      Files.createDirectory(p);
    }
    Recording r = new Recorder().record(options("auto", Optional.empty(), "/bin/true"));
    assertThat(r.warnings()).anyMatch(w -> w.contains("removed 1 empty cgroup(s) left by Presize processes that are"
        + " gone") && w.contains(name));
    assertThat(planted).allSatisfy(p -> assertThat(p).doesNotExist());
  }

  private static long sleeping39() {
    return ProcessHandle.allProcesses().filter(h -> h.info().arguments()
        .map(a -> a.length == 1 && a[0].equals("39")).orElse(false)).count();
  }

  @Test
  @DisplayName("a stop from another thread as the command is let go is not lost: the command never starts, or it ends "
      + "of the signal at once (not after its 30 s)")
  void stopAsTheCommandStarts() throws Exception {
    for (int delayMicros : new int[] {0, 200, 1000, 3000, 10000}) {
      Recorder recorder = new Recorder();
      long started = System.nanoTime();
      try {
        Recording r = recorder.record(new RecordOptions(List.of("/bin/sh", "-c", "exec sleep 30"), out,
            Duration.ofMillis(10), "test-fn", OptionalLong.empty(), "none", Optional.empty(),
            ConfigProperties.empty(), Map.of(), Optional.of("stop-" + delayMicros + ".pstrace"), Optional.empty(),
            Optional.empty()), new Recorder.Observer() {
              @Override
              public void started(Optional<dev.presize.spi.host.ResourceGroup> group, List<String> columns,
                  long pid) {
                Thread t = new Thread(() -> {
                  java.util.concurrent.locks.LockSupport.parkNanos(delayMicros * 1000L);
                  recorder.stop("TERM");
                });
                t.setDaemon(true);
                t.start();
              }
            });
        assertThat(r.exitCode()).as("stop after %d us", delayMicros).isEqualTo(143);
      } catch (Recorder.Stopped stopped) {
        assertThat(stopped.exitCode()).isEqualTo(143); // it came before the command was let go
      }
      assertThat(System.nanoTime() - started).as("stop after %d us", delayMicros).isLessThan(15_000_000_000L);
    }
  }

  @Test
  @DisplayName("a stop (Ctrl-C, SIGTERM) that comes before the command starts keeps it from starting: Stopped with the"
      + " status of the signal, nothing of the command ran, its group is removed; later recordings are stopped too")
  void stopBeforeTheCommandStarts() throws Exception {
    Path marker = out.resolve("ran");
    Recorder early = new Recorder();
    early.stop("TERM");
    assertThat(early.stopRequested()).contains("TERM");
    assertThatThrownBy(() -> early.record(options("none", Optional.empty(), "/bin/sh", "-c", "touch " + marker)))
        .isInstanceOfSatisfying(Recorder.Stopped.class, e -> assertThat(e.exitCode()).isEqualTo(143))
        .hasMessage("stopped by SIGTERM before the command started");
    assertThat(out.toFile().list()).isNullOrEmpty();

    Recorder recorder = new Recorder();
    List<Path> dirs = new ArrayList<>();
    long[] held = {-1};
    String cgroup = CgroupsHere.writable() ? "auto" : "none";
    assertThatThrownBy(() -> recorder.record(options(cgroup, Optional.empty(), "/bin/sh", "-c", "touch " + marker),
        new Recorder.Observer() {
          @Override
          public void started(Optional<dev.presize.spi.host.ResourceGroup> group, List<String> columns, long pid) {
            held[0] = pid;
            group.ifPresent(g -> dirs.addAll(v1Dirs(g)));
            recorder.stop("INT"); // as the command is held in its group, before its first instruction
          }
        })).isInstanceOfSatisfying(Recorder.Stopped.class, e -> assertThat(e.exitCode()).isEqualTo(130));
    assertThat(marker).doesNotExist();
    assertThat(out.toFile().list()).as("no trace of what did not run").isNullOrEmpty();
    assertThat(ProcessHandle.of(held[0]).filter(ProcessHandle::isAlive)).as("the held shell").isEmpty();
    assertThat(dirs).allSatisfy(d -> assertThat(d).doesNotExist());
    assertThatThrownBy(() -> recorder.record(options("none", Optional.empty(), "/bin/true")))
        .isInstanceOf(Recorder.Stopped.class);
  }

  /** The group's directories where v1 is mounted as on this host ({@code /sys/fs/cgroup/<controller>}). */
  private static List<Path> v1Dirs(dev.presize.spi.host.ResourceGroup g) {
    List<Path> dirs = new ArrayList<>();
    g.cgroupPaths().forEach((controller, path) -> {
      Path mount = Path.of("/sys/fs/cgroup", controller);
      if (Files.isDirectory(mount)) {
        dirs.add(mount.resolve(path.replaceFirst("^/", "")));
      }
    });
    assertThat(dirs).as("directories of %s", g.cgroupPaths()).allSatisfy(d -> assertThat(d).isDirectory());
    return dirs; // empty where v1 is not mounted so (v2): the callers say so
  }

  @Test
  @DisplayName("without a cgroup of its own the command's trace has no cgroup columns (they would be Presize's)")
  void noCgroupNoCgroupColumns() throws Exception {
    Recording r = new Recorder().record(options("none", Optional.empty(), "/bin/sh", "-c", "true"));
    TraceData data = TraceReader.readAll(r.trace());
    assertThat(data.header().columns()).noneMatch(c -> c.startsWith("cgroup."));
    assertThat(r.summary().peakCgroupMemoryBytes()).isEqualTo(-1);
  }
}
