package dev.presize.service;

import dev.presize.core.predict.TestModels;
import dev.presize.core.registry.FileSystemModelRegistry;
import dev.presize.core.registry.Version;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A real service on an ephemeral loopback port over a real registry holding two trained versions of model
 * {@code svc} (v1 current), with a token file; plus an HTTP client.
 */
final class ServiceFixture implements AutoCloseable {

  static final String TOKEN = "0123456789abcdef0123456789abcdef";

  final Path root;
  final FileSystemModelRegistry registry;
  final PredictionService service;
  final ServiceConfig config;
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  ServiceFixture(Path root, int threads, int queue) throws IOException {
    this.root = root;
    Path models = root.resolve("model-dirs");
    Path v1 = TestModels.write(models.resolve("v1"), "svc", 1.1);
    Path v2 = TestModels.write(models.resolve("v2"), "svc", 2.0);
    registry = new FileSystemModelRegistry(root.resolve("registry"));
    registry.publish("svc", v1);
    registry.publish("svc", v2);
    registry.promote("svc", new Version(1));
    registry.publish("idle", v1); // a name with nothing promoted
    Path tokenFile = root.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    ServiceConfig d = ServiceConfig.defaults();
    config = new ServiceConfig(root.resolve("registry"), "127.0.0.1", 0, Optional.of(tokenFile),
        root.resolve("data"), threads, queue, Duration.ofMillis(50), 100_000, Duration.ofMinutes(5), 1024,
        d.maxBodyBytes());
    service = PredictionService.start(config);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + service.port() + path);
  }

  HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return post(path, body, null);
  }

  HttpResponse<String> post(String path, String body, String token) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A forecast request body for {@code rows} rows of model {@code model}. */
  static String forecastBody(String model, int rows) {
    StringBuilder sb = new StringBuilder("{\"model\":\"").append(model).append("\",\"rows\":[");
    for (int i = 0; i < rows; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"function\":\"fn-").append(i).append("\",\"features\":[");
      float[] f = TestModels.row(i);
      for (int k = 0; k < f.length; k++) {
        sb.append(k == 0 ? "" : ",").append(f[k]);
      }
      sb.append("]}");
    }
    return sb.append("]}").toString();
  }

  @Override
  public void close() {
    service.close();
  }
}
