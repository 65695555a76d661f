package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.core.registry.FileSystemModelRegistry;
import dev.presize.core.registry.ModelDirs;
import dev.presize.spi.resources.Resource;
import dev.presize.trainer.evaluate.EvaluationResult;
import dev.presize.trainer.evaluate.ResourceMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tables of evaluate, feedback and models show, as people read them: units, no NaN, aligned columns. */
class OfflineTablesTest {

  @TempDir
  Path tmp;

  private static ResourceMetrics metrics(double coverageP99, double pinballP90) {
    return new ResourceMetrics(1000, 0, 0, 0.3, 0.3, 0.001, 0.9, pinballP90, 50, 1e8, 7e7, 1000, 0.9, coverageP99,
        Double.NaN, Double.NaN);
  }

  @Test
  @DisplayName("evaluate's table: memory pinball in bytes with a unit, '-' for a baseline without a p99")
  void evaluateTable() {
    Map<String, Map<Resource, ResourceMetrics>> methods = new LinkedHashMap<>();
    methods.put("presize", Map.of(Resource.MEMORY, metrics(0.99, 1_680_000), Resource.CPU, metrics(0.99, 0.0358)));
    methods.put("vpa", Map.of(Resource.MEMORY, metrics(Double.NaN, 4.2e7)));
    StringWriter s = new StringWriter();
    EvaluateCommand.table(new PrintWriter(s, true), new EvaluationResult("d", 2, 2000, methods));
    String out = s.toString();
    assertThat(out).doesNotContain("NaN", "e+0").contains("1.60Mi", "40.1Mi", "0.03580");
    String vpa = out.lines().filter(l -> l.startsWith("vpa")).findFirst().orElseThrow();
    assertThat(vpa.split("\\s+")[5]).isEqualTo("-");
  }

  @Test
  @DisplayName("feedback's table: columns as wide as their content, pinball in the target's unit")
  void feedbackTable() throws Exception {
    Path f = Files.writeString(tmp.resolve("feedback.jsonl"), String.join("\n",
        "{\"forecastId\": \"a\", \"model\": \"presize\", \"version\": \"dir-cff63ce1aa7c\", \"targets\":"
            + " {\"MEMORY_PEAK\": {\"actual\": 1000000, \"p50\": 900000, \"p90\": 1100000, \"p99\": 1200000},"
            + " \"CPU_MEAN\": {\"actual\": 0.5, \"p50\": 0.4, \"p90\": 0.6, \"p99\": 0.7}}}",
        ""));
    CliRun r = CliRun.of("feedback", f.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(r.out()).doesNotContain("e+0").contains("MEMORY_PEAK");
    // every column starts where its header starts
    String header = lines.get(0);
    for (String col : new String[] {"VERSION", "TARGET"}) {
      int at = header.indexOf(col);
      for (String row : lines.subList(1, lines.size())) {
        assertThat(row.charAt(at - 1)).as("%s in '%s'", col, row).isEqualTo(' ');
        assertThat(row.charAt(at)).as("%s in '%s'", col, row).isNotEqualTo(' ');
      }
    }
    String memory = lines.stream().filter(l -> l.contains("MEMORY_PEAK")).findFirst().orElseThrow();
    assertThat(memory).endsWith("Ki");
  }

  @Test
  @DisplayName("models show: times as ISO-8601 UTC seconds, in columns wide enough for them")
  void modelsShowTable() throws Exception {
    Path root = tmp.resolve("registry");
    FileSystemModelRegistry registry = new FileSystemModelRegistry(root,
        InstantSource.fixed(Instant.parse("2026-11-25T02:40:12.123456789Z")));
    registry.publish("m", ModelDirs.write(tmp.resolve("a"), "a", 2048));
    registry.promote("m", new dev.presize.core.registry.Version(1));
    CliRun r = CliRun.of("models", "show", "m", "--registry", root.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(1)).contains("2026-11-25T02:40:12Z  2026-11-25T02:40:12Z").doesNotContain(".123");
    assertThat(lines.get(1).indexOf("sha256")).isEqualTo(lines.get(0).indexOf("DIGEST"));
    CliRun one = CliRun.of("models", "show", "m", "v1", "--registry", root.toString());
    assertThat(one.out()).contains("submitted       2026-11-25T02:40:12Z");
  }
}
