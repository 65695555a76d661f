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

  @Test
  @DisplayName("./presize --version names the project's version (from the jar's manifest) and the Java runtime")
  void version() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Process p = new ProcessBuilder(root.resolve("presize").toString(), "--version").directory(root.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    String version = System.getProperty("presize.version");
    assertThat(version).as("failsafe passes the project's version").isNotBlank();
    // the Java ./presize picks (JAVA_HOME or the PATH's) need not be the one running this test
    assertThat(out.lines().toList()).hasSize(2).first().isEqualTo("presize " + version);
    assertThat(out.lines().toList().get(1)).matches("Java \\d+.* \\(.+\\)");
  }

  @Test
  @DisplayName("SIGTERM to presize record stops the command and still finishes the trace (exit 143 in its footer)")
  void terminated(@TempDir Path dir) throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Process p = new ProcessBuilder(root.resolve("presize").toString(), "record", "--out", dir.toString(), "--",
        "sleep", "60").directory(root.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    java.util.Optional<ProcessHandle> sleep = java.util.Optional.empty();
    while (sleep.isEmpty() && System.nanoTime() < deadline) {
      sleep = p.descendants().filter(h -> h.info().command().orElse("").endsWith("sleep")).findFirst();
      Thread.sleep(20);
    }
    assertThat(sleep).as("the recorded sleep started").isPresent();
    Thread.sleep(300);
    p.destroy(); // SIGTERM to the JVM (the launcher execs java)
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    try (var files = Files.list(dir)) {
      Path trace = files.filter(f -> f.toString().endsWith(".pstrace")).findFirst().orElseThrow();
      var data = dev.presize.core.trace.TraceReader.readAll(trace);
      assertThat(data.complete()).isTrue();
      assertThat(data.footer()).containsEntry("exit.code", "143");
      assertThat(data.sampleCount()).isPositive();
    }
    // that very process, not any `sleep 60` on the host (other work on the machine may run one)
    ProcessHandle recorded = sleep.get();
    assertThat(recorded.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("no orphaned sleep 60").isFalse();
  }
}
