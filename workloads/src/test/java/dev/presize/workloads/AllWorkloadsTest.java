package dev.presize.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every workload at its smallest size: well-formed, deterministic, input-dependent, and strict about requests. */
class AllWorkloadsTest {
  private static LoopbackHttpServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = LoopbackHttpServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  static Stream<Workload> workloads() {
    return Workloads.all().stream();
  }

  static JsonNode run(Workload w, long size, long seed) throws Exception {
    String response = w.factory().get().invoke(Workloads.request(w, size, seed, Optional.of(server.uri())));
    JsonNode node = Json.MAPPER.readTree(response);
    assertThat(node.isObject()).as(response).isTrue();
    return node;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  @DisplayName("the smallest size returns a JSON object naming the request, the same one twice; another seed or size changes it")
  void deterministicAndInputDependent(Workload w) throws Exception {
    long size = w.sizes().get(0);
    JsonNode first = run(w, size, 7);
    assertThat(first.get("workload").textValue()).isEqualTo(w.name());
    assertThat(first.get("size").longValue()).isEqualTo(size);
    assertThat(first.get("seed").longValue()).isEqualTo(7);
    assertThat(first.size()).as("a result beyond the echo of the request").isGreaterThan(3);
    assertThat(run(w, size, 7)).isEqualTo(first);

    if (!w.name().equals(ParallelSieveFunction.NAME)) { // primes do not depend on a seed
      JsonNode otherSeed = run(w, size, 8);
      assertThat(except(otherSeed, "seed")).isNotEqualTo(except(first, "seed"));
    }
    JsonNode smaller = run(w, Math.max(1, size / 2), 7);
    assertThat(except(smaller, "size")).isNotEqualTo(except(first, "size"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  @DisplayName("a malformed request is an IllegalArgumentException naming the field")
  void malformedRequests(Workload w) {
    String srv = ",\"server\":\"" + server.uri() + "\"";
    expectRefusal(w, "{\"seed\":1" + srv + "}", "size");
    expectRefusal(w, "{\"size\":-5,\"seed\":1" + srv + "}", "size");
    expectRefusal(w, "{\"size\":0,\"seed\":1" + srv + "}", "size");
    expectRefusal(w, "{\"size\":\"big\",\"seed\":1" + srv + "}", "size");
    expectRefusal(w, "{\"size\":1.5,\"seed\":1" + srv + "}", "size");
    expectRefusal(w, "{\"size\":99999999999,\"seed\":1" + srv + "}", "size");
    expectRefusal(w, "{\"size\":1,\"seed\":\"x\"" + srv + "}", "seed");
    expectRefusal(w, "[1,2]", "JSON object");
    expectRefusal(w, "{\"size\":", "JSON");
    if (w.needsServer()) {
      expectRefusal(w, "{\"size\":1,\"seed\":1}", "server");
      expectRefusal(w, "{\"size\":1,\"seed\":1,\"server\":42}", "server");
    }
  }

  private static JsonNode except(JsonNode node, String field) {
    ObjectNode copy = node.deepCopy();
    copy.remove(field);
    return copy;
  }

  private static void expectRefusal(Workload w, String request, String field) {
    assertThatThrownBy(() -> w.factory().get().invoke(request))
        .as(request)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(field);
  }
}
