package dev.presize.core.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The {@code SHA256SUMS} file of a model directory: reading, writing and verifying it (sha256sum format,
 * {@code <64 hex>  <file name>} per line, sorted by name, one line for every other file).
 */
public final class ModelChecksums {

  /** The checksum file's name. */
  public static final String FILE = "SHA256SUMS";

  private ModelChecksums() {}

  /** The hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  /** The hex SHA-256 of a file's content, streamed. */
  public static String sha256(Path file) throws IOException {
    MessageDigest md = digest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * Parses a {@code SHA256SUMS} text into file name to hex digest (sorted by name); {@code where} names it in
   * errors. Accepts the binary marker ({@code <hex> *name}) too. Names must be plain file names.
   *
   * @throws IllegalArgumentException on a malformed line, a path in a name, or a duplicate
   */
  public static Map<String, String> parse(String text, String where) {
    Map<String, String> sums = new TreeMap<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      if (line.length() < 67 || line.charAt(64) != ' ' || (line.charAt(65) != ' ' && line.charAt(65) != '*')
          || !line.substring(0, 64).matches("[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException(where + " line " + lineNo + ": expected '<64 hex>  <file name>', got '"
            + line + "'");
      }
      String name = line.substring(66);
      if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..") || name.equals(FILE)) {
        throw new IllegalArgumentException(where + " line " + lineNo + ": bad file name '" + name + "'");
      }
      if (sums.put(name, line.substring(0, 64).toLowerCase(java.util.Locale.ROOT)) != null) {
        throw new IllegalArgumentException(where + " line " + lineNo + ": '" + name + "' listed twice");
      }
    }
    return sums;
  }

  /** The {@code SHA256SUMS} text for these digests (sorted by name). */
  public static String format(Map<String, String> sums) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(sums).forEach((name, hex) -> sb.append(hex).append("  ").append(name).append('\n'));
    return sb.toString();
  }

  /**
   * Writes {@code SHA256SUMS} for every other regular file of {@code dir} (for the trainer and tests), through
   * a temporary file, fsync and rename. Returns the digests.
   */
  public static Map<String, String> write(Path dir) throws IOException {
    Map<String, String> sums = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        String name = p.getFileName().toString();
        if (!name.equals(FILE) && Files.isRegularFile(p)) {
          sums.put(name, sha256(p));
        }
      }
    }
    AtomicFiles.writeAtomically(dir.resolve(FILE), format(sums).getBytes(StandardCharsets.UTF_8), dir);
    return sums;
  }

  /**
   * Checks a model directory against its {@code SHA256SUMS}: the file exists and parses, every listed file
   * exists with that digest, {@code metadata.json} is listed, and no other file is there except those named in
   * {@code allowedExtra} (a registry's own state). Returns the digest of {@code SHA256SUMS} itself,
   * {@code sha256:<hex>}, which pins the whole model.
   *
   * @throws RegistryException (DAMAGED) naming the directory and the first file that does not match
   */
  public static String verify(Path dir, Set<String> allowedExtra) {
    String where = dir.toString();
    Path sumsFile = dir.resolve(FILE);
    try {
      if (!Files.isRegularFile(sumsFile)) {
        throw damaged(where, "no " + FILE + ": a partial copy or not a model directory");
      }
      byte[] sumsBytes = Files.readAllBytes(sumsFile);
      Map<String, String> sums;
      try {
        sums = parse(new String(sumsBytes, StandardCharsets.UTF_8), FILE);
      } catch (IllegalArgumentException e) {
        throw damaged(where, e.getMessage());
      }
      if (!sums.containsKey("metadata.json")) {
        throw damaged(where, FILE + " does not list metadata.json");
      }
      for (Map.Entry<String, String> e : sums.entrySet()) {
        Path f = dir.resolve(e.getKey());
        if (!Files.isRegularFile(f)) {
          throw damaged(where, e.getKey() + " is listed in " + FILE + " but missing");
        }
        String actual = sha256(f);
        if (!actual.equals(e.getValue())) {
          throw damaged(where, e.getKey() + " has sha256 " + actual + " but " + FILE + " says " + e.getValue());
        }
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.toList()) {
          String name = p.getFileName().toString();
          if (!name.equals(FILE) && !sums.containsKey(name) && !allowedExtra.contains(name)) {
            throw damaged(where, "'" + name + "' is not listed in " + FILE);
          }
        }
      }
      return "sha256:" + sha256(sumsBytes);
    } catch (IOException e) {
      throw new RegistryException(RegistryException.Problem.IO, "verify model", where, e.toString(), e);
    } catch (UncheckedIOException e) {
      throw new RegistryException(RegistryException.Problem.IO, "verify model", where, e.getCause().toString(), e);
    }
  }

  private static RegistryException damaged(String where, String message) {
    return new RegistryException(RegistryException.Problem.DAMAGED, "verify model", where, message);
  }
}
