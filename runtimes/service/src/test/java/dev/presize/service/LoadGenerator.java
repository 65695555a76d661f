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
 * A bounded-time load generator for {@code POST /v1/forecast}: {@code connections} threads, each with one
 * keep-alive HTTP/1.1 connection, send the same pre-built batch back to back for a warm-up and then a measured
 * period, recording every request's latency (send to last response byte) and counting every non-200 answer as an
 * error. Reports forecasts (rows) per second and latency percentiles. Run by {@link LoadGeneratorTest}; see
 * docs/benchmarks.md for the command.
 *
 * <p>The client shares the machine with the service, so it is lean: the request (headers and body) is encoded
 * once, written with one socket write, and the response is read into a reused buffer and parsed only as far as
 * the status line and {@code Content-Length} ({@link RawHttpClient}). The JDK {@link HttpClient} (one per thread)
 * is kept as the alternative ({@code client = "jdk"}) to compare with.
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
                          Duration warmUp, Duration measure, int threads, String client) throws Exception {
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
        results.add(load(uri, body(batch, features), batch, connections, warmUp, measure, client));
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

  /** One request on one connection: whether the answer was a 200. */
  private interface Sender extends AutoCloseable {
    boolean send() throws Exception;

    @Override
    default void close() throws java.io.IOException {}
  }

  private static Sender sender(String client, URI uri, byte[] body) throws java.io.IOException {
    if (client.equals("raw")) {
      RawHttpClient raw = new RawHttpClient(uri, "application/json", body);
      return new Sender() {
        @Override
        public boolean send() throws java.io.IOException {
          return raw.post() == 200;
        }

        @Override
        public void close() throws java.io.IOException {
          raw.close();
        }
      };
    }
    if (!client.equals("jdk")) {
      throw new IllegalArgumentException("client=" + client + ": use raw or jdk");
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return () -> http.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
  }

  /** Closes a connection that is done with or broken; returns null. */
  private static Sender close(Sender sender) {
    if (sender != null) {
      try {
        sender.close();
      } catch (java.io.IOException e) {
        System.err.println("load: closing a connection failed: " + e); // the run goes on with a new one
      }
    }
    return null;
  }

  static Result load(URI uri, byte[] body, int batch, int connections, Duration warmUp, Duration measure,
                     String client) throws InterruptedException {
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
        Sender sender = null;
        while (!stop.get()) {
          long t0 = System.nanoTime();
          boolean ok;
          try {
            if (sender == null) {
              sender = sender(client, uri, body);
            }
            ok = sender.send();
          } catch (Exception e) {
            sender = close(sender); // a broken connection: the next request opens a new one
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
        close(sender);
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

  /**
   * The run the {@code load.*} system properties describe: by default a 1-second smoke run (small model); with
   * {@code load.seconds} above 1 the measured run of docs/benchmarks.md (80 features, 100 rounds of depth 6).
   * Optional: {@code load.connections} (4), {@code load.threads} (4), {@code load.client} ({@code raw} or
   * {@code jdk}), {@code load.batches} ({@code 1,64}), {@code load.features}, {@code load.rounds},
   * {@code load.depth}.
   */
  static List<Result> runFromProperties(Path root) throws Exception {
    int seconds = Integer.getInteger("load.seconds", 1);
    boolean full = seconds > 1;
    int[] batches = Arrays.stream(System.getProperty("load.batches", "1,64").split(","))
        .mapToInt(b -> Integer.parseInt(b.strip())).toArray();
    return run(root, Integer.getInteger("load.features", full ? 80 : 16),
        Integer.getInteger("load.rounds", full ? 100 : 10), Integer.getInteger("load.depth", full ? 6 : 4),
        batches, Integer.getInteger("load.connections", 4), Duration.ofSeconds(full ? 2 : 1),
        Duration.ofSeconds(seconds), Integer.getInteger("load.threads", 4), System.getProperty("load.client", "raw"));
  }

  /** {@code java -Dload.seconds=10 ... LoadGenerator [dir]}: {@link #runFromProperties}, printed. */
  public static void main(String[] args) throws Exception {
    Path root = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("presize-load-");
    for (Result r : runFromProperties(root)) {
      System.out.println("LOAD " + r);
    }
  }
}
