package dev.presize.core.input;

/**
 * A reusable, allocation-free parser over ASCII bytes: the numbers and keyed lines of procfs and cgroupfs files.
 *
 * <p>Keys are passed as precomputed {@code byte[]} constants (see {@link #key(String)}) so that no string is
 * built per read. Missing values come back as {@link #ABSENT}. Not thread-safe; one owner.
 */
public final class ByteCursor {

  /** Returned when a value is not there (key absent, no digits). */
  public static final long ABSENT = Long.MIN_VALUE;

  private byte[] bytes = new byte[0];
  private int end;
  private int pos;

  /** Points the cursor at {@code bytes[0, length)} from the start. */
  public ByteCursor reset(byte[] bytes, int length) {
    this.bytes = bytes;
    this.end = length;
    this.pos = 0;
    return this;
  }

  /** Points the cursor at the last content of {@code file}. */
  public ByteCursor reset(ProcFile file) {
    return reset(file.bytes(), file.length());
  }

  /** ASCII bytes of {@code s}, for key constants made once. */
  public static byte[] key(String s) {
    byte[] b = new byte[s.length()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) s.charAt(i);
    }
    return b;
  }

  public int position() {
    return pos;
  }

  public ByteCursor position(int p) {
    this.pos = Math.max(0, Math.min(p, end));
    return this;
  }

  public boolean atEnd() {
    return pos >= end;
  }

  /**
   * Moves to just after {@code key} at the start of a line (searching from the start of the content).
   *
   * @return whether the key was found; if not, the cursor is at the end
   */
  public boolean findLine(byte[] key) {
    int i = 0;
    while (i < end) {
      if (matches(i, key)) {
        pos = i + key.length;
        return true;
      }
      while (i < end && bytes[i] != '\n') {
        i++;
      }
      i++;
    }
    pos = end;
    return false;
  }

  /** Moves to just after the next occurrence of {@code needle} at or after the cursor. */
  public boolean find(byte[] needle) {
    for (int i = pos; i + needle.length <= end; i++) {
      if (matches(i, needle)) {
        pos = i + needle.length;
        return true;
      }
    }
    pos = end;
    return false;
  }

  /** Moves to just after the last occurrence of byte {@code b} in the content (e.g. ')' in /proc/pid/stat). */
  public boolean afterLast(byte b) {
    for (int i = end - 1; i >= 0; i--) {
      if (bytes[i] == b) {
        pos = i + 1;
        return true;
      }
    }
    pos = end;
    return false;
  }

  /** Moves to the start of the next line. */
  public ByteCursor nextLine() {
    while (pos < end && bytes[pos] != '\n') {
      pos++;
    }
    if (pos < end) {
      pos++;
    }
    return this;
  }

  /** Skips {@code n} whitespace-separated fields. */
  public ByteCursor skipFields(int n) {
    for (int f = 0; f < n; f++) {
      while (pos < end && isSpace(bytes[pos])) {
        pos++;
      }
      while (pos < end && !isSpace(bytes[pos])) {
        pos++;
      }
    }
    return this;
  }

  /**
   * Parses the next (optionally negative) decimal integer on the current line, skipping anything before it that
   * is not a digit. Stops at the end of the line.
   *
   * @return the value, or {@link #ABSENT} when the line has no more digits
   */
  public long nextLong() {
    while (pos < end && bytes[pos] != '\n' && !isDigit(bytes[pos])) {
      pos++;
    }
    if (pos >= end || bytes[pos] == '\n') {
      return ABSENT;
    }
    boolean negative = pos > 0 && bytes[pos - 1] == '-';
    long v = 0;
    while (pos < end && isDigit(bytes[pos])) {
      v = v * 10 + (bytes[pos] - '0');
      pos++;
    }
    if (pos < end && bytes[pos] == '.') { // a fraction (PSI avg10=1.23): skip it, callers want totals
      pos++;
      while (pos < end && isDigit(bytes[pos])) {
        pos++;
      }
    }
    return negative ? -v : v;
  }

  /** The value on the line starting with {@code key}, or {@link #ABSENT}. */
  public long valueOfLine(byte[] key) {
    return findLine(key) ? nextLong() : ABSENT;
  }

  /** Whether the next non-space bytes on this line are {@code word} (e.g. "max" in cgroup v2 files). */
  public boolean nextWordIs(byte[] word) {
    int p = pos;
    while (p < end && (bytes[p] == ' ' || bytes[p] == '\t')) {
      p++;
    }
    return matches(p, word);
  }

  private boolean matches(int at, byte[] key) {
    if (at + key.length > end) {
      return false;
    }
    for (int k = 0; k < key.length; k++) {
      if (bytes[at + k] != key[k]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n';
  }
}
