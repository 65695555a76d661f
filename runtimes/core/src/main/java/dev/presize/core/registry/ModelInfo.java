package dev.presize.core.registry;

import dev.presize.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The essentials of a model's {@code metadata.json} ({@code presize-model/1}, see docs/model-format.md) that the
 * registry shows and checks, plus the digest of its {@code SHA256SUMS} (which pins every file's content).
 */
public record ModelInfo(String format, String modelName, Instant createdAt, String featureSchemaId,
    List<String> targets, String digest) {

  /** The one model directory format the registry accepts. */
  public static final String FORMAT = "presize-model/1";

  public ModelInfo {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(featureSchemaId, "featureSchemaId");
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("a model has at least one target");
    }
    if (!digest.matches("sha256:[0-9a-f]{64}")) {
      throw new IllegalArgumentException("bad model digest '" + digest + "': expected sha256:<64 hex>");
    }
  }

  /**
   * Reads the essentials from a {@code metadata.json}'s bytes; {@code where} names the file in errors.
   *
   * @throws RegistryException (DAMAGED) when the JSON is malformed, not {@code presize-model/1}, or lacks
   *     {@code createdAt}, {@code featureSchema.id} or {@code targets}
   */
  public static ModelInfo parse(byte[] metadataJson, String digest, String where) {
    try {
      Object root = Json.parse(new String(metadataJson, StandardCharsets.UTF_8));
      if (!(root instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("not a JSON object");
      }
      String format = string(m, "format");
      if (!FORMAT.equals(format)) {
        throw new IllegalArgumentException("format is '" + format + "', expected " + FORMAT);
      }
      Object schema = m.get("featureSchema");
      if (!(schema instanceof Map<?, ?> s)) {
        throw new IllegalArgumentException("missing featureSchema object");
      }
      Object targets = m.get("targets");
      if (!(targets instanceof Map<?, ?> t) || t.isEmpty()) {
        throw new IllegalArgumentException("missing or empty targets object");
      }
      Object name = m.get("name");
      return new ModelInfo(format, name instanceof String n ? n : "", Instant.parse(string(m, "createdAt")),
          string(s, "id"), t.keySet().stream().map(String::valueOf).toList(), digest);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new RegistryException(RegistryException.Problem.DAMAGED, "read model metadata", where, e.getMessage(), e);
    }
  }

  private static String string(Map<?, ?> m, String key) {
    if (!(m.get(key) instanceof String s) || s.isEmpty()) {
      throw new IllegalArgumentException("missing string field '" + key + "'");
    }
    return s;
  }
}
