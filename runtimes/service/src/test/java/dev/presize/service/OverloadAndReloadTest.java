package dev.presize.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presize.core.registry.Version;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Overload answers 429 and recovers; a promotion under load switches versions with no failed request. */
class OverloadAndReloadTest {

  static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir
  Path root;

  @Test
  @DisplayName("a saturated pool (1 worker, queue 1, slow requests) answers 429 with Retry-After, then recovers")
  void overload() throws Exception {
    try (ServiceFixture fx = new ServiceFixture(root, 1, 1)) {
      byte[] body = ServiceFixture.forecastBody("svc", 4).getBytes(StandardCharsets.UTF_8);
      int half = body.length / 2;
      String head = "POST /v1/forecast HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n";
      // Two slow clients: each sends half its body and stalls; one holds the only worker, the other the queue slot.
      try (Socket a = new Socket("127.0.0.1", fx.service.port());
           Socket b = new Socket("127.0.0.1", fx.service.port())) {
        for (Socket s : List.of(a, b)) {
          OutputStream o = s.getOutputStream();
          o.write(head.getBytes(StandardCharsets.US_ASCII));
          o.write(body, 0, half);
          o.flush();
        }
        HttpResponse<String> refused = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (refused == null && System.nanoTime() < deadline) {
          try {
            HttpResponse<String> r = fx.client.send(java.net.http.HttpRequest.newBuilder(fx.uri("/v1/forecast"))
                .timeout(java.time.Duration.ofMillis(500)).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                    ServiceFixture.forecastBody("svc", 1))).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 429) {
              refused = r;
            }
          } catch (java.net.http.HttpTimeoutException e) {
            // This one got the queue slot (a slow client was refused instead): it waits behind the stalled worker.
          }
        }
        assertThat(refused).as("a 429 while the pool is saturated").isNotNull();
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(MAPPER.readTree(refused.body()).get("error").asText()).contains("overloaded");

        // The slow clients finish: each is answered (200, or 429 if it was the one refused), the first one 200.
        for (Socket s : List.of(a, b)) {
          OutputStream o = s.getOutputStream();
          o.write(body, half, body.length - half);
          o.flush();
        }
        List<String> statuses = new java.util.ArrayList<>();
        for (Socket s : List.of(a, b)) {
          s.setSoTimeout(10_000);
          statuses.add(new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII));
        }
        assertThat(statuses).allMatch(x -> x.equals("HTTP/1.1 200") || x.equals("HTTP/1.1 429"))
            .contains("HTTP/1.1 200");
      }
      // It recovers: once the requests the probing loop left queued (their clients timed out, the server still
      // answers them) have drained, a new request is served. On a busy host that can take a moment.
      int status = 0;
      long recovered = System.nanoTime() + 10_000_000_000L;
      while (status != 200 && System.nanoTime() < recovered) {
        status = fx.post("/v1/forecast", ServiceFixture.forecastBody("svc", 1)).statusCode();
        if (status != 200) {
          Thread.sleep(50);
        }
      }
      assertThat(status).isEqualTo(200);
      assertThat(fx.get("/metrics").body()).containsPattern("presize_http_overloaded_total [1-9]")
          .contains("presize_http_requests_total{endpoint=\"/v1/forecast\",status=\"429\"}");
    }
  }

  @Test
  @DisplayName("hot reload under load: a promotion in the registry switches responses to v2 with zero non-200")
  void hotReloadUnderLoad() throws Exception {
    try (ServiceFixture fx = new ServiceFixture(root, 4, 256)) {
      String body = ServiceFixture.forecastBody("svc", 8);
      AtomicBoolean stop = new AtomicBoolean();
      Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();
      List<String> failures = new CopyOnWriteArrayList<>();
      List<String> order = new CopyOnWriteArrayList<>();
      List<Thread> clients = List.of(new Thread(() -> hammer(fx, body, stop, versions, failures, order)),
          new Thread(() -> hammer(fx, body, stop, versions, failures, order)));
      clients.forEach(Thread::start);
      try {
        waitFor(() -> versions.getOrDefault("v1", new AtomicInteger()).get() >= 50);
        fx.registry.promote("svc", new Version(2)); // the poller (50 ms) notices the pointer move
        waitFor(() -> versions.getOrDefault("v2", new AtomicInteger()).get() >= 200);
      } finally {
        stop.set(true);
        for (Thread t : clients) {
          t.join(10_000);
        }
      }
      assertThat(failures).isEmpty();
      assertThat(versions.get("v1").get()).isGreaterThanOrEqualTo(50);
      assertThat(versions.get("v2").get()).isGreaterThanOrEqualTo(200);
      // Once switched it stays switched (the last 100 responses are all v2).
      assertThat(order.subList(order.size() - 100, order.size())).containsOnly("v2");
    }
  }

  private static void hammer(ServiceFixture fx, String body, AtomicBoolean stop, Map<String, AtomicInteger> versions,
                             List<String> failures, List<String> order) {
    while (!stop.get()) {
      try {
        HttpResponse<String> r = fx.post("/v1/forecast", body);
        if (r.statusCode() != 200) {
          failures.add(r.statusCode() + " " + r.body());
          continue;
        }
        JsonNode j = MAPPER.readTree(r.body());
        String v = j.get("version").asText();
        versions.computeIfAbsent(v, k -> new AtomicInteger()).incrementAndGet();
        order.add(v);
      } catch (Exception e) {
        failures.add(e.toString());
      }
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      Thread.onSpinWait();
    }
  }
}
