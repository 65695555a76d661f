package dev.presize.trainer.features;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The ordered list of feature names a model was trained on, identified by a stable schema id.
 *
 * <p>The id is {@code presize-features/<version>-<hash>}, the hash the first 8 hex digits of SHA-256 over the names
 * joined by {@code '\n'}: adding, removing, renaming or reordering a feature changes the id, so a model whose stored
 * id differs from the extractor's cannot be fed silently wrong columns.
 *
 * @param version the schema family's version, bumped when a definition changes without a name changing
 * @param names the feature names, in column order, unique and non-blank
 */
public record FeatureSchema(int version, List<String> names) {

  /** The prefix of every schema id. */
  public static final String PREFIX = "presize-features/";

  public FeatureSchema {
    if (version < 1) {
      throw new IllegalArgumentException("schema version must be >= 1, was " + version);
    }
    names = List.copyOf(names);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a feature schema needs at least one name");
    }
    var seen = new HashSet<String>();
    for (String name : names) {
      if (Objects.requireNonNull(name, "feature name").isBlank() || name.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("feature name must be non-blank and one line, was '" + name + "'");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("duplicate feature name '" + name + "'");
      }
    }
  }

  /** The stable id, e.g. {@code presize-features/1-3f2a9c1e}. */
  public String id() {
    return PREFIX + version + "-" + hash(names);
  }

  /** Number of features (columns). */
  public int size() {
    return names.size();
  }

  /** The column of {@code name}. */
  public int indexOf(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no feature '" + name + "' in schema " + id());
    }
    return i;
  }

  private static String hash(List<String> names) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha.digest(String.join("\n", names).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
