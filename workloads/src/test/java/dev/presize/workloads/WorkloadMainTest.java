package dev.presize.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WorkloadMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return WorkloadMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("NAME SIZE SEED prints the response JSON on one stdout line and exits 0")
  void runsOneInvocation() throws Exception {
    assertThat(run("sort-array", "1000", "7")).isEqualTo(0);
    assertThat(out()).endsWith(System.lineSeparator()).doesNotContain("\n{");
    JsonNode response = Json.MAPPER.readTree(out());
    assertThat(response.get("workload").textValue()).isEqualTo("sort-array");
    assertThat(response.get("count").longValue()).isEqualTo(1000);
    assertThat(err()).isEmpty();
  }

  @Test
  @DisplayName("a network workload runs against the SERVER_URI given as the fourth argument")
  void networkWorkload() throws Exception {
    try (LoopbackHttpServer server = LoopbackHttpServer.start()) {
      assertThat(run("object-sync", "1", "2", server.uri().toString())).as(err()).isEqualTo(0);
      assertThat(Json.MAPPER.readTree(out()).get("verified").intValue()).isEqualTo(4);
    }
  }

  @Test
  @DisplayName("bad arguments exit 2 with a message on stderr: count, unknown name, non-numeric size, missing server, refused size")
  void badArguments() {
    assertThat(run("sort-array", "10")).isEqualTo(2);
    assertThat(err()).contains("usage");
    assertThat(run("nope", "1", "1")).isEqualTo(2);
    assertThat(err()).contains("unknown workload 'nope'").contains("sort-array");
    assertThat(run("sort-array", "ten", "1")).isEqualTo(2);
    assertThat(err()).contains("SIZE must be an integer, was 'ten'");
    assertThat(run("sort-array", "10", "1.5")).isEqualTo(2);
    assertThat(err()).contains("SEED");
    assertThat(run("network-transfer", "1", "1")).isEqualTo(2);
    assertThat(err()).contains("needs the loopback server");
    assertThat(run("sort-array", "0", "1")).isEqualTo(2);
    assertThat(run("matrix-multiply", "100000", "1")).isEqualTo(2);
    assertThat(err()).contains("size must be 1 to 4096, was 100000");
    assertThat(out()).isEmpty();
  }

  @Test
  @DisplayName("a function that fails exits 1 with the failure on stderr")
  void failureExitsOne() throws Exception {
    LoopbackHttpServer server = LoopbackHttpServer.start();
    String uri = server.uri().toString();
    server.close(); // nothing listens there any more
    assertThat(run("network-transfer", "1", "1", uri)).isEqualTo(1);
    assertThat(err()).contains("network-transfer failed");
    assertThat(out()).isEmpty();
  }
}
