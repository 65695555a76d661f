package dev.presize.workloads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * A parsed workload request: the input {@code size} (in the workload's own unit), the {@code seed} of its
 * generated input and, for network workloads, the loopback {@code server}.
 *
 * <p>Public for {@link #checkSize}, which checks an input size before a run starts.
 *
 * <p>Request JSON: {@code {"size": N, "seed": S}} plus {@code "server": "http://127.0.0.1:PORT/"} for workloads
 * that need one. {@code seed} defaults to 0.
 */
public record Request(long size, long seed, Optional<URI> server) {

  /** Set while {@link #checkSize} asks a function to parse its request and go no further. */
  private static final ThreadLocal<Boolean> CHECK_ONLY = ThreadLocal.withInitial(() -> false);

  /** Ends a {@link #checkSize} invocation once its request parsed: the function's work never starts. */
  private static final class Accepted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Accepted() {
      super(null, null, false, false);
    }
  }

  public Request {
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1, was " + size);
    }
    if (server == null) {
      throw new IllegalArgumentException("server must not be null (use Optional.empty())");
    }
  }

  /**
   * Parses and validates a request for a workload accepting sizes up to {@code maxSize}.
   *
   * @throws IllegalArgumentException naming the offending field when the request is malformed
   */
  static Request parse(String json, long maxSize, boolean needsServer) {
    if (json == null || json.isBlank()) {
      throw new IllegalArgumentException("request must be a JSON object, was " + (json == null ? "null" : "blank"));
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("request is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("request must be a JSON object, was " + abbreviate(json));
    }
    JsonNode sizeNode = root.get("size");
    if (sizeNode == null || sizeNode.isNull()) {
      throw new IllegalArgumentException("size is required (a positive integer in the workload's unit)");
    }
    long size = integer("size", sizeNode);
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1, was " + size);
    }
    if (size > maxSize) {
      throw new IllegalArgumentException("size must be <= " + maxSize + ", was " + size);
    }
    JsonNode seedNode = root.get("seed");
    long seed = seedNode == null || seedNode.isNull() ? 0 : integer("seed", seedNode);
    Optional<URI> server = Optional.empty();
    JsonNode serverNode = root.get("server");
    if (serverNode != null && !serverNode.isNull()) {
      server = Optional.of(uri(serverNode));
    } else if (needsServer) {
      throw new IllegalArgumentException("server is required (the loopback server's base URI, e.g. http://127.0.0.1:8080/)");
    }
    if (CHECK_ONLY.get()) {
      throw new Accepted();
    }
    return new Request(size, seed, server);
  }

  /**
   * Checks that {@code workload} accepts an input of {@code size}, against the bounds its own function applies (every
   * function parses its request before any work, refusing a size out of its range), without running it: the
   * function is invoked with the request and stops as soon as the request has parsed.
   *
   * @throws IllegalArgumentException saying the bound the size breaks, e.g. {@code size must be <= 1024, was 5000}
   */
  public static void checkSize(Workload workload, long size) {
    Optional<URI> server = workload.needsServer() ? Optional.of(URI.create("http://127.0.0.1:1/")) : Optional.empty();
    String json = Workloads.request(workload, size, 0, server);
    CHECK_ONLY.set(true);
    try {
      workload.factory().get().invoke(json);
    } catch (Accepted accepted) {
      return;
    } catch (IllegalArgumentException refused) {
      throw refused;
    } catch (Exception e) {
      throw new IllegalStateException("workload " + workload.name() + " failed before parsing its request", e);
    } finally {
      CHECK_ONLY.remove();
    }
    throw new IllegalStateException("workload " + workload.name() + " ran without parsing its request first");
  }

  /** The size as an {@code int}, for workloads whose maximum size guarantees it fits. */
  int intSize() {
    return Math.toIntExact(size);
  }

  /** The server's base URI; only for workloads that required one when parsing. */
  URI requireServer() {
    return server.orElseThrow(() -> new IllegalArgumentException("server is required"));
  }

  private static long integer(String field, JsonNode node) {
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new IllegalArgumentException(field + " must be an integer, was " + abbreviate(node.toString()));
    }
    return node.longValue();
  }

  private static URI uri(JsonNode node) {
    if (!node.isTextual()) {
      throw new IllegalArgumentException("server must be a URI string, was " + abbreviate(node.toString()));
    }
    try {
      URI uri = new URI(node.textValue());
      if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("server must be an http://host:port/ URI, was " + node.textValue());
      }
      return uri.getPath() == null || uri.getPath().isEmpty() ? uri.resolve("/") : uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("server is not a valid URI: " + node.textValue(), e);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
