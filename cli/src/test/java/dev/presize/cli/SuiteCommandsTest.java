package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code workloads list}, {@code record-suite} and {@code corpus stats} on real (small) runs. */
class SuiteCommandsTest {

  record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CliRun r = CliRun.of(args);
    return new Run(r.exit(), r.out(), r.err());
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @DisplayName("workloads list --json: an array of {name, category, resources, checkpointable}, 14 or more")
  void list() throws Exception {
    Run r = run("workloads", "list", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode a = JSON.readTree(r.out());
    assertThat(a.isArray()).isTrue();
    assertThat(a.size()).isGreaterThanOrEqualTo(14);
    for (JsonNode w : a) {
      assertThat(w.fieldNames()).toIterable().contains("name", "category", "resources", "checkpointable", "maxSize");
      assertThat(w.get("resources").isArray()).isTrue();
    }
    assertThat(a.findValues("checkpointable").stream().filter(JsonNode::asBoolean).count())
        .isGreaterThanOrEqualTo(3);
    assertThat(run("workloads", "list").out()).contains("NAME", "CHECKPOINT", "MAX SIZE")
        .containsPattern("sha256-stream +cpu +cpu,memory +yes +1024 +\\[8, 16, 64, 256\\]");
  }

  @Test
  @DisplayName("record-suite records each run once (resumable), and corpus stats reads the corpus back")
  void suiteAndStats(@TempDir Path dir) throws Exception {
    String[] args = {"record-suite", "--out", dir.toString(), "--workloads", "sort-array,disk-fsync",
        "--sizes", "2", "--repeats", "1", "--json"};
    Run first = run(args);
    assertThat(first.exit()).as(first.err()).isZero();
    List<String> lines = first.out().lines().toList();
    JsonNode result = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(result.get("recorded").asInt()).isEqualTo(4);
    assertThat(first.err()).contains("4/4");
    JsonNode again = JSON.readTree(run(args).out().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(again.get("skipped").asInt()).isEqualTo(4);
    assertThat(again.get("recorded").asInt()).isZero();
    assertThat(Files.list(dir.resolve("traces")).count()).isEqualTo(4);

    Run stats = run("corpus", "stats", dir.toString(), "--json");
    assertThat(stats.exit()).as(stats.err()).isZero();
    JsonNode s = JSON.readTree(stats.out());
    assertThat(s.size()).isEqualTo(2);
    JsonNode disk = s.get(0).get("workload").asText().equals("disk-fsync") ? s.get(0) : s.get(1);
    assertThat(disk.get("meanWriteBytes").asLong()).isGreaterThan(4L << 20);
    assertThat(disk.get("peakRssBytesBySize").size()).isEqualTo(2);
    assertThat(run("corpus", "stats", dir.toString()).out()).contains("WORKLOAD", "sort-array", "disk-fsync");
  }

  @Test
  @DisplayName("an unknown workload and a directory without corpus.json are clear errors")
  void badInput(@TempDir Path dir) {
    Run unknown = run("record-suite", "--out", dir.toString(), "--workloads", "nope");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("nope");
    Run notCorpus = run("corpus", "stats", dir.toString());
    assertThat(notCorpus.exit()).isEqualTo(2);
    assertThat(notCorpus.err()).contains("not a corpus directory");
  }
}
