package dev.presize.core.checkpoint;

import dev.presize.spi.checkpoint.CheckpointManifest;
import dev.presize.spi.checkpoint.CheckpointTrigger;
import dev.presize.spi.resources.ResourceProfile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text form of a manifest: {@code key=value} lines (values percent-escaped), in a fixed order, ended by a
 * {@code manifest.sha256=} line over every byte before it, so a damaged manifest is detected like damaged state.
 */
final class ManifestCodec {

  static final String FORMAT = "presize-checkpoint/1";
  private static final String CHECKSUM_KEY = "manifest.sha256";
  private static final String ATTRIBUTE_PREFIX = "attribute.";

  private ManifestCodec() {
  }

  static byte[] encode(CheckpointManifest m) {
    StringBuilder b = new StringBuilder();
    line(b, "format", FORMAT);
    line(b, "function", m.functionId());
    line(b, "invocation", m.invocationId());
    line(b, "sequence", Long.toString(m.sequence()));
    line(b, "taken-at", m.takenAt().toString());
    line(b, "trigger", m.trigger().name());
    line(b, "profile.cpu-millicores", Long.toString(m.profile().cpuMillicores()));
    line(b, "profile.memory-bytes", Long.toString(m.profile().memoryBytes()));
    line(b, "profile.network-mbps", Long.toString(m.profile().networkMbps()));
    line(b, "state.bytes", Long.toString(m.stateBytes()));
    line(b, "state.sha256", m.stateSha256());
    line(b, "metrics-from", m.metricsFrom().toString());
    new TreeMap<>(m.attributes()).forEach((k, v) -> line(b, ATTRIBUTE_PREFIX + escape(k).replace("=", "%3D"), v));
    byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
    String sum = CHECKSUM_KEY + "=" + sha256Hex(body) + "\n";
    byte[] out = new byte[body.length + sum.length()];
    System.arraycopy(body, 0, out, 0, body.length);
    System.arraycopy(sum.getBytes(StandardCharsets.US_ASCII), 0, out, body.length, sum.length());
    return out;
  }

  /**
   * Parses and verifies a manifest.
   *
   * @throws IllegalArgumentException saying what is wrong (checksum, missing key, bad value)
   */
  static CheckpointManifest decode(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    int last = text.lastIndexOf(CHECKSUM_KEY + "=");
    if (last < 0 || (last > 0 && text.charAt(last - 1) != '\n')) {
      throw new IllegalArgumentException("manifest has no " + CHECKSUM_KEY + " line (truncated?)");
    }
    String expected = text.substring(last + CHECKSUM_KEY.length() + 1).strip();
    byte[] body = text.substring(0, last).getBytes(StandardCharsets.UTF_8);
    String actual = sha256Hex(body);
    if (!actual.equals(expected)) {
      throw new IllegalArgumentException("manifest checksum mismatch: recorded " + expected + ", computed " + actual);
    }
    Map<String, String> kv = new HashMap<>();
    Map<String, String> attributes = new HashMap<>();
    for (String l : text.substring(0, last).split("\n")) {
      if (l.isEmpty()) {
        continue;
      }
      int eq = l.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("malformed manifest line '" + l + "'");
      }
      String k = l.substring(0, eq);
      String v = unescape(l.substring(eq + 1));
      if (k.startsWith(ATTRIBUTE_PREFIX)) {
        attributes.put(unescape(k.substring(ATTRIBUTE_PREFIX.length()).replace("%3D", "=")), v);
      } else {
        kv.put(k, v);
      }
    }
    if (!FORMAT.equals(kv.get("format"))) {
      throw new IllegalArgumentException("manifest format is '" + kv.get("format") + "', this build reads " + FORMAT);
    }
    return new CheckpointManifest(get(kv, "function"), get(kv, "invocation"), Long.parseLong(get(kv, "sequence")),
        Instant.parse(get(kv, "taken-at")), CheckpointTrigger.valueOf(get(kv, "trigger")),
        new ResourceProfile(Long.parseLong(get(kv, "profile.cpu-millicores")),
            Long.parseLong(get(kv, "profile.memory-bytes")), Long.parseLong(get(kv, "profile.network-mbps"))),
        Long.parseLong(get(kv, "state.bytes")), get(kv, "state.sha256"), Instant.parse(get(kv, "metrics-from")),
        attributes);
  }

  static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String get(Map<String, String> kv, String key) {
    String v = kv.get(key);
    if (v == null) {
      throw new IllegalArgumentException("manifest has no '" + key + "'");
    }
    return v;
  }

  private static void line(StringBuilder b, String key, String value) {
    b.append(key).append('=').append(escape(value)).append('\n');
  }

  private static String escape(String v) {
    return v.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D");
  }

  private static String unescape(String v) {
    return v.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%");
  }
}
