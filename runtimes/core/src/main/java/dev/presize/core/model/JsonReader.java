package dev.presize.core.model;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small pull parser for one JSON document held in memory: the caller walks objects and arrays and reads
 * numeric arrays straight into primitive arrays, so a model file of many megabytes never becomes a tree of boxed
 * objects. Numbers are parsed from their text by the JDK ({@link Float#parseFloat}, {@link Double#parseDouble}),
 * so a float written as its shortest decimal form reads back bit for bit. Besides RFC 8259 it accepts the
 * non-standard number tokens {@code NaN}, {@code Infinity} and {@code -Infinity} that XGBoost writes for
 * non-finite floats. Any syntax error, including truncation, is a {@link ModelFormatException} naming the file
 * and the byte offset.
 */
final class JsonReader {

  private static final int MAX_DEPTH = 64;

  private final Path file;
  private final byte[] in;
  private int pos;
  private int depth;
  /** Per open container: whether no element has been read yet (so no comma is expected). */
  private final boolean[] first = new boolean[MAX_DEPTH];

  JsonReader(Path file, byte[] json) {
    this.file = file;
    this.in = json;
  }

  // ---- structure ----

  void beginObject() throws ModelFormatException {
    expect('{', "an object");
    push();
  }

  /**
   * The next field name of the current object, with its colon consumed, or {@code null} at the object's end
   * (the closing brace consumed).
   */
  String nextName() throws ModelFormatException {
    int c = peekNonSpace();
    if (c == '}') {
      pos++;
      depth--;
      return null;
    }
    if (!first[depth - 1]) {
      expect(',', "',' or '}'");
      peekNonSpace();
    }
    first[depth - 1] = false;
    String name = readString();
    expect(':', "':'");
    return name;
  }

  void beginArray() throws ModelFormatException {
    expect('[', "an array");
    push();
  }

  /** Whether the current array has another element (its comma consumed); at the end consumes the bracket. */
  boolean hasNext() throws ModelFormatException {
    int c = peekNonSpace();
    if (c == ']') {
      pos++;
      depth--;
      return false;
    }
    if (!first[depth - 1]) {
      expect(',', "',' or ']'");
    }
    first[depth - 1] = false;
    return true;
  }

  /** Checks that only whitespace follows the document. */
  void endDocument() throws ModelFormatException {
    skipSpace();
    if (pos != in.length) {
      throw error("unexpected content after the end of the JSON document");
    }
  }

  // ---- scalars ----

  String readString() throws ModelFormatException {
    expect('"', "a string");
    int start = pos;
    StringBuilder escaped = null;
    int runStart = start;
    while (true) {
      if (pos >= in.length) {
        throw truncated("inside a string that starts at byte " + (start - 1));
      }
      byte b = in[pos];
      if (b == '"') {
        String tail = new String(in, runStart, pos - runStart, StandardCharsets.UTF_8);
        pos++;
        return escaped == null ? tail : escaped.append(tail).toString();
      }
      if (b == '\\') {
        if (escaped == null) {
          escaped = new StringBuilder();
        }
        escaped.append(new String(in, runStart, pos - runStart, StandardCharsets.UTF_8));
        pos++;
        if (pos >= in.length) {
          throw truncated("inside a string escape");
        }
        byte e = in[pos++];
        switch (e) {
          case '"' -> escaped.append('"');
          case '\\' -> escaped.append('\\');
          case '/' -> escaped.append('/');
          case 'b' -> escaped.append('\b');
          case 'f' -> escaped.append('\f');
          case 'n' -> escaped.append('\n');
          case 'r' -> escaped.append('\r');
          case 't' -> escaped.append('\t');
          case 'u' -> {
            if (pos + 4 > in.length) {
              throw truncated("inside a \\u escape");
            }
            int cp = 0;
            for (int i = 0; i < 4; i++) {
              int d = Character.digit(in[pos + i], 16);
              if (d < 0) {
                throw error("invalid \\u escape");
              }
              cp = cp * 16 + d;
            }
            pos += 4;
            escaped.append((char) cp);
          }
          default -> throw error("invalid escape '\\" + (char) e + "' in a string");
        }
        runStart = pos;
        continue;
      }
      if ((b & 0xff) < 0x20) {
        throw error("control character 0x" + Integer.toHexString(b & 0xff) + " inside a string");
      }
      pos++;
    }
  }

  float readFloat() throws ModelFormatException {
    int start = pos;
    String text = numberText();
    try {
      return Float.parseFloat(text);
    } catch (NumberFormatException e) {
      throw error(start, "not a number: '" + text + "'");
    }
  }

  double readDouble() throws ModelFormatException {
    int start = pos;
    String text = numberText();
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw error(start, "not a number: '" + text + "'");
    }
  }

  int readInt() throws ModelFormatException {
    int start = pos;
    String text = numberText();
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw error(start, "not an integer: '" + text + "'");
    }
  }

  /** A JSON boolean, or the integers 0 and 1 (XGBoost writes flags as integers). */
  boolean readFlag() throws ModelFormatException {
    int c = peekNonSpace();
    if (c == 't' || c == 'f') {
      return (Boolean) readValue();
    }
    int start = pos;
    int v = readInt();
    if (v != 0 && v != 1) {
      throw error(start, "expected a flag (0 or 1), found " + v);
    }
    return v == 1;
  }

  int[] readIntArray() throws ModelFormatException {
    int[] out = new int[16];
    int n = 0;
    beginArray();
    while (hasNext()) {
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] = readInt();
    }
    return Arrays.copyOf(out, n);
  }

  boolean[] readFlagArray() throws ModelFormatException {
    boolean[] out = new boolean[16];
    int n = 0;
    beginArray();
    while (hasNext()) {
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] = readFlag();
    }
    return Arrays.copyOf(out, n);
  }

  float[] readFloatArray() throws ModelFormatException {
    float[] out = new float[16];
    int n = 0;
    beginArray();
    while (hasNext()) {
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] = readFloat();
    }
    return Arrays.copyOf(out, n);
  }

  /** Skips one value of any kind, checking its syntax. */
  void skipValue() throws ModelFormatException {
    int c = peekNonSpace();
    switch (c) {
      case '{' -> {
        beginObject();
        while (nextName() != null) {
          skipValue();
        }
      }
      case '[' -> {
        beginArray();
        while (hasNext()) {
          skipValue();
        }
      }
      case '"' -> readString();
      default -> readValue();
    }
  }

  /**
   * One value as plain Java objects: {@code Map<String, Object>} (in file order), {@code List<Object>},
   * {@code String}, {@code Double}, {@code Boolean} or {@code null}. For small documents only.
   */
  Object readValue() throws ModelFormatException {
    int c = peekNonSpace();
    switch (c) {
      case '{' -> {
        Map<String, Object> map = new LinkedHashMap<>();
        beginObject();
        String name;
        while ((name = nextName()) != null) {
          if (map.containsKey(name)) {
            throw error("duplicate field \"" + name + "\"");
          }
          map.put(name, readValue());
        }
        return map;
      }
      case '[' -> {
        List<Object> list = new ArrayList<>();
        beginArray();
        while (hasNext()) {
          list.add(readValue());
        }
        return list;
      }
      case '"' -> {
        return readString();
      }
      case 't' -> {
        literal("true");
        return Boolean.TRUE;
      }
      case 'f' -> {
        literal("false");
        return Boolean.FALSE;
      }
      case 'n' -> {
        literal("null");
        return null;
      }
      default -> {
        return readDouble();
      }
    }
  }

  // ---- internals ----

  private void push() throws ModelFormatException {
    if (depth == MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
    first[depth++] = true;
  }

  private String numberText() throws ModelFormatException {
    int c = peekNonSpace();
    if (c < 0) {
      throw truncated("where a number was expected");
    }
    int start = pos;
    while (pos < in.length) {
      byte b = in[pos];
      if ((b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E'
          || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) {
        pos++;
      } else {
        break;
      }
    }
    if (pos == start) {
      throw error("expected a value, found '" + (char) c + "'");
    }
    if (pos == in.length && depth > 0) {
      throw truncated("after a number");
    }
    return new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
  }

  private void literal(String word) throws ModelFormatException {
    int start = pos;
    for (int i = 0; i < word.length(); i++) {
      if (pos >= in.length) {
        throw truncated("inside '" + word + "'");
      }
      if (in[pos++] != word.charAt(i)) {
        throw error(start, "invalid literal, expected '" + word + "'");
      }
    }
  }

  private void expect(char c, String what) throws ModelFormatException {
    int b = peekNonSpace();
    if (b < 0) {
      throw truncated("where " + what + " was expected");
    }
    if (b != c) {
      throw error("expected " + what + ", found '" + (char) b + "'");
    }
    pos++;
  }

  private int peekNonSpace() {
    skipSpace();
    return pos < in.length ? in[pos] & 0xff : -1;
  }

  private void skipSpace() {
    while (pos < in.length) {
      byte b = in[pos];
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        pos++;
      } else {
        return;
      }
    }
  }

  private ModelFormatException truncated(String where) {
    return new ModelFormatException(file, "invalid JSON: unexpected end of the file at byte " + pos + " "
        + where + " (truncated?)");
  }

  ModelFormatException error(String problem) {
    return error(pos, problem);
  }

  private ModelFormatException error(int at, String problem) {
    return new ModelFormatException(file, "invalid JSON at byte " + at + ": " + problem);
  }
}
