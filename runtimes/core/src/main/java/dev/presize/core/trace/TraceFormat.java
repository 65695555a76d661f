package dev.presize.core.trace;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The constants and codecs of the trace byte layout specified in {@code docs/trace-format.md}.
 *
 * <p>Fixed-width integers are big-endian. Varints are unsigned LEB128 (7 bits a byte, low first, at most 10
 * bytes for 64 bits); signed values are zigzag-mapped first.
 */
final class TraceFormat {

  /** The first 8 bytes of every trace: {@code 0x89 'P' 'R' 'S' 'Z' 'T' '\r' '\n'}. */
  static final byte[] MAGIC = {(byte) 0x89, 'P', 'R', 'S', 'Z', 'T', '\r', '\n'};

  /** Magic, u16 major, u16 minor, u32 header length. */
  static final int PREAMBLE_BYTES = MAGIC.length + 2 + 2 + 4;

  /** A chunk frame: u8 type, u32 payload length, u32 CRC32. */
  static final int FRAME_BYTES = 1 + 4 + 4;

  /** A samples chunk payload starts with u32 sample count and u32 raw (inflated) length. */
  static final int SAMPLES_PREFIX_BYTES = 4 + 4;

  /** Chunk of samples: {@code 'S'}. */
  static final byte CHUNK_SAMPLES = 'S';
  /** Reserved for events (resizes, checkpoints); not written by format 1.0, skipped by its readers. */
  static final byte CHUNK_EVENTS = 'V';
  /** The end chunk: total sample count and footer. */
  static final byte CHUNK_END = 'E';

  static final int MAX_HEADER_BYTES = 16 << 20;
  static final int MAX_PAYLOAD_BYTES = 64 << 20;
  static final int MAX_COLUMNS = 4096;
  static final int MAX_SAMPLES_PER_CHUNK = 65_536;

  static final String KEY_FUNCTION_ID = "function.id";
  static final String KEY_COMMAND_ARG = "command.arg";
  static final String KEY_INPUT_SIZE_BYTES = "input.size.bytes";
  static final String PREFIX_LIMIT = "limit.";
  static final String KEY_HOST_NAME = "host.name";
  static final String KEY_SAMPLING_INTERVAL_NANOS = "sampling.interval.nanos";
  static final String KEY_START_TIME = "start.time";
  static final String KEY_SCHEMA_ID = "schema.id";
  static final String KEY_COLUMN = "column";
  static final String PREFIX_ATTRIBUTE = "attr.";

  private TraceFormat() {}

