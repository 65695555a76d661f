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

/** {@code presize train}, {@code evaluate} and {@code models submit} end to end on the checked-in corpus. */
class TrainEvaluateCommandTest {

  private static final Path CORPUS = Path.of("../data/corpus").toAbsolutePath().normalize();

  private record Run(int exit, String out, String err) {
  }

  private static Run run(String... args) {
    CliRun r = CliRun.of(args);
    return new Run(r.exit(), r.out(), r.err());
  }

  @Test
  @DisplayName("train writes a verified model; evaluate replays the held-out runs through presize and the five"
      + " baselines, as JSON and as an HTML report; submit judges it in the registry")
  void trainEvaluateSubmit(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isRegularFile(CORPUS.resolve("corpus.json")), "corpus not found at " + CORPUS);
    Path model = tmp.resolve("model");
    Run train = run("train", "--format", "presize", "--traces", CORPUS.toString(), "--out", model.toString(),
        "--targets", "MEMORY_PEAK,CPU_MEAN", "--json");
    assertThat(train.exit()).as(train.err()).isZero();
    JsonNode meta = new ObjectMapper().readTree(train.out());
    assertThat(meta.path("format").asText()).isEqualTo("presize-model/1");
    assertThat(meta.path("targets").has("memory")).isTrue();
    assertThat(meta.path("training").path("testSeries").size()).isPositive();
    assertThat(meta.path("training").path("splits").path("validationBySeries").asBoolean())
        .as("invocations validate on whole runs by default").isTrue();
    assertThat(train.err()).contains("training memory on", "round");
    assertThat(model.resolve("SHA256SUMS")).isRegularFile();

    Path report = tmp.resolve("report");
    Run eval = run("evaluate", "--format", "presize", "--traces", CORPUS.toString(), "--model", model.toString(),
        "--json", "--report", report.toString());
    assertThat(eval.exit()).as(eval.err()).isZero();
    JsonNode result = new ObjectMapper().readTree(eval.out());
    for (String m : new String[] {"presize", "static", "reactive", "ewma", "vpa", "autopilot"}) {
      for (String r : new String[] {"memory", "cpu"}) {
        JsonNode x = result.path("methods").path(m).path(r);
        assertThat(x.has("slack") && x.has("underProvisioned") && x.has("coverageP90") && x.has("pinballP90"))
            .as("%s %s in %s", m, r, eval.out()).isTrue();
      }
    }
    assertThat(result.path("series").asInt()).isEqualTo(meta.path("training").path("testSeries").size());
    String html = Files.readString(report.resolve("index.html"));
    assertThat(html).contains("presize", "vpa", ".png");

    Path registry = tmp.resolve("registry");
    Run submit = run("models", "submit", model.toString(), "--registry", registry.toString(), "--format", "presize",
        "--validation", CORPUS.toString(), "--json");
    assertThat(submit.exit()).as(submit.err()).isIn(0, 1);
    JsonNode decision = new ObjectMapper().readTree(submit.out());
    assertThat(decision.path("version").asText()).isEqualTo("v1");
    assertThat(decision.path("reason").asText()).isNotBlank();
    assertThat(decision.path("accepted").asBoolean()).isEqualTo(submit.exit() == 0);
    Run list = run("models", "show", "presize", "v1", "--registry", registry.toString(), "--json");
    assertThat(list.out()).contains(decision.path("accepted").asBoolean() ? "current" : "rejected");

    // A candidate that cannot be judged (trained on another feature schema) is an error, and recorded as rejected
    // rather than left a candidate.
    Path other = tmp.resolve("other");
    Files.createDirectories(other);
    try (var files = Files.list(model)) {
      for (Path f : files.filter(f -> !f.getFileName().toString().equals(ModelChecksums.FILE)).toList()) {
        Files.copy(f, other.resolve(f.getFileName()));
      }
    }
    Files.writeString(other.resolve("metadata.json"), Files.readString(other.resolve("metadata.json")).replace(
        meta.path("featureSchema").path("id").asText(), "presize-features/1-00000000"));
    ModelChecksums.write(other);
    Run bad = run("models", "submit", other.toString(), "--registry", registry.toString(), "--format", "presize",
        "--validation", CORPUS.toString());
    assertThat(bad.exit()).as(bad.err()).isNotZero();
    assertThat(bad.err()).contains("presize-features/1-00000000");
    Run v2 = run("models", "show", "presize", "v2", "--registry", registry.toString(), "--json");
    assertThat(v2.out()).contains("rejected", "could not be judged");
  }

  @Test
  @DisplayName("a missing model directory or an unknown format is a clear error, not a stack trace")
  void badInput(@TempDir Path tmp) {
    Run eval = run("evaluate", "--format", "presize", "--traces", CORPUS.toString(), "--model",
        tmp.resolve("none").toString());
    assertThat(eval.exit()).isEqualTo(2);
    assertThat(eval.err()).contains("--model " + tmp.resolve("none") + ": no such directory");
    Run train = run("train", "--format", "csv", "--traces", tmp.toString(), "--out", tmp.resolve("m").toString());
    assertThat(train.exit()).isEqualTo(2);
    assertThat(train.err()).contains("unknown trace format 'csv'");
  }

  @Test
  @DisplayName("an --out that is not an empty directory is refused before reading or training, and left as it was")
  void outCheckedFirst(@TempDir Path tmp) throws Exception {
    Path used = Files.createDirectories(tmp.resolve("used"));
    Files.writeString(used.resolve("keep.txt"), "mine");
    // the traces do not exist: had the command read them first, the error would be about them
    Run train = run("train", "--format", "presize", "--traces", tmp.resolve("no-traces").toString(), "--out",
        used.toString());
    assertThat(train.exit()).isEqualTo(2);
    assertThat(train.err()).contains("not empty").doesNotContain("no-traces");
    assertThat(Files.readString(used.resolve("keep.txt"))).isEqualTo("mine");
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Run onFile = run("train", "--format", "presize", "--traces", tmp.resolve("no-traces").toString(), "--out",
        file.toString());
    assertThat(onFile.err()).contains("not a directory");
  }
}
