package dev.presize.service;

import dev.presize.core.predict.TestModels;
import dev.presize.core.registry.FileSystemModelRegistry;
import dev.presize.core.registry.Version;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bounded-time load generator for {@code POST /v1/forecast}: {@code connections} threads, each with its own JDK
 * {@link HttpClient} (one keep-alive connection), send the same pre-built batch back to back for a warm-up and then
 * a measured period, recording every request's latency. Reports forecasts (rows) per second and latency
 * percentiles. Run by {@link LoadGeneratorTest}; see docs/benchmarks.md for the command.
 */
final class LoadGenerator {

  /** What one run measured. */
  record Result(int batch, int connections, double seconds, long requests, long errors, double forecastsPerSecond,
      double p50Millis, double p99Millis, double maxMillis) {

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "batch=%d connections=%d seconds=%.1f requests=%d errors=%d "
          + "forecasts/s=%.0f p50=%.2fms p99=%.2fms max=%.2fms", batch, connections, seconds, requests, errors,
          forecastsPerSecond, p50Millis, p99Millis, maxMillis);
    }
  }

  private LoadGenerator() {}

  /** Starts a service over a registry with a realistic-size model and loads it; the model dir is trained here. */
  static List<Result> run(Path root, int features, int rounds, int depth, int[] batches, int connections,
                          Duration warmUp, Duration measure, int threads) throws Exception {
    Path dir = TestModels.write(root.resolve("model"), "load", 1.3, features, rounds, depth);
    FileSystemModelRegistry registry = new FileSystemModelRegistry(root.resolve("registry"));
    registry.publish("load", dir);
    registry.promote("load", new Version(1));
    ServiceConfig d = ServiceConfig.defaults();
    ServiceConfig config = new ServiceConfig(root.resolve("registry"), "127.0.0.1", 0, Optional.empty(),
        root.resolve("data"), threads, 1024, Duration.ofSeconds(1), 1_000_000, Duration.ofMinutes(1), 1024,
        d.maxBodyBytes());
    List<Result> results = new ArrayList<>();
    try (PredictionService service = PredictionService.start(config)) {
      URI uri = URI.create("http://127.0.0.1:" + service.port() + "/v1/forecast");
      for (int batch : batches) {
        results.add(load(uri, body(batch, features), batch, connections, warmUp, measure));
      }
    }
    return results;
  }

  static byte[] body(int batch, int features) {
    StringBuilder sb = new StringBuilder("{\"model\":\"load\",\"rows\":[");
    for (int i = 0; i < batch; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"function\":\"fn-").append(i).append("\",\"features\":[");
      float[] f = TestModels.row(i, features);
      for (int k = 0; k < f.length; k++) {
        sb.append(k == 0 ? "" : ",").append(f[k]);
      }
      sb.append("]}");
    }
    return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  static Result load(URI uri, byte[] body, int batch, int connections, Duration warmUp, Duration measure)
      throws InterruptedException {
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    long[][] latencies = new long[connections][];
    int[] counts = new int[connections];
    long[] errors = new long[connections];
    Thread[] threads = new Thread[connections];
    for (int c = 0; c < connections; c++) {
      int id = c;
      latencies[c] = new long[2_000_000];
      threads[c] = new Thread(() -> {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        while (!stop.get()) {
          long t0 = System.nanoTime();
          boolean ok;
          try {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            ok = r.statusCode() == 200;
          } catch (Exception e) {
            ok = false;
            if (e instanceof InterruptedException) {
              Thread.currentThread().interrupt();
              return;
            }
          }
          long t = System.nanoTime() - t0;
          if (measuring.get()) {
            if (!ok) {
              errors[id]++;
            } else if (counts[id] < latencies[id].length) {
              latencies[id][counts[id]++] = t;
            }
          }
        }
      }, "load-" + c);
      threads[c].start();
    }
    Thread.sleep(warmUp.toMillis());
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(measure.toMillis());
    measuring.set(false);
    double seconds = (System.nanoTime() - start) / 1e9;
    stop.set(true);
    for (Thread t : threads) {
      t.join(15_000);
    }
    int total = 0;
    long errs = 0;
    for (int c = 0; c < connections; c++) {
      total += counts[c];
      errs += errors[c];
    }
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < connections; c++) {
      System.arraycopy(latencies[c], 0, all, at, counts[c]);
      at += counts[c];
    }
    Arrays.sort(all);
    double p50 = total == 0 ? Double.NaN : all[(int) Math.min(total - 1, Math.ceil(total * 0.50) - 1)] / 1e6;
    double p99 = total == 0 ? Double.NaN : all[(int) Math.min(total - 1, Math.ceil(total * 0.99) - 1)] / 1e6;
    double max = total == 0 ? Double.NaN : all[total - 1] / 1e6;
    return new Result(batch, connections, seconds, total, errs, total * (double) batch / seconds, p50, p99, max);
  }

  /** {@code java ... LoadGenerator [dir]}: the full run with the defaults of docs/benchmarks.md. */
  public static void main(String[] args) throws Exception {
    Path root = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("presize-load-");
    for (Result r : run(root, 80, 100, 6, new int[] {1, 64}, 4, Duration.ofSeconds(2), Duration.ofSeconds(10), 4)) {
      System.out.println(r);
    }
  }
}
