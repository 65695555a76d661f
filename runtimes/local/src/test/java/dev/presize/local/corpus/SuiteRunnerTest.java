package dev.presize.local.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.core.trace.TraceData;
import dev.presize.core.trace.TraceReader;
import dev.presize.local.Recorder;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.resources.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteRunnerTest {

  @TempDir
  Path dir;

  private static final SuiteRunner.Listener QUIET = new SuiteRunner.Listener() {
    @Override
    public void started(int index, int total, SuiteRunner.RunSpec spec) {}

    @Override
    public void finished(int index, int total, SuiteRunner.RunSpec spec, SuiteRunner.Outcome outcome) {}
  };

  private SuiteRunner.Options options() {
    return new SuiteRunner.Options(dir, Duration.ofMillis(10), "none", Optional.empty(), ConfigProperties.empty(),
        Duration.ofMinutes(2));
  }

  /** A shell "workload" whose memory grows with its size: it holds size MB of data in a variable. */
  private static SuiteRunner.RunSpec spec(String workload, long size, int repeat, String script) {
    return new SuiteRunner.RunSpec(workload + "-s" + size + "-r" + repeat, workload, size, 7 + repeat, repeat,
        List.of("/bin/sh", "-c", script));
  }

  @Test
  @DisplayName("records each run into traces/, its output into outputs/, lists it in corpus.json with its metadata")
  void records() throws Exception {
    var result = new SuiteRunner(new Recorder()).run(List.of(
        spec("echo", 1, 0, "echo hello-1"), spec("echo", 2, 0, "echo hello-2")), options(), QUIET);
    assertThat(result.recorded()).isEqualTo(2);
    CorpusManifest m = CorpusManifest.read(dir).orElseThrow();
    assertThat(m.runs()).extracting(CorpusRun::id).containsExactly("echo-s1-r0", "echo-s2-r0");
    CorpusRun r = m.run("echo-s2-r0").orElseThrow();
    assertThat(Files.readString(dir.resolve(r.output()))).contains("hello-2");
    TraceData t = TraceReader.readAll(dir.resolve(r.trace()));
    assertThat(t.header().functionId()).isEqualTo("echo");
    assertThat(t.header().inputSizeBytes()).hasValue(2);
    assertThat(t.header().attributes()).containsEntry("workload.seed", "7").containsEntry("run.id", "echo-s2-r0");
  }

  @Test
  @DisplayName("a second run skips what is recorded and retries what failed")
  void resumes() throws Exception {
    Path flag = dir.resolve("flag");
    List<SuiteRunner.RunSpec> specs = List.of(spec("ok", 1, 0, "true"),
        spec("flaky", 1, 0, "test -e " + flag));
    var first = new SuiteRunner(new Recorder()).run(specs, options(), QUIET);
    assertThat(first.recorded()).isEqualTo(1);
    assertThat(first.failed()).isEqualTo(1);
    assertThat(first.failures()).singleElement().asString().contains("flaky-s1-r0", "exit code 1");
    Files.createFile(flag);
    List<SuiteRunner.Status> seen = new ArrayList<>();
    var second = new SuiteRunner(new Recorder()).run(specs, options(), new SuiteRunner.Listener() {
      @Override
      public void started(int index, int total, SuiteRunner.RunSpec spec) {}

      @Override
      public void finished(int index, int total, SuiteRunner.RunSpec spec, SuiteRunner.Outcome outcome) {
        seen.add(outcome.status());
      }
    });
    assertThat(seen).containsExactly(SuiteRunner.Status.SKIPPED, SuiteRunner.Status.RECORDED);
    assertThat(second.failed()).isZero();
    assertThat(CorpusManifest.read(dir).orElseThrow().runs()).allMatch(r -> r.exitCode() == 0).hasSize(2);
  }

  @Test
  @DisplayName("a corrupt manifest is an error naming the file, never silently replaced")
  void corruptManifest() throws Exception {
    Files.writeString(dir.resolve(CorpusManifest.FILE), "{\"format\": \"presize-corpus/1\", \"runs\": [ {");
    assertThatThrownBy(() -> new SuiteRunner(new Recorder()).run(List.of(spec("ok", 1, 0, "true")), options(), QUIET))
        .hasMessageContaining("corpus.json").hasMessageContaining("not a corpus manifest");
    Files.writeString(dir.resolve(CorpusManifest.FILE), "{\"format\": \"other/9\", \"host\": \"h\", \"runs\": []}");
    assertThatThrownBy(() -> CorpusManifest.read(dir)).hasMessageContaining("other/9");
  }

  @Test
  @DisplayName("stats: peak memory grows with size for a workload whose data grows, and each resource's heavy user dominates it")
  void stats() throws Exception {
    List<SuiteRunner.RunSpec> specs = new ArrayList<>();
    for (long mb : new long[] {20, 60, 120}) {
      // Holds MB megabytes in the shell's memory (a command substitution), with little CPU, for a while.
      specs.add(spec("grow", mb, 0,
          "s=$(head -c " + (mb << 20) + " /dev/zero | tr '\\0' x); sleep 1.5; echo ${#s}"));
    }
    specs.add(spec("spin", 1, 0, "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"));
    specs.add(spec("disk", 1, 0, "head -c 50000000 /dev/zero > " + dir.resolve("d") + " && sync && rm " + dir.resolve("d")));
    var result = new SuiteRunner(new Recorder()).run(specs, options(), QUIET);
    assertThat(result.failed()).as(result.failures().toString()).isZero();
    List<CorpusStats.WorkloadStats> stats = CorpusStats.of(dir);
    CorpusStats.WorkloadStats grow = stats.stream().filter(s -> s.workload().equals("grow")).findFirst().orElseThrow();
    assertThat(grow.peakRssBySize()).hasSize(3);
    assertThat(grow.memoryGrowth()).isGreaterThan(2.5);
    assertThat(grow.memorySizeCorrelation()).isEqualTo(1.0);
    assertThat(grow.dominant()).as(stats.toString()).isEqualTo(Resource.MEMORY);
    var spin = stats.stream().filter(s -> s.workload().equals("spin")).findFirst().orElseThrow();
    // A shell loop uses one core when it has one; on a host busy with other work it gets less (0.46 seen at a load
    // average of 10 on 2 cores), so this only checks it was CPU-bound, not how much CPU the host could spare.
    assertThat(spin.meanCores()).isGreaterThan(0.2);
    assertThat(spin.dominant()).isEqualTo(Resource.CPU);
    var disk = stats.stream().filter(s -> s.workload().equals("disk")).findFirst().orElseThrow();
    assertThat(disk.meanWriteBytes()).isGreaterThanOrEqualTo(50_000_000);
    assertThat(disk.dominant()).isEqualTo(Resource.DISK);
  }

  @Test
  @DisplayName("a run past its timeout is stopped and counted failed; a different seed for the same corpus is refused")
  void timeoutAndSeed() throws Exception {
    var opts = new SuiteRunner.Options(dir, Duration.ofMillis(10), "none", Optional.empty(), ConfigProperties.empty(),
        Duration.ofMillis(500));
    long t0 = System.nanoTime();
    var result = new SuiteRunner(new Recorder()).run(List.of(spec("hang", 1, 0, "sleep 60")), opts, QUIET);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    assertThat(result.failed()).isEqualTo(1);
    assertThat(result.warnings()).anyMatch(w -> w.contains("timeout"));
    assertThat(CorpusManifest.read(dir).orElseThrow().run("hang-s1-r0").orElseThrow().exitCode()).isEqualTo(143);
    var other = new SuiteRunner.RunSpec("hang-s1-r0", "hang", 1, 99, 0, List.of("true"));
    assertThatThrownBy(() -> new SuiteRunner(new Recorder()).run(List.of(other), options(), QUIET))
        .hasMessageContaining("seed 7, not 99");
  }
}
