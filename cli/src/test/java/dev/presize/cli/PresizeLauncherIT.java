package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository's {@code ./presize} launcher runs the packaged jar (run by failsafe after {@code package}). */
class PresizeLauncherIT {

  @Test
  @DisplayName("./presize record --json -- CMD runs CMD, prints the JSON summary and exits with CMD's code")
  void launcher(@TempDir Path dir) throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    assertThat(root.resolve("presize")).isExecutable();
    Process p = new ProcessBuilder(root.resolve("presize").toString(), "record", "--json", "--out", dir.toString(),
        "--", "/bin/sh", "-c", "echo hello; exit 5").directory(root.toFile()).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isEqualTo(5);
    List<String> lines = out.lines().toList();
    assertThat(lines.get(0)).isEqualTo("hello");
    JsonNode j = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(Files.exists(Path.of(j.get("trace").asText()))).isTrue();
    assertThat(err).doesNotContain("building"); // the jar was fresh: no rebuild on this run
  }
}