  /** A payload or header that passed its CRC (or has none) but does not decode. */
  static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message);
    }

    MalformedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  // --- varints ------------------------------------------------------------------------------------------

  static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  /** Writes {@code v} as an unsigned varint at {@code pos}; returns the position after it. */
  static int putVarint(byte[] out, int pos, long v) {
    while ((v & ~0x7FL) != 0) {
      out[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[pos++] = (byte) v;
    return pos;
  }

  static void putInt(byte[] out, int pos, int v) {
    out[pos] = (byte) (v >>> 24);
    out[pos + 1] = (byte) (v >>> 16);
    out[pos + 2] = (byte) (v >>> 8);
    out[pos + 3] = (byte) v;
  }

  static int getInt(byte[] in, int pos) {
    return ((in[pos] & 0xFF) << 24) | ((in[pos + 1] & 0xFF) << 16) | ((in[pos + 2] & 0xFF) << 8)
        | (in[pos + 3] & 0xFF);
  }

  /** A cursor reading varints from a byte range, failing with a {@link MalformedException}. */
  static final class VarintCursor {
    private byte[] in;
    private int pos;
    private int end;

    VarintCursor reset(byte[] bytes, int from, int to) {
      this.in = bytes;
      this.pos = from;
      this.end = to;
      return this;
    }

    int position() {
      return pos;
    }

    boolean atEnd() {
      return pos >= end;
    }

    long next() throws MalformedException {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new MalformedException("varint runs past the end of its block at byte " + pos);
        }
        byte b = in[pos++];
        if (shift == 63 && (b & 0xFE) != 0) {
          throw new MalformedException("varint overflows 64 bits at byte " + (pos - 1));
        }
        result |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return result;
        }
      }
      throw new MalformedException("varint longer than 10 bytes at byte " + pos);
    }

    int nextLength() throws MalformedException {
      long n = next();
      if (n > end - pos) {
        throw new MalformedException("length " + n + " at byte " + pos + " exceeds the " + (end - pos)
            + " bytes left in its block");
      }
      return (int) n;
    }

    String nextString() throws MalformedException {
      int n = nextLength();
      String s = decodeUtf8(in, pos, n);
      pos += n;
      return s;
    }
  }

  // --- entry lists --------------------------------------------------------------------------------------

  /** Encodes ordered key/value pairs, each string as varint length + strict UTF-8 bytes. */
  static byte[] encodeEntries(List<Map.Entry<String, String>> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    byte[] len = new byte[10];
    for (Map.Entry<String, String> e : entries) {
      for (String s : new String[] {e.getKey(), e.getValue()}) {
        byte[] b = encodeUtf8(s);
        out.write(len, 0, putVarint(len, 0, b.length));
        out.write(b, 0, b.length);
      }
    }
    return out.toByteArray();
  }

  static List<Map.Entry<String, String>> decodeEntries(byte[] in, int from, int to) throws MalformedException {
    VarintCursor c = new VarintCursor().reset(in, from, to);
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    while (!c.atEnd()) {
      String key = c.nextString();
      String value = c.nextString();
      entries.add(new SimpleImmutableEntry<>(key, value));
    }
    return entries;
  }

  static List<Map.Entry<String, String>> entriesOf(Map<String, String> map) {
    List<Map.Entry<String, String>> entries = new ArrayList<>(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      entries.add(new SimpleImmutableEntry<>(e.getKey(), e.getValue()));
    }
    return entries;
  }

  static Map<String, String> mapOf(List<Map.Entry<String, String>> entries) throws MalformedException {
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : entries) {
      if (map.put(e.getKey(), e.getValue()) != null) {
        throw new MalformedException("key '" + e.getKey() + "' appears twice");
      }
    }
    return map;
  }

  static byte[] encodeUtf8(String s) {
    try {
      ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(s));
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("'" + s + "' is not valid Unicode (an unpaired surrogate?)", e);
    }
  }

  static String decodeUtf8(byte[] in, int from, int length) throws MalformedException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(in, from, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedException("a string at byte " + from + " is not valid UTF-8", e);
    }
  }

  // --- header -------------------------------------------------------------------------------------------

  static byte[] encodeHeader(TraceHeader h) {
    List<Map.Entry<String, String>> e = new ArrayList<>();
    e.add(new SimpleImmutableEntry<>(KEY_FUNCTION_ID, h.functionId()));
    for (String arg : h.command()) {
      e.add(new SimpleImmutableEntry<>(KEY_COMMAND_ARG, arg));
    }
    if (h.inputSizeBytes().isPresent()) {
      e.add(new SimpleImmutableEntry<>(KEY_INPUT_SIZE_BYTES, Long.toString(h.inputSizeBytes().getAsLong())));
    }
    for (Map.Entry<String, String> limit : h.limits().entrySet()) {
      e.add(new SimpleImmutableEntry<>(PREFIX_LIMIT + limit.getKey(), limit.getValue()));
    }
    e.add(new SimpleImmutableEntry<>(KEY_HOST_NAME, h.hostName()));
    e.add(new SimpleImmutableEntry<>(KEY_SAMPLING_INTERVAL_NANOS, Long.toString(h.samplingInterval().toNanos())));
    e.add(new SimpleImmutableEntry<>(KEY_START_TIME, h.startTime().toString()));
    e.add(new SimpleImmutableEntry<>(KEY_SCHEMA_ID, h.schemaId()));
    for (String column : h.columns()) {
      e.add(new SimpleImmutableEntry<>(KEY_COLUMN, column));
    }
    for (Map.Entry<String, String> attr : h.attributes().entrySet()) {
      e.add(new SimpleImmutableEntry<>(PREFIX_ATTRIBUTE + attr.getKey(), attr.getValue()));
    }
    return encodeEntries(e);
  }

  /** Decodes a header block; unknown keys are ignored (they come from a newer minor version). */
  static TraceHeader decodeHeader(TraceFormatVersion version, byte[] in, int from, int to)
      throws MalformedException {
    String functionId = null;
    String hostName = null;
    String interval = null;
    String start = null;
    String schemaId = null;
    String inputSize = null;
    List<String> command = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    Map<String, String> limits = new LinkedHashMap<>();
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : decodeEntries(in, from, to)) {
      String k = e.getKey();
      String v = e.getValue();
      switch (k) {
        case KEY_FUNCTION_ID -> functionId = single(k, functionId, v);
        case KEY_HOST_NAME -> hostName = single(k, hostName, v);
        case KEY_SAMPLING_INTERVAL_NANOS -> interval = single(k, interval, v);
        case KEY_START_TIME -> start = single(k, start, v);
        case KEY_SCHEMA_ID -> schemaId = single(k, schemaId, v);
        case KEY_INPUT_SIZE_BYTES -> inputSize = single(k, inputSize, v);
        case KEY_COMMAND_ARG -> command.add(v);
        case KEY_COLUMN -> columns.add(v);
        default -> {
          if (k.startsWith(PREFIX_LIMIT)) {
            putOnce(limits, k, k.substring(PREFIX_LIMIT.length()), v);
          } else if (k.startsWith(PREFIX_ATTRIBUTE)) {
            putOnce(attributes, k, k.substring(PREFIX_ATTRIBUTE.length()), v);
          }
          // Any other key was added by a newer minor version: ignoring it is the versioning rule.
        }
      }
    }
    try {
      return new TraceHeader(version, required(KEY_FUNCTION_ID, functionId), command,
          inputSize == null ? OptionalLong.empty() : OptionalLong.of(parseLong(KEY_INPUT_SIZE_BYTES, inputSize)),
          limits, required(KEY_HOST_NAME, hostName),
          Duration.ofNanos(parseLong(KEY_SAMPLING_INTERVAL_NANOS, required(KEY_SAMPLING_INTERVAL_NANOS, interval))),
          parseInstant(required(KEY_START_TIME, start)), required(KEY_SCHEMA_ID, schemaId), columns, attributes);
    } catch (IllegalArgumentException e) {
      throw new MalformedException("invalid header: " + e.getMessage(), e);
    }
  }

  private static String single(String key, String previous, String value) throws MalformedException {
    if (previous != null) {
      throw new MalformedException("header key '" + key + "' appears twice ('" + previous + "', '" + value + "')");
    }
    return value;
  }

  private static void putOnce(Map<String, String> map, String key, String name, String value)
      throws MalformedException {
    if (map.put(name, value) != null) {
      throw new MalformedException("header key '" + key + "' appears twice");
    }
  }

  private static String required(String key, String value) throws MalformedException {
    if (value == null) {
      throw new MalformedException("header key '" + key + "' is missing");
    }
    return value;
  }

  private static long parseLong(String key, String value) throws MalformedException {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new MalformedException("header key '" + key + "' is not an integer: '" + value + "'", e);
    }
  }

  private static Instant parseInstant(String value) throws MalformedException {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new MalformedException("header key '" + KEY_START_TIME + "' is not an ISO-8601 instant: '" + value
          + "'", e);
    }
  }
}
