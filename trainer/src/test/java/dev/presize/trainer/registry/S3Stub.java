package dev.presize.trainer.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * An in-process HTTP server that answers like S3 for one bucket, path-style: PutObject (with
 * {@code If-None-Match: *} and {@code If-Match}), GetObject, HeadObject, DeleteObject and ListObjectsV2 (XML,
 * prefix, delimiter, max-keys, continuation tokens), as the AWS SDK v2 sends them. Request bodies in
 * {@code aws-chunked} encoding are decoded. Not a fake of our code: the real SDK client talks to it over HTTP.
 */
final class S3Stub implements AutoCloseable {

  record StoredObject(byte[] bytes, String etag, Instant lastModified) {}

  private final String bucket;
  private final HttpServer server;
  private final ExecutorService executor;
  private final NavigableMap<String, StoredObject> objects = new ConcurrentSkipListMap<>();
  private final Map<String, Runnable> beforePut = new ConcurrentHashMap<>();

  S3Stub(String bucket) throws IOException {
    // The JDK server delays small responses by ~46 ms (Nagle + delayed ACK) unless nodelay is set before it loads.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.bucket = bucket;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "s3-stub");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The stored keys, sorted. */
  Set<String> keys() {
    return new TreeSet<>(objects.keySet());
  }

  byte[] get(String key) {
    StoredObject o = objects.get(key);
    return o == null ? null : o.bytes().clone();
  }

  /** Stores an object behind the client's back (a crashed writer's leftovers, tampering). */
  void put(String key, byte[] bytes) {
    objects.put(key, new StoredObject(bytes.clone(), etag(bytes), Instant.now()));
  }

  void delete(String key) {
    objects.remove(key);
  }

  /** Runs {@code action} once, just before the next PutObject of {@code key} is applied (to lose a race). */
  void beforeNextPut(String key, Runnable action) {
    beforePut.put(key, action);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      Map<String, String> query = query(ex.getRequestURI().getRawQuery());
      String[] parts = path.substring(1).split("/", 2);
      if (!parts[0].equals(bucket)) {
        error(ex, 404, "NoSuchBucket", "no bucket " + parts[0], parts[0]);
        return;
      }
      String key = parts.length > 1 ? parts[1] : "";
      String method = ex.getRequestMethod();
      if (key.isEmpty()) {
        if (method.equals("GET") && "2".equals(query.get("list-type"))) {
          list(ex, query);
        } else {
          error(ex, 501, "NotImplemented", method + " on the bucket with " + query, "");
        }
        return;
      }
      switch (method) {
        case "PUT" -> put(ex, key);
        case "GET", "HEAD" -> get(ex, key, method.equals("HEAD"));
        case "DELETE" -> {
          objects.remove(key);
          ex.sendResponseHeaders(204, -1);
        }
        default -> error(ex, 405, "MethodNotAllowed", method, key);
      }
    }
  }

