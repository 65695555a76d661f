package dev.presize.workloads;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The HTTP client side of the network workloads: downloads from and uploads to a {@link LoopbackHttpServer}. */
final class LoopbackClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final URI server;

  LoopbackClient(URI server) {
    this.server = server;
  }

  /** Downloads {@code n} bytes of the server's stream for {@code seed} into a new array. */
  byte[] download(int n, long seed) throws IOException, InterruptedException {
    URI uri = server.resolve("bytes?n=" + n + "&seed=" + seed);
    HttpResponse<InputStream> response =
        client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("GET " + uri + " answered " + response.statusCode() + ": "
            + new String(in.readNBytes(500), java.nio.charset.StandardCharsets.UTF_8));
      }
      byte[] body = in.readNBytes(n);
      if (body.length != n || in.read() >= 0) {
        throw new IOException("GET " + uri + " sent " + body.length + "+ bytes, expected exactly " + n);
      }
      return body;
    }
  }

  /** Uploads {@code body[off, off+len)}; returns the server's {@code {"bytes":N,"sha256":"..."}}. */
  JsonNode upload(byte[] body, int off, int len) throws IOException, InterruptedException {
    URI uri = server.resolve("upload");
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(TIMEOUT)
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body, off, len))
        .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("POST " + uri + " answered " + response.statusCode() + ": " + response.body());
    }
    JsonNode answer = Json.MAPPER.readTree(response.body());
    if (answer.path("bytes").asLong(-1) != len) {
      throw new IOException("POST " + uri + " received " + answer.path("bytes") + " bytes, sent " + len);
    }
    return answer;
  }
}
