package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./presize record-suite --quick} end to end (failsafe, after packaging): every workload, two sizes. */
class RecordSuiteQuickIT {

  private static JsonNode run(Path root, String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = root.resolve("presize").toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
  }

  @Test
  @DisplayName("record-suite --quick records every workload at two sizes, resumes with nothing to do, and stats cover all")
  void quickSuite(@TempDir Path dir) throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    JsonNode result = run(root, "record-suite", "--out", dir.toString(), "--quick", "--json");
    int workloads = run(root, "workloads", "list", "--json").size();
    assertThat(result.get("runs").asInt()).isEqualTo(2 * workloads);
    assertThat(result.get("recorded").asInt()).isEqualTo(2 * workloads);
    assertThat(result.get("failed").asInt()).isZero();
    JsonNode again = run(root, "record-suite", "--out", dir.toString(), "--quick", "--json");
    assertThat(again.get("skipped").asInt()).isEqualTo(2 * workloads);
    JsonNode stats = run(root, "corpus", "stats", dir.toString(), "--json");
    assertThat(stats.size()).isEqualTo(workloads);
    for (JsonNode w : stats) {
      assertThat(w.get("runs").asInt()).as(w.toString()).isEqualTo(2);
      assertThat(w.get("peakRssBytes").asLong()).as(w.toString()).isGreaterThan(20L << 20);
      assertThat(w.get("meanCores").asDouble()).as(w.toString()).isPositive();
    }
  }
}
