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
 * <p>Request JSON: {@code {"size": N, "seed": S}} plus {@code "server": "http://127.0.0.1:PORT/"} for workloads
 * that need one. {@code seed} defaults to 0.
 */
record Request(long size, long seed, Optional<URI> server) {

  Request {
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
    return new Request(size, seed, server);
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
