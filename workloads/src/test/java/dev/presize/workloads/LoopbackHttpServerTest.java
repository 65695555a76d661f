package dev.presize.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LoopbackHttpServerTest {
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  @DisplayName("binds 127.0.0.1 on an ephemeral port; GET /bytes streams the deterministic bytes, in any chunking")
  void bytes() throws Exception {
    try (LoopbackHttpServer server = LoopbackHttpServer.start()) {
      URI uri = server.uri();
      assertThat(uri.getHost()).isEqualTo("127.0.0.1");
      assertThat(uri.getPort()).isPositive();
      HttpResponse<byte[]> response = client.send(
          HttpRequest.newBuilder(uri.resolve("bytes?n=100003&seed=9")).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).isEqualTo(200);
      byte[] expected = DeterministicBytes.generate(9, 100_003);
      assertThat(response.body()).isEqualTo(expected);
      byte[] piecewise = new byte[100_003];
      for (int off = 0; off < piecewise.length; off += 777) {
        DeterministicBytes.fill(9, off, piecewise, off, Math.min(777, piecewise.length - off));
      }
      assertThat(piecewise).isEqualTo(expected);
    }
  }

  @Test
  @DisplayName("POST /upload answers the byte count and SHA-256 of the body; a bad query is a 400")
  void upload() throws Exception {
    try (LoopbackHttpServer server = LoopbackHttpServer.start()) {
      byte[] body = DeterministicBytes.generate(3, 70_000);
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(server.uri().resolve("upload")).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode answer = Json.MAPPER.readTree(response.body());
      assertThat(answer.get("bytes").longValue()).isEqualTo(70_000);
      assertThat(answer.get("sha256").textValue()).isEqualTo(Json.sha256Hex(body));

      HttpResponse<String> bad = client.send(
          HttpRequest.newBuilder(server.uri().resolve("bytes?n=lots")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("n=lots");
    }
  }
}
