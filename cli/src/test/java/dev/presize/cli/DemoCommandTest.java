package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.local.run.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code presize demo}'s checks before anything starts, where it finds its corpus, and when its comparison counts as
 * failed. A whole demo (training, then runs on real cgroups) is {@link RunCommandIT}'s.
 */
class DemoCommandTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir
  Path work;

  @ParameterizedTest(name = "{0}")
  @DisplayName("a bad option is one line naming it and its value, exit 2, before anything starts (OUT not made)")
  @CsvSource(delimiter = '|', value = {
      "--memory 8Mi             | --memory 8Mi is below the minimum of 16Mi",
      "--repeats 0              | --repeats 0: must be at least 1",
      "--repeats -1             | --repeats -1: must be at least 1",
      "--quick --repeats 0      | --repeats 0: must be at least 1",
      "--max-memory 64Mi        | --max-memory 64Mi is below --memory 256Mi (the default --memory is 256Mi)",
      "--memory 512Mi --max-memory 300Mi | --max-memory 300Mi is below --memory 512Mi",
      "--corpus /nonexistent/c  | --corpus /nonexistent/c: no such directory",
      "-D presize.policy.memory.quantile=p101 | -D presize.policy.memory.quantile=p101:"})
  void refusedBeforeAnythingStarts(String options, String message) {
    Path out = work.resolve("out");
    CliRun r = demo(out, options.split(" "));
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message, "see presize demo --help").doesNotContain("Usage:", "[demo]");
    assertThat(out).doesNotExist();
  }

  @Test
  @DisplayName("--cpus above this host's cores is refused as presize run refuses it")
  void moreCpusThanTheHostHas() {
    int cores = Runtime.getRuntime().availableProcessors();
    Path out = work.resolve("out");
    CliRun r = demo(out, "--cpus", Integer.toString(cores + 3));
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("--cpus " + (cores + 3) + " is more than this host's " + cores + " cores",
        "see presize demo --help").doesNotContain("Usage:");
    assertThat(out).doesNotExist();
  }

  @Test
  @DisplayName("a --corpus directory without corpus.json is refused naming what it lacks")
  void corpusWithoutManifest() throws Exception {
    Path notACorpus = Files.createDirectories(work.resolve("traces"));
    CliRun r = demo(work.resolve("out"), "--corpus", notACorpus.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("--corpus " + notACorpus + ": not a corpus (no corpus.json");
  }

  @Test
  @DisplayName("the checked-in corpus is found from where Presize runs, not the current directory (here cli/, which "
      + "has no data/corpus)")
  void findsTheInstalledCorpusFromAnyDirectory() throws Exception {
    assertThat(Path.of("data", "corpus")).doesNotExist();
    Path classes = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(DemoCommand.installedCorpus(classes)).contains(ROOT.resolve("data/corpus"));
  }

  @Test
  @DisplayName("the installation's corpus is ROOT/data/corpus beside ROOT/cli/target/presize-cli.jar; without it (or "
      + "without a root at all) there is none, and one is recorded")
  void installedCorpusBesideTheJar() throws Exception {
    Path jar = Files.createDirectories(work.resolve("cli/target")).resolve("presize-cli.jar");
    Files.writeString(jar, "");
    assertThat(DemoCommand.installedCorpus(jar)).isEmpty();
    Path corpus = Files.createDirectories(work.resolve("data/corpus"));
    Files.writeString(corpus.resolve("corpus.json"), "{}");
    assertThat(DemoCommand.installedCorpus(jar)).contains(corpus);
    assertThat(DemoCommand.installedCorpus(Path.of("/presize-cli.jar"))).isEmpty();
  }

  @Test
  @DisplayName("a corpus the demo records is the quick suite with three seeds (one seed is too little to train on)"
      + " and its arguments are a valid record-suite command line")
  void recordedCorpusIsBigEnough() {
    List<String> args = DemoCommand.recordArgs(work.resolve("corpus"));
    picocli.CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
    picocli.CommandLine.ParseResult sub = parsed.subcommand();
    assertThat(sub.commandSpec().name()).isEqualTo("record-suite");
    assertThat(sub.hasMatchedOption("--quick")).isTrue();
    assertThat(sub.<Integer>matchedOptionValue("--repeats", 1)).isGreaterThanOrEqualTo(3);
  }

  @Test
  @DisplayName("runs that failed without an OOM kill, or no run that finished, fail the comparison (the tour's 12"
      + " SIGKILLed runs); OOM kills of some methods are its result, not a failure")
  void whenTheComparisonFailed() throws Exception {
    List<DemoReport.Run> fine = List.of(run("static", 137, 1), run("vpa", 0, 0), run("presize", 0, 0));
    assertThat(DemoReport.failure(fine)).isEmpty();
    List<DemoReport.Run> killedAll = List.of(run("static", 137, 1), run("vpa", 137, 1), run("presize", 137, 2));
    assertThat(DemoReport.failure(killedAll)).hasValueSatisfying(f -> assertThat(f)
        .contains("all 3 runs failed (OOM-killed)", "--memory"));
    List<DemoReport.Run> uncounted = List.of(run("static", 137, 0), run("vpa", 0, 0), run("presize", 1, 0));
    assertThat(DemoReport.failure(uncounted)).hasValueSatisfying(f -> assertThat(f)
        .contains("2 of 3 runs failed without an OOM kill", "memory-ramp-64 seed 1 static (exit 137)",
            "memory-ramp-64 seed 1 presize (exit 1)", "runs/"));
    Path page = DemoReport.write(work.resolve("report"), uncounted, java.util.Map.of("host", "test"));
    assertThat(Files.readString(page)).contains("The comparison failed:", "2 of 3 runs failed without an OOM kill");
    assertThat(Files.readString(DemoReport.write(work.resolve("ok"), fine, java.util.Map.of())))
        .doesNotContain("The comparison failed");
  }

  private static DemoReport.Run run(String method, int exit, long oomKills) {
    RunSummary s = new RunSummary(method, exit, 1, 0, 0, 0, 0, oomKills, 0, 256 << 20, 100 << 20, 1, 0.5, 0.27, 0,
        Double.NaN, Double.NaN, 1, 0, List.of(), List.of());
    return new DemoReport.Run("memory-ramp-64", 1, method, s, List.of());
  }

  private static CliRun demo(Path out, String... options) {
    String[] args = new String[options.length + 3];
    args[0] = "demo";
    System.arraycopy(options, 0, args, 1, options.length);
    args[options.length + 1] = "--out";
    args[options.length + 2] = out.toString();
    return CliRun.of(args);
  }
}