  private void put(HttpExchange ex, String key) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    String sha = ex.getRequestHeaders().getFirst("x-amz-content-sha256");
    String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
    if ((sha != null && sha.startsWith("STREAMING-")) || (encoding != null && encoding.contains("aws-chunked"))) {
      body = decodeAwsChunked(body);
    }
    Runnable hook = beforePut.remove(key);
    if (hook != null) {
      hook.run();
    }
    String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
    String ifMatch = ex.getRequestHeaders().getFirst("If-Match");
    StoredObject stored;
    synchronized (objects) { // a conditional write is atomic against other writes
      StoredObject existing = objects.get(key);
      if ("*".equals(ifNoneMatch) && existing != null) {
        error(ex, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", key);
        return;
      }
      if (ifMatch != null) {
        if (existing == null) {
          error(ex, 404, "NoSuchKey", "The specified key does not exist.", key);
          return;
        }
        if (!ifMatch.equals(existing.etag())) {
          error(ex, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", key);
          return;
        }
      }
      stored = new StoredObject(body, etag(body), Instant.now());
      objects.put(key, stored);
    }
    ex.getResponseHeaders().add("ETag", stored.etag());
    ex.sendResponseHeaders(200, -1);
  }

  private void get(HttpExchange ex, String key, boolean head) throws IOException {
    StoredObject o = objects.get(key);
    if (o == null) {
      if (head) {
        ex.sendResponseHeaders(404, -1);
      } else {
        error(ex, 404, "NoSuchKey", "The specified key does not exist.", key);
      }
      return;
    }
    ex.getResponseHeaders().add("ETag", o.etag());
    ex.getResponseHeaders().add("Last-Modified",
        DateTimeFormatter.RFC_1123_DATE_TIME.format(o.lastModified().atOffset(ZoneOffset.UTC)));
    ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
    if (head) {
      ex.getResponseHeaders().add("Content-Length", Integer.toString(o.bytes().length));
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ex.sendResponseHeaders(200, o.bytes().length == 0 ? -1 : o.bytes().length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(o.bytes());
    }
  }

  private void list(HttpExchange ex, Map<String, String> q) throws IOException {
    String prefix = q.getOrDefault("prefix", "");
    String delimiter = q.get("delimiter");
    int maxKeys = Integer.parseInt(q.getOrDefault("max-keys", "1000"));
    String token = q.get("continuation-token");
    boolean urlEncode = "url".equals(q.get("encoding-type"));
    List<String> contents = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    boolean truncated = false;
    String last = null;
    for (String key : objects.tailMap(prefix, true).keySet()) {
      if (!key.startsWith(prefix)) {
        break;
      }
      if (token != null && (key.compareTo(token) <= 0 || key.startsWith(token) && token.endsWith(delimOr(delimiter)))) {
        continue;
      }
      String item = key;
      boolean isPrefix = false;
      if (delimiter != null) {
        int i = key.indexOf(delimiter, prefix.length());
        if (i >= 0) {
          item = key.substring(0, i + delimiter.length());
          isPrefix = true;
          if (!prefixes.isEmpty() && prefixes.get(prefixes.size() - 1).equals(item)) {
            continue;
          }
        }
      }
      if (contents.size() + prefixes.size() == maxKeys) {
        truncated = true;
        break;
      }
      (isPrefix ? prefixes : contents).add(item);
      last = item;
    }
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    xml.append("<Name>").append(bucket).append("</Name>");
    xml.append("<Prefix>").append(enc(prefix, urlEncode)).append("</Prefix>");
    if (delimiter != null) {
      xml.append("<Delimiter>").append(enc(delimiter, urlEncode)).append("</Delimiter>");
    }
    if (urlEncode) {
      xml.append("<EncodingType>url</EncodingType>");
    }
    xml.append("<KeyCount>").append(contents.size() + prefixes.size()).append("</KeyCount>");
    xml.append("<MaxKeys>").append(maxKeys).append("</MaxKeys>");
    xml.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
    if (token != null) {
      xml.append("<ContinuationToken>").append(esc(token)).append("</ContinuationToken>");
    }
    if (truncated) {
      xml.append("<NextContinuationToken>").append(esc(last)).append("</NextContinuationToken>");
    }
    for (String key : contents) {
      StoredObject o = objects.get(key);
      if (o == null) {
        continue; // deleted while listing
      }
      xml.append("<Contents><Key>").append(enc(key, urlEncode)).append("</Key><LastModified>")
          .append(DateTimeFormatter.ISO_INSTANT.format(o.lastModified())).append("</LastModified><ETag>")
          .append(esc(o.etag())).append("</ETag><Size>").append(o.bytes().length)
          .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
    }
    for (String p : prefixes) {
      xml.append("<CommonPrefixes><Prefix>").append(enc(p, urlEncode)).append("</Prefix></CommonPrefixes>");
    }
    xml.append("</ListBucketResult>");
    send(ex, 200, xml.toString());
  }

  private static String delimOr(String d) {
    return d == null ? "\u0000" : d;
  }

  private static void error(HttpExchange ex, int status, String code, String message, String resource)
      throws IOException {
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    send(ex, status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
        + esc(message) + "</Message><Resource>" + esc(resource) + "</Resource><RequestId>stub</RequestId></Error>");
  }

  private static void send(HttpExchange ex, int status, String xml) throws IOException {
    byte[] b = xml.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/xml");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  private static String enc(String s, boolean url) {
    return url ? URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20") : esc(s);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> m = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String kv : raw.split("&")) {
      int i = kv.indexOf('=');
      String k = URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
      String v = i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
      m.put(k, v);
    }
    return m;
  }

  /** {@code hex-size[;chunk-signature=...]\r\n data \r\n ... 0[;...]\r\n [trailers]\r\n}. */
  static byte[] decodeAwsChunked(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    while (pos < body.length) {
      int eol = indexOfCrlf(body, pos);
      if (eol < 0) {
        throw new IllegalArgumentException("aws-chunked: no CRLF after a chunk header at " + pos);
      }
      String header = new String(body, pos, eol - pos, StandardCharsets.US_ASCII);
      int semi = header.indexOf(';');
      int size = Integer.parseInt(semi < 0 ? header.strip() : header.substring(0, semi).strip(), 16);
      pos = eol + 2;
      if (size == 0) {
        break; // trailers (checksums) follow; the stub does not check them
      }
      out.write(body, pos, size);
      pos += size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOfCrlf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static String etag(byte[] bytes) {
    try {
      return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)) + "\"";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }
}
