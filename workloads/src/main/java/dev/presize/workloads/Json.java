package dev.presize.workloads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The JSON and digest helpers every workload shares: one mapper, the response skeleton, hex SHA-256. */
final class Json {
  /** Thread-safe once configured; holds no configuration, so sharing it across invocations is safe. */
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** A response object that starts with the workload's name and the request's size and seed. */
  static ObjectNode response(String workload, Request request) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("workload", workload);
    node.put("size", request.size());
    node.put("seed", request.seed());
    return node;
  }

  static String write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("could not serialise a response tree", e);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static String sha256Hex(byte[] bytes) {
    return hex(sha256().digest(bytes));
  }
}
