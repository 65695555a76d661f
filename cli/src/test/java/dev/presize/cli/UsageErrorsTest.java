package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Usage errors of every command: one line and a pointer to the help; picocli's usage only for parse errors. */
class UsageErrorsTest {

  @Test
  @DisplayName("a command's own refusal is one line plus 'see ... --help' (exit 2, no usage dump); an unknown option"
      + " keeps picocli's message and usage")
  void shortLines(@TempDir Path dir) {
    CliRun record = CliRun.of("record", "--interval", "0ms", "--out", dir.toString(), "--", "true");
    assertThat(record.exit()).isEqualTo(2);
    assertThat(record.err()).contains("--interval 0ms: must be more than 0", "see presize record --help")
        .doesNotContain("Usage:");
    CliRun demo = CliRun.of("demo", "--quick", "--model", dir.resolve("none").toString(), "--out",
        dir.resolve("out").toString());
    assertThat(demo.exit()).isEqualTo(2);
    assertThat(demo.err()).contains("--model " + dir.resolve("none") + ": no such directory",
        "see presize demo --help").doesNotContain("Usage:");
    CliRun train = CliRun.of("train", "--format", "presize", "--traces", dir.resolve("none").toString(), "--out",
        dir.resolve("m").toString(), "--targets", "NOPE");
    assertThat(train.exit()).isEqualTo(2);
    assertThat(train.err()).doesNotContain("Exception");
    String none = dir.resolve("none").toString();
    for (CliRun missing : new CliRun[] {
        CliRun.of("train", "--format", "bitbrains", "--traces", none, "--out", dir.resolve("m").toString()),
        CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", none)}) {
      assertThat(missing.exit()).as(missing.err()).isEqualTo(2);
      assertThat(missing.err()).contains("--traces " + none + ": no such directory");
    }
    CliRun empty = CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", dir.toString());
    assertThat(empty.exit()).as(empty.err()).isEqualTo(2);
    assertThat(empty.err()).contains("--traces: no bitbrains traces found in " + dir,
        "(expected <number>.csv.gz files)", "see presize checkpoint-sim --help").doesNotContain("Usage:");
    CliRun corpus = CliRun.of("train", "--format", "presize", "--traces", dir.toString(), "--out",
        dir.resolve("m").toString());
    assertThat(corpus.exit()).as(corpus.err()).isEqualTo(2);
    assertThat(corpus.err()).contains("--traces: no presize traces found in " + dir + " (expected a corpus directory"
        + " with corpus.json");
    CliRun format = CliRun.of("evaluate", "--format", "csv", "--traces", dir.toString(), "--model", dir.toString());
    assertThat(format.exit()).as(format.err()).isEqualTo(2);
    assertThat(format.err()).contains("--format csv: unknown trace format 'csv'; use one of presize, bitbrains,"
        + " google").doesNotContain("Usage:");
    CliRun limit = CliRun.of("train-crossing", "--format", "bitbrains", "--traces", dir.toString(), "--limit", "0",
        "--out", dir.resolve("x").toString());
    assertThat(limit.exit()).as(limit.err()).isEqualTo(2);
    assertThat(limit.err()).contains("--limit must be >= 1, was 0").doesNotContain("reading"); // refused first
    // the CSV formats are not resampled: a --step other than theirs would be ignored, so it is refused
    CliRun step = CliRun.of("checkpoint-sim", "--format", "google", "--traces", dir.toString(), "--step", "1m");
    assertThat(step.exit()).as(step.err()).isEqualTo(2);
    assertThat(step.err()).contains("--step 1m: google traces come in steps of 5m and are not resampled;"
        + " leave --step out");
    CliRun unknown = CliRun.of("run", "--bogus");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown option: '--bogus'", "Usage:");
  }

  @Test
  @DisplayName("a group without one of its commands (presize, presize models, ...) is a usage error: the choice and"
      + " the usage, exit 2; --help on it is not")
  void missingCommand() {
    for (String[] args : new String[][] {{}, {"models"}, {"corpus"}, {"workloads"}}) {
      CliRun run = CliRun.of(args);
      assertThat(run.exit()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.err()).contains("which command? One of ", "Usage: presize");
    }
    assertThat(CliRun.of().err()).contains("presize: which command? One of demo, run,").doesNotContain("help,");
    assertThat(CliRun.of("models", "--help").exit()).isZero();
    assertThat(CliRun.of("--help").exit()).isZero();
    CliRun version = CliRun.of("--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out().lines().filter(l -> l.startsWith("presize ")).count()).as("printed once").isOne();
  }

  @Test
  @DisplayName("a command stopped by Ctrl-C or SIGTERM before it started exits as that signal (130, 143), one line, "
      + "and with --json the problem 'stopped'")
  void stoppedBeforeTheCommandStarted() throws Exception {
    for (String[] c : new String[][] {{"INT", "130"}, {"TERM", "143"}}) {
      CommandLine cl = Main.commandLine();
      java.io.StringWriter out = new java.io.StringWriter();
      java.io.StringWriter err = new java.io.StringWriter();
      cl.setOut(new java.io.PrintWriter(out));
      cl.setErr(new java.io.PrintWriter(err));
      cl.parseArgs("record", "--json", "--", "true");
      int exit = cl.getExecutionExceptionHandler().handleExecutionException(
          new dev.presize.local.Recorder.Stopped(c[0]), cl.getSubcommands().get("record"), cl.getParseResult());
      assertThat(exit).isEqualTo(Integer.parseInt(c[1]));
      assertThat(err.toString()).isEqualTo("presize: stopped by SIG" + c[0] + " before the command started"
          + System.lineSeparator());
      assertThat(out.toString()).contains("\"problem\":\"stopped\"");
    }
  }

  @Test
  @DisplayName("a number option given a word says what it expected, not a Java type ('abc' is not a long)")
  void numbersWithoutJavaTypes(@TempDir Path dir) {
    CliRun limit = CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", dir.toString(), "--limit", "abc");
    assertThat(limit.exit()).isEqualTo(2);
    assertThat(limit.err()).contains("--limit abc: not a whole number").doesNotContain("is not an int");
    assertThat(Main.plain("'x' is not a double")).isEqualTo("not a number");
    assertThat(Main.plain("'x' is not a long")).isEqualTo("not a whole number");
    assertThat(Main.plain("no unit")).isEqualTo("no unit");
  }

  @Test
  @DisplayName("a size or duration too large for 64 bits says so, not 'unknown unit' for a unit it knows")
  void tooLarge(@TempDir Path dir) {
    CliRun memory = CliRun.of("run", "--memory", "99999999Ti", "--out", dir.toString(), "--", "true");
    assertThat(memory.exit()).isEqualTo(2);
    assertThat(memory.err()).contains("--memory 99999999Ti: too large").doesNotContain("unknown unit");
    CliRun step = CliRun.of("run", "--step", "999999999999d", "--out", dir.toString(), "--", "true");
    assertThat(step.exit()).isEqualTo(2);
    assertThat(step.err()).contains("--step 999999999999d: too large");
  }

  @Test
  @DisplayName("run with a --model that cannot be loaded says why, not 'pass --model'; with none it says what to"
      + " pass, once")
  void runModelErrors(@TempDir Path dir) throws Exception {
    Path broken = java.nio.file.Files.createDirectories(dir.resolve("broken"));
    java.nio.file.Files.writeString(broken.resolve("metadata.json"), "{}");
    CliRun bad = CliRun.of("run", "--model", broken.toString(), "--out", dir.resolve("o").toString(), "--", "true");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("cannot forecast with the model given: ", broken.toString())
        .doesNotContain("pass --model");
    CliRun none = CliRun.of("run", "--out", dir.resolve("o").toString(), "--", "true");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("no model to forecast with: pass --model DIR").doesNotContain("remote:",
        "provider");
  }

  @Test
  @DisplayName("record --cgroup naming a provider this host cannot run is a usage error saying why, before it starts")
  void cgroupProviderThatCannotRun(@TempDir Path dir) {
    var context = dev.presize.spi.ProviderContext.of(dev.presize.spi.config.ConfigProperties.empty());
    var unsupported = dev.presize.spi.ProviderRegistry.load(dev.presize.spi.host.ResourceGroupProvider.class,
        getClass().getClassLoader()).all().stream().filter(p -> !p.probe(context).supported()).findFirst();
    org.junit.jupiter.api.Assumptions.assumeTrue(unsupported.isPresent(),
        "every cgroup provider runs on this host: none to refuse");
    String name = unsupported.get().name();
    CliRun r = CliRun.of("record", "--cgroup", name, "--out", dir.resolve("out").toString(), "--", "true");
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("--cgroup " + name + " cannot run on this host: ", "(--cgroup auto picks what can)");
    assertThat(dir.resolve("out")).doesNotExist();
  }
}
