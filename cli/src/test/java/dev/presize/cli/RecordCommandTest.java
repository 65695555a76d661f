package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RecordCommandTest {

  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  @DisplayName("--json prints one JSON object with the documented keys, and the exit code is the command's")
  void json() throws Exception {
    Run r = run("record", "--json", "--out", dir.toString(), "--", "/bin/sh", "-c",
        "head -c 5000000 /dev/zero > " + dir.resolve("f") + "; exit 3");
    assertThat(r.exit()).as(r.err()).isEqualTo(3);
    List<String> lines = r.out().lines().toList();
    JsonNode j = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertThat(j.fieldNames()).toIterable().contains("samples", "intervalP50Millis", "intervalP99Millis",
        "peakRssBytes", "cpuSeconds", "minorFaults", "majorFaults", "readBytes", "writeBytes", "rxBytes", "txBytes",
        "trace");
    assertThat(j.get("samples").asLong()).isPositive();
    assertThat(j.get("writeBytes").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(j.get("intervalP50Millis").asDouble()).isBetween(5.0, 30.0);
    assertThat(Path.of(j.get("trace").asText())).exists().startsWith(dir);
  }

  @Test
  @DisplayName("the text summary names peak RSS, CPU, faults, storage, network and the trace, and the signal that"
      + " killed the command")
  void text() {
    Run r = run("record", "--out", dir.toString(), "--interval", "20ms", "--", "/bin/sh", "-c", "true");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("peak RSS", "CPU", "page faults", "storage", "network", "trace", ".pstrace");
    Run killed = run("record", "--out", dir.toString(), "--", "/bin/sh", "-c", "kill -9 $$");
    assertThat(killed.exit()).isEqualTo(137);
    assertThat(killed.out()).contains("--- presize record: exit 137 (SIGKILL) ---");
  }

  @Test
  @DisplayName("a unitless interval, a lone --cpu and a missing command are usage errors that run nothing")
  void badInput() throws Exception {
    Run unitless = run("record", "--out", dir.toString(), "--interval", "10", "--", "true");
    assertThat(unitless.exit()).isEqualTo(2);
    assertThat(unitless.err()).contains("no unit");
    Run lonely = run("record", "--out", dir.toString(), "--cpu", "500m", "--", "true");
    assertThat(lonely.exit()).isEqualTo(2);
    assertThat(lonely.err()).contains("--cpu and --memory go together");
    Run none = run("record", "--out", dir.toString());
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("COMMAND");
    Run missing = run("record", "--out", dir.toString(), "--", "no-such-command-xyz");
    assertThat(missing.exit()).isEqualTo(Main.PRESIZE_FAILED);
    assertThat(missing.err()).contains("no-such-command-xyz: command not found");
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  @DisplayName("CPU amounts parse as Kubernetes writes them")
  void cpuConverter() {
    var c = new Converters.CpuConverter();
    assertThat(c.convert("1500m")).isEqualTo(1500);
    assertThat(c.convert("0.25")).isEqualTo(250);
  }
}
