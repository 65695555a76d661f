package dev.presize.core.registry;

import dev.presize.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A version's own registry state, stored as {@code models/<name>/<version>/state.json}: its stored status,
 * submission time, rejection reason and the model's essentials. Whether it is current or retired is not
 * stored here but derived from the name's {@link Pointer}, so a promotion changes exactly one file or object.
 */
public record VersionRecord(String name, Version version, Status status, Instant submittedAt,
    Optional<String> reason, Optional<Instant> rejectedAt, ModelInfo model) {

  /** The file (or key suffix) holding a version record. */
  public static final String FILE = "state.json";
  /** The {@code format} field of a version record. */
  public static final String FORMAT = "presize-registry-version/1";

  /** The stored part of a version's state. */
  public enum Status {
    /** S3 only: the version number is reserved and its objects are being uploaded; invisible to readers. */
    PUBLISHING,
    /** Complete and verified; may be promoted. */
    CANDIDATE,
    /** Rejected with a reason; never promoted. */
    REJECTED
  }

  public VersionRecord {
    ModelNames.check(name);
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(submittedAt, "submittedAt");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(rejectedAt, "rejectedAt");
    Objects.requireNonNull(model, "model");
    if ((status == Status.REJECTED) != reason.isPresent()) {
      throw new IllegalArgumentException("a rejection reason goes with status REJECTED only, got status " + status
          + " and reason " + reason);
    }
  }

  /** A freshly published candidate. */
  public static VersionRecord candidate(String name, Version version, Instant submittedAt, ModelInfo model) {
    return new VersionRecord(name, version, Status.CANDIDATE, submittedAt, Optional.empty(), Optional.empty(), model);
  }

  public VersionRecord withStatus(Status s) {
    return new VersionRecord(name, version, s, submittedAt, reason, rejectedAt, model);
  }

  public VersionRecord rejected(String why, Instant at) {
    if (why == null || why.isBlank()) {
      throw new IllegalArgumentException("a rejection needs a reason, got '" + why + "'");
    }
    return new VersionRecord(name, version, Status.REJECTED, submittedAt, Optional.of(why.strip()), Optional.of(at),
        model);
  }

  /** This version as callers see it, given the name's pointer. */
  public ModelVersion view(Pointer pointer) {
    ModelState state;
    if (pointer.current().filter(version::equals).isPresent()) {
      state = ModelState.CURRENT;
    } else if (status == Status.REJECTED) {
      state = ModelState.REJECTED;
    } else if (pointer.promotedAt(version).isPresent()) {
      state = ModelState.RETIRED;
    } else {
      state = ModelState.CANDIDATE;
    }
    return new ModelVersion(name, version, state, submittedAt, pointer.promotedAt(version), reason, model);
  }

  public byte[] encode() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("name", name);
    m.put("version", version.toString());
    m.put("status", status.name().toLowerCase(Locale.ROOT));
    m.put("submittedAt", submittedAt.toString());
    m.put("reason", reason.orElse(null));
    m.put("rejectedAt", rejectedAt.map(Instant::toString).orElse(null));
    Map<String, Object> mm = new LinkedHashMap<>();
    mm.put("format", model.format());
    mm.put("name", model.modelName());
    mm.put("createdAt", model.createdAt().toString());
    mm.put("featureSchemaId", model.featureSchemaId());
    mm.put("targets", model.targets());
    mm.put("digest", model.digest());
    m.put("model", mm);
    return Json.write(m).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a version record; {@code where} names the file or object in errors.
   *
   * @throws RegistryException (DAMAGED) when it is not a well-formed version record
   */
  public static VersionRecord decode(byte[] bytes, String where) {
    try {
      if (!(Json.parse(new String(bytes, StandardCharsets.UTF_8)) instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("not a JSON object");
      }
      if (!FORMAT.equals(m.get("format"))) {
        throw new IllegalArgumentException("format is '" + m.get("format") + "', expected " + FORMAT);
      }
      if (!(m.get("model") instanceof Map<?, ?> mm)) {
        throw new IllegalArgumentException("missing model object");
      }
      if (!(mm.get("targets") instanceof List<?> targets)) {
        throw new IllegalArgumentException("missing model.targets");
      }
      ModelInfo model = new ModelInfo(str(mm, "format"), String.valueOf(mm.get("name")),
          Instant.parse(str(mm, "createdAt")), str(mm, "featureSchemaId"),
          targets.stream().map(String::valueOf).toList(), str(mm, "digest"));
      return new VersionRecord(str(m, "name"), Version.parse(str(m, "version")),
          Status.valueOf(str(m, "status").toUpperCase(Locale.ROOT)), Instant.parse(str(m, "submittedAt")),
          Optional.ofNullable((String) m.get("reason")),
          Optional.ofNullable((String) m.get("rejectedAt")).map(Instant::parse), model);
    } catch (IllegalArgumentException | DateTimeParseException | ClassCastException e) {
      throw new RegistryException(RegistryException.Problem.DAMAGED, "read version state", where, e.getMessage(), e);
    }
  }

  private static String str(Map<?, ?> m, String key) {
    if (!(m.get(key) instanceof String s)) {
      throw new IllegalArgumentException("missing string field '" + key + "'");
    }
    return s;
  }
}
