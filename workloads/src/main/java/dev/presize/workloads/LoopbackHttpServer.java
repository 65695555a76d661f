package dev.presize.workloads;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP server (JDK {@code com.sun.net.httpserver}) the suite starts for the network workloads:
 * {@code GET /bytes?n=N&seed=S} streams N deterministic pseudo-random bytes; {@code POST /upload} consumes the
 * body and answers {@code {"bytes":N,"sha256":"..."}}. Binds 127.0.0.1 on an ephemeral port.
 */
public final class LoopbackHttpServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LoopbackHttpServer.class.getName());
  private static final long MAX_BYTES = 1L << 32;

  private final HttpServer server;
  private final ExecutorService executor;

  private LoopbackHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a server on 127.0.0.1 and an ephemeral port. */
  public static LoopbackHttpServer start() throws IOException {
    // Without TCP_NODELAY every small exchange waits out a delayed ACK (~40 ms); the JDK server reads this
    // property once, when its first instance is created, and an explicit setting by the caller wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "loopback-http");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/bytes", LoopbackHttpServer::bytes);
    server.createContext("/upload", LoopbackHttpServer::upload);
    server.start();
    return new LoopbackHttpServer(server, executor);
  }

  /** The base URI, e.g. {@code http://127.0.0.1:41234/}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** Stops accepting, finishes exchanges in flight for up to a second, and stops the worker threads. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static void bytes(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        error(exchange, 405, "use GET");
        return;
      }
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      long n;
      long seed;
      try {
        n = Long.parseLong(query.getOrDefault("n", ""));
        seed = Long.parseLong(query.getOrDefault("seed", "0"));
      } catch (NumberFormatException e) {
        error(exchange, 400, "n and seed must be integers, query was " + exchange.getRequestURI().getRawQuery());
        return;
      }
      if (n < 0 || n > MAX_BYTES) {
        error(exchange, 400, "n must be in [0, " + MAX_BYTES + "], was " + n);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, n == 0 ? -1 : n);
      byte[] buf = new byte[64 * 1024];
      try (OutputStream out = exchange.getResponseBody()) {
        for (long sent = 0; sent < n; ) {
          int len = (int) Math.min(buf.length, n - sent);
          DeterministicBytes.fill(seed, sent, buf, 0, len);
          out.write(buf, 0, len);
          sent += len;
        }
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "event=bytes_aborted cause={0}", e.toString());
      throw e;
    }
  }

  private static void upload(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        error(exchange, 405, "use POST");
        return;
      }
      MessageDigest sha = Json.sha256();
      long total = 0;
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = exchange.getRequestBody()) {
        for (int r; (r = in.read(buf)) >= 0; ) {
          sha.update(buf, 0, r);
          total += r;
        }
      }
      byte[] body = ("{\"bytes\":" + total + ",\"sha256\":\"" + Json.hex(sha.digest()) + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    byte[] body = ("{\"error\":\"" + message.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return params;
  }
}
