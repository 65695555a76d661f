package dev.presize.core.predict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader (objects to {@code LinkedHashMap}, arrays to {@code ArrayList}, numbers to {@code Double})
 * and string quoting, for the remote predictor's and the model directory's small documents. Core carries no JSON
 * library: it runs inside the user's JVM.
 */
final class MiniJson {

  private final String text;
  private int pos;

  private MiniJson(String text) {
    this.text = text;
  }

  /** Parses one JSON document; {@link IllegalArgumentException} names the offset and what was expected. */
  static Object parse(String text) {
    MiniJson j = new MiniJson(text);
    Object v = j.value();
    j.space();
    if (j.pos != text.length()) {
      throw j.error("end of document");
    }
    return v;
  }

  /** Appends {@code s} as a JSON string literal. */
  static StringBuilder quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"');
  }

  private IllegalArgumentException error(String expected) {
    String near = text.substring(pos, Math.min(text.length(), pos + 20));
    return new IllegalArgumentException("JSON at offset " + pos + ": expected " + expected + ", found '" + near + "'");
  }

  private void space() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private Object value() {
    space();
    if (pos >= text.length()) {
      throw error("a value");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private Object literal(String word, Object v) {
    if (!text.startsWith(word, pos)) {
      throw error(word);
    }
    pos += word.length();
    return v;
  }

  private Double number() {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    if (start == pos) {
      throw error("a value");
    }
    try {
      return Double.valueOf(text.substring(start, pos));
    } catch (NumberFormatException e) {
      pos = start;
      throw error("a number");
    }
  }

  private String string() {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\') {
        if (pos >= text.length()) {
          break;
        }
        char e = text.charAt(pos++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (pos + 4 > text.length()) {
              throw error("4 hex digits");
            }
            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
            pos += 4;
          }
          default -> sb.append(e);
        }
      } else {
        sb.append(c);
      }
    }
    throw error("a closing quote");
  }

  private List<Object> array() {
    pos++;
    List<Object> out = new ArrayList<>();
    space();
    if (pos < text.length() && text.charAt(pos) == ']') {
      pos++;
      return out;
    }
    while (true) {
      out.add(value());
      space();
      if (pos < text.length() && text.charAt(pos) == ',') {
        pos++;
      } else if (pos < text.length() && text.charAt(pos) == ']') {
        pos++;
        return out;
      } else {
        throw error("',' or ']'");
      }
    }
  }

  private Map<String, Object> object() {
    pos++;
    Map<String, Object> out = new LinkedHashMap<>();
    space();
    if (pos < text.length() && text.charAt(pos) == '}') {
      pos++;
      return out;
    }
    while (true) {
      space();
      if (pos >= text.length() || text.charAt(pos) != '"') {
        throw error("a field name");
      }
      String key = string();
      space();
      if (pos >= text.length() || text.charAt(pos) != ':') {
        throw error("':'");
      }
      pos++;
      out.put(key, value());
      space();
      if (pos < text.length() && text.charAt(pos) == ',') {
        pos++;
      } else if (pos < text.length() && text.charAt(pos) == '}') {
        pos++;
        return out;
      } else {
        throw error("',' or '}'");
      }
    }
  }
}
