package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presize.core.registry.ModelChecksums;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the commands that read or write models, traces, corpora, registries and feedback say about bad input: a usage
 * error (exit 2) naming the option as typed and the value, given before any trace is read or model trained, in plain
 * words (no parser internals).
 */
class OfflineInputErrorsTest {

  @TempDir
  Path tmp;

  /** Traces that do not exist: a command that read them before checking the rest would complain about them. */
  private String noTraces() {
    return tmp.resolve("no-traces").toString();
  }

  private static void assertUsage(CliRun r, String... says) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(says).doesNotContain("no-traces", "Usage:", "Exception", "REDACTED");
  }

  @Test
  @DisplayName("train, train-crossing and evaluate refuse an --out or --report they could not write, before reading"
      + " traces, and leave nothing behind")
  void outputsCheckedFirst() throws Exception {
    Path file = Files.writeString(tmp.resolve("afile"), "x");
    String under = file.resolve("sub").toString();
    assertUsage(CliRun.of("train", "--format", "presize", "--traces", noTraces(), "--fast", "--out", under),
        "--out " + under + ": " + file + " is a file, not a directory");
    assertUsage(CliRun.of("train-crossing", "--format", "bitbrains", "--traces", noTraces(), "--out", under),
        "--out " + under + ": " + file + " is a file, not a directory");
    Path model = Files.createDirectories(tmp.resolve("model"));
    assertUsage(CliRun.of("evaluate", "--format", "presize", "--traces", noTraces(), "--model", model.toString(),
        "--report", file.toString()), "--report " + file + ": is a file, not a directory");
    if (Files.isDirectory(Path.of("/proc/self"))) { // a directory nobody can create a directory in
      assertUsage(CliRun.of("train", "--format", "presize", "--traces", noTraces(), "--out", "/proc/presize-x/y"),
          "--out /proc/presize-x/y: cannot create /proc/presize-x");
    }

    // a writable --out passes the check and is not left created: the error is then about the traces
    Path deep = tmp.resolve("new/deeper/model");
    CliRun ok = CliRun.of("train", "--format", "presize", "--traces", noTraces(), "--out", deep.toString());
    assertThat(ok.exit()).isEqualTo(2);
    assertThat(ok.err()).contains("no-traces");
    assertThat(tmp.resolve("new")).doesNotExist();
  }

  @Test
  @DisplayName("train --out of an empty directory whose parent cannot be written is a usage error before any work: the"
      + " model is made beside its target and renamed into place")
  void outParentCheckedToo() throws Exception {
    Path locked = Files.createDirectories(tmp.resolve("locked"));
    Path model = Files.createDirectories(locked.resolve("model"));
    // Root writes through permission bits, not through the immutable attribute (chattr +i, ext4 and others).
    boolean immutable;
    try {
      immutable = new ProcessBuilder("chattr", "+i", locked.toString()).redirectErrorStream(true).start()
          .waitFor() == 0;
    } catch (java.io.IOException noChattr) {
      immutable = false;
    }
    try {
      boolean refused = immutable;
      if (immutable) {
        try {
          Files.delete(Files.createTempDirectory(locked, "probe"));
          refused = false;
        } catch (java.io.IOException expected) {
          // the directory refuses new entries, as intended
        }
      }
      assumeTrue(refused, "no directory this test could make unwritable: chattr +i " + locked + " failed or did not"
          + " stop this user (needs chattr and a file system with the immutable attribute)");
      assertUsage(CliRun.of("train", "--format", "presize", "--traces", noTraces(), "--fast", "--out",
          model.toString()), "--out " + model + ": cannot write in " + locked + ", where the model is made before it"
          + " is renamed into place (");
    } finally {
      if (immutable) {
        new ProcessBuilder("chattr", "-i", locked.toString()).start().waitFor();
      }
    }
    assertThat(model).isEmptyDirectory();
  }

  @Test
  @DisplayName("train --out of an existing model is a usage error, and the model is left as it was")
  void existingModelIsNotOverwritten() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("model"));
    Files.writeString(model.resolve("metadata.json"), "{}");
    assertUsage(CliRun.of("train", "--format", "presize", "--traces", noTraces(), "--out", model.toString()),
        "--out " + model + ": the model directory exists and is not empty");
    assertThat(Files.readString(model.resolve("metadata.json"))).isEqualTo("{}");
  }

  @Test
  @DisplayName("train's option values are checked before the traces are read, named as typed")
  void trainOptionValues() {
    String out = tmp.resolve("m").toString();
    String[][] cases = {
        {"--horizon", "0", "--horizon 0: must be 1 or more"},
        {"--stride", "0", "--stride 0: must be 1 or more"},
        {"--max-rounds", "0", "--max-rounds 0: must be 1 or more"},
        {"--test-fraction", "1.5", "--test-fraction 1.5: must be at least 0 and below 1"},
        {"--validation-fraction", "-0.1", "--validation-fraction -0.1: must be at least 0 and below 1"},
        {"--name", "a b/c", "--name 'a b/c': use 1-64 letters"},
        {"--validation-by", "week", "--validation-by week: must be time or series"}};
    for (String[] c : cases) {
      CliRun r = CliRun.of("train", "--format", "presize", "--traces", noTraces(), "--out", out, c[0], c[1]);
      assertUsage(r, c[2]);
      assertThat(r.err()).doesNotContain("horizonSteps", "strideSteps", "testSeriesFraction", "maxRounds");
    }
  }

  @Test
  @DisplayName("serve refuses a port out of range and a registry that is a file (one not there yet is served empty,"
      + " with a warning: serve, then submit, works)")
  void serve() throws Exception {
    assertUsage(CliRun.of("serve", "--port", "99999"), "--port 99999: must be 0 to 65535");
    Path file = Files.writeString(tmp.resolve("afile"), "x");
    assertUsage(CliRun.of("serve", "--registry", file.toString(), "--port", "0"),
        "--registry " + file + ": not a directory");
  }

  @Test
  @DisplayName("corpus stats: a missing directory, one without corpus.json and a damaged corpus.json, in plain words")
  void corpusStats() throws Exception {
    Path none = tmp.resolve("none");
    assertUsage(CliRun.of("corpus", "stats", none.toString()), "DIR " + none + ": no such directory");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertUsage(CliRun.of("corpus", "stats", empty.toString()), "DIR " + empty + ": not a corpus directory");
    Path bad = Files.createDirectories(tmp.resolve("bad"));
    Files.writeString(bad.resolve("corpus.json"), "{\"format\": \"presize-corpus/1\", \"runs\": []}");
    CliRun missing = CliRun.of("corpus", "stats", bad.toString());
    assertUsage(missing, "corpus.json: missing field host");
    assertThat(missing.err()).doesNotContain("CorpusManifest", "Cannot construct");
    Files.writeString(bad.resolve("corpus.json"), "garbage");
    assertUsage(CliRun.of("corpus", "stats", bad.toString()),
        "corpus.json line 1, column 1: not JSON (unexpected 'garbage')");
  }

  /** A model directory whose checksums match but whose metadata.json is not JSON. */
  private Path garbageModel() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("garbage-model"));
    Files.writeString(dir.resolve("metadata.json"), "garbage\n");
    ModelChecksums.write(dir);
    return dir;
  }

  @Test
  @DisplayName("evaluate --model: missing, a file, or with a metadata.json that is not JSON is a usage error saying"
      + " which")
  void evaluateModel() throws Exception {
    Path none = tmp.resolve("none");
    assertUsage(CliRun.of("evaluate", "--format", "presize", "--traces", noTraces(), "--model", none.toString()),
        "--model " + none + ": no such directory");
    Path file = Files.writeString(tmp.resolve("afile"), "x");
    assertUsage(CliRun.of("evaluate", "--format", "presize", "--traces", noTraces(), "--model", file.toString()),
        "--model " + file + ": not a directory");
    Path garbage = garbageModel();
    Path traces = Files.createDirectories(tmp.resolve("traces"));
    CliRun r = CliRun.of("evaluate", "--format", "presize", "--traces", traces.toString(), "--model",
        garbage.toString());
    assertUsage(r, "--model " + garbage + ": metadata.json line 1, column 1: not JSON (unexpected 'garbage')");
    assertThat(r.err()).doesNotContain("Source", "StreamReadFeature");
  }

  @Test
  @DisplayName("models --json: every error, a usage error or a failure, is also {error, problem} on stdout")
  void modelsJsonErrors() throws Exception {
    Path registry = tmp.resolve("registry");
    Path none = tmp.resolve("none");
    CliRun missing = CliRun.of("models", "submit", none.toString(), "--registry", registry.toString(), "--format",
        "presize", "--validation", noTraces(), "--json");
    assertUsage(missing, "MODEL_DIR " + none + ": no such directory");
    JsonNode j = new ObjectMapper().readTree(missing.out());
    assertThat(j.path("error").asText()).contains("no such directory");
    assertThat(j.path("problem").asText()).isEqualTo("usage");

    Path garbage = garbageModel();
    CliRun bogus = CliRun.of("models", "submit", garbage.toString(), "--registry", registry.toString(), "--format",
        "presize", "--validation", noTraces(), "--json", "--resource", "bogus");
    assertUsage(bogus, "--resource bogus: must be memory or cpu");
    assertThat(new ObjectMapper().readTree(bogus.out()).path("error").asText()).contains("--resource bogus");

    CliRun coverage = CliRun.of("models", "submit", garbage.toString(), "--registry", registry.toString(),
        "--format", "presize", "--validation", noTraces(), "--coverage", "0.95,0.85");
    assertUsage(coverage, "--coverage 0.95,0.85: must be MIN,MAX with 0 <= MIN <= MAX <= 1");

    CliRun notJson = CliRun.of("models", "submit", garbage.toString(), "--registry", registry.toString(), "--format",
        "presize", "--validation", noTraces(), "--json");
    assertUsage(notJson, "metadata.json line 1, column 1: not JSON (unexpected 'garbage')");
    assertThat(new ObjectMapper().readTree(notJson.out()).path("problem").asText()).isEqualTo("usage");
    assertThat(registry).as("nothing published").doesNotExist();
  }

  @Test
  @DisplayName("--json: a parse error (unknown option, missing value) and a failure are one {error, problem} line on"
      + " stdout too, for every command that has --json; without --json stdout stays empty")
  void jsonErrorsEverywhere() throws Exception {
    ObjectMapper json = new ObjectMapper();
    CliRun unknown = CliRun.of("models", "list", "--json", "--bogus");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.out().lines().toList()).hasSize(1);
    JsonNode u = json.readTree(unknown.out());
    assertThat(u.path("error").asText()).contains("--bogus");
    assertThat(u.path("problem").asText()).isEqualTo("usage");
    assertThat(unknown.err()).contains("Unknown option: '--bogus'");

    CliRun missingValue = CliRun.of("models", "list", "--json", "--registry");
    assertThat(missingValue.exit()).isEqualTo(2);
    assertThat(json.readTree(missingValue.out()).path("problem").asText()).isEqualTo("usage");

    CliRun badSize = CliRun.of("run", "--json", "--memory", "abc", "--", "true");
    assertThat(badSize.exit()).isEqualTo(2);
    assertThat(badSize.out().lines().toList()).hasSize(1);
    assertThat(json.readTree(badSize.out()).path("error").asText()).isEqualTo("--memory abc: not a size (e.g. "
        + "256Mi, 1Gi)");

    CliRun failed = CliRun.of("run", "--json", "--sizer", "static", "--out", tmp.resolve("run").toString(), "--",
        tmp.resolve("no-such-command").toString());
    assertThat(failed.exit()).isEqualTo(Main.PRESIZE_FAILED);
    assertThat(failed.out().lines().toList()).hasSize(1);
    JsonNode f = json.readTree(failed.out());
    assertThat(f.path("error").asText()).endsWith("no-such-command: not found or not executable");
    assertThat(f.path("problem").asText()).isEqualTo("failed");

    Path file = Files.writeString(tmp.resolve("afile2"), "x");
    CliRun onFile = CliRun.of("models", "list", "--registry", file.toString(), "--json");
    assertThat(onFile.out().lines().toList()).as("said once").hasSize(1);

    CliRun afterDash = CliRun.of("run", "--memory", "abc", "--", "tool", "--json");
    assertThat(afterDash.exit()).isEqualTo(2);
    assertThat(afterDash.out()).as("--json after -- is the command's, not ours").isEmpty();

    CliRun withoutJson = CliRun.of("models", "list", "--bogus");
    assertThat(withoutJson.exit()).isEqualTo(2);
    assertThat(withoutJson.out()).isEmpty();
    CliRun noJsonOption = CliRun.of("trace", "--json", "x.pstrace");
    assertThat(noJsonOption.exit()).isEqualTo(2);
    assertThat(noJsonOption.out()).as("a command without --json prints no JSON").isEmpty();
  }

  @Test
  @DisplayName("the read commands refuse a registry that is not there or is a file; submit may create it")
  void mistypedRegistry() throws Exception {
    Path typo = tmp.resolve("typo-registry");
    for (String[] args : new String[][] {{"list"}, {"show", "m"}, {"promote", "m", "v1"}, {"rollback", "m"}}) {
      String[] full = java.util.stream.Stream.concat(java.util.stream.Stream.of("models"),
          java.util.stream.Stream.concat(java.util.Arrays.stream(args),
              java.util.stream.Stream.of("--registry", typo.toString()))).toArray(String[]::new);
      assertUsage(CliRun.of(full), "--registry " + typo + ": no such directory");
    }
    Path file = Files.writeString(tmp.resolve("afile"), "x");
    CliRun onFile = CliRun.of("models", "list", "--registry", file.toString(), "--json");
    assertUsage(onFile, "--registry " + file + ": not a directory");
    assertThat(new ObjectMapper().readTree(onFile.out()).path("problem").asText()).isEqualTo("usage");
    assertThat(typo).doesNotExist();
  }

  @Test
  @DisplayName("feedback: a directory, a missing file and a line that is not JSON are usage errors saying which")
  void feedbackFiles() throws Exception {
    assertUsage(CliRun.of("feedback", tmp.toString()), "FILE " + tmp + ": is a directory, not a file");
    Path none = tmp.resolve("none.jsonl");
    assertUsage(CliRun.of("feedback", none.toString()), "FILE " + none + ": no such file");
    Path g = Files.writeString(tmp.resolve("g.jsonl"), "\n garbage\n");
    CliRun r = CliRun.of("feedback", g.toString());
    assertUsage(r, g + " line 2, column 2: not JSON (unexpected 'garbage')");
    assertThat(r.err()).doesNotContain("Source", "Unrecognized token");
  }

  @Test
  @DisplayName("checkpoint-sim prints a small cost as written, not in scientific notation")
  void smallCost() {
    Path corpus = Path.of("../data/corpus").toAbsolutePath().normalize();
    assumeTrue(Files.isRegularFile(corpus.resolve("corpus.json")), "corpus not found at " + corpus);
    CliRun r = CliRun.of("checkpoint-sim", "--format", "presize", "--traces", corpus.toString(), "--limit", "20",
        "--cost", "0.00001");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("0.00001").doesNotContain("E-5");
  }
}
