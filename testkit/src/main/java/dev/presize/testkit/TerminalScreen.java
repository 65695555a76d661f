package dev.presize.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small VT100/xterm screen for tests of what a program draws on a terminal: feed it the bytes the terminal
 * received (e.g. a {@code script} typescript) and read the rows back.
 *
 * <p>It knows printable characters (with xterm's deferred autowrap), carriage return, line feed, and the escapes
 * {@code ESC 7} / {@code ESC 8} (save / restore the cursor and its pending wrap), {@code ESC D} (index),
 * {@code ESC M} (reverse index), and CSI {@code H}/{@code f} (cursor position), {@code A}/{@code B} (up / down,
 * stopping at the scroll region's margins), {@code K} (erase in line: 0 and 2), {@code J} (erase below: 0),
 * {@code r} (DECSTBM: the scroll region, homing the cursor) and {@code m} (ignored). Anything else fails, so a test
 * notices a sequence it cannot judge.
 */
public final class TerminalScreen {

  private final int rows;
  private final int columns;
  private final char[][] cells;
  private final boolean onlcr;
  private int row;
  private int column;
  private boolean wrapPending;
  private int top;
  private int bottom;
  private int savedRow;
  private int savedColumn;
  private boolean savedWrap;

  /**
   * An empty screen.
   *
   * @param onlcr whether a line feed also returns the carriage, as a terminal driver's {@code onlcr} makes it for
   *     a program's output (a typescript already holds the carriage returns)
   */
  public TerminalScreen(int rows, int columns, boolean onlcr) {
    if (rows < 1 || columns < 1) {
      throw new IllegalArgumentException("need rows, columns >= 1");
    }
    this.rows = rows;
    this.columns = columns;
    this.onlcr = onlcr;
    this.cells = new char[rows][columns];
    for (char[] r : cells) {
      Arrays.fill(r, ' ');
    }
    this.bottom = rows - 1;
  }

  /** Takes {@code text} as the terminal would; returns this screen. */
  public TerminalScreen feed(String text) {
    int i = 0;
    while (i < text.length()) {
      char ch = text.charAt(i++);
      if (ch == '\u001b') {
        if (i >= text.length()) {
          throw new IllegalArgumentException("text ends inside an escape");
        }
        char e = text.charAt(i++);
        if (e == '[') {
          int start = i;
          while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == ';'
              || text.charAt(i) == '?')) {
            i++;
          }
          if (i >= text.length()) {
            throw new IllegalArgumentException("text ends inside an escape");
          }
          csi(text.substring(start, i), text.charAt(i++));
        } else {
          escape(e);
        }
      } else if (ch == '\r') {
        column = 0;
        wrapPending = false;
      } else if (ch == '\n') {
        lineFeed();
        if (onlcr) {
          column = 0;
        }
      } else if (ch == '\u0007' || ch == '\b' && column == 0) {
        // bell, or backspace at the margin: nothing
      } else if (ch == '\b') {
        column--;
        wrapPending = false;
      } else if (ch >= ' ') {
        if (wrapPending) {
          column = 0;
          lineFeed();
        }
        cells[row][column] = ch;
        if (column == columns - 1) {
          wrapPending = true;
        } else {
          column++;
        }
      } else {
        throw new IllegalArgumentException("control character " + (int) ch + " not understood");
      }
    }
    return this;
  }

  /** Row {@code r} (0 is the top), without trailing blanks. */
  public String row(int r) {
    return new String(cells[r]).stripTrailing();
  }

  /** Every row, top to bottom, without trailing blanks. */
  public List<String> rows() {
    List<String> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      out.add(row(r));
    }
    return out;
  }

  /** The cursor's row (0 is the top). */
  public int cursorRow() {
    return row;
  }

  /** The cursor's column (0 is the left). */
  public int cursorColumn() {
    return column;
  }

  /** Whether a scroll region narrower than the screen is set. */
  public boolean hasScrollRegion() {
    return top != 0 || bottom != rows - 1;
  }

  private void escape(char e) {
    switch (e) {
      case '7' -> {
        savedRow = row;
        savedColumn = column;
        savedWrap = wrapPending; // as xterm's DECSC keeps it
      }
      case '8' -> {
        row = savedRow;
        column = savedColumn;
        wrapPending = savedWrap;
      }
      case 'D' -> lineFeed();
      case 'M' -> {
        if (row == top) {
          scrollDown();
        } else if (row > 0) {
          row--;
        }
      }
      default -> throw new IllegalArgumentException("escape ESC " + e + " not understood");
    }
  }

  private void csi(String params, char f) {
    String[] p = params.isEmpty() ? new String[0] : params.split(";", -1);
    switch (f) {
      case 'H', 'f' -> {
        row = clamp(number(p, 0, 1) - 1, 0, rows - 1);
        column = clamp(number(p, 1, 1) - 1, 0, columns - 1);
        wrapPending = false;
      }
      case 'A' -> {
        int limit = row >= top ? top : 0;
        row = Math.max(limit, row - Math.max(1, number(p, 0, 1)));
        wrapPending = false;
      }
      case 'B' -> {
        int limit = row <= bottom ? bottom : rows - 1;
        row = Math.min(limit, row + Math.max(1, number(p, 0, 1)));
        wrapPending = false;
      }
      case 'K' -> {
        int mode = number(p, 0, 0);
        if (mode == 0) {
          Arrays.fill(cells[row], column, columns, ' ');
        } else if (mode == 2) {
          Arrays.fill(cells[row], ' ');
        } else {
          throw new IllegalArgumentException("CSI " + params + "K not understood");
        }
      }
      case 'J' -> {
        if (number(p, 0, 0) != 0) {
          throw new IllegalArgumentException("CSI " + params + "J not understood");
        }
        Arrays.fill(cells[row], column, columns, ' ');
        for (int r = row + 1; r < rows; r++) {
          Arrays.fill(cells[r], ' ');
        }
      }
      case 'r' -> {
        // as xterm: a bottom past the screen is its last row; margins that are not top < bottom change nothing
        int t = Math.max(0, number(p, 0, 1) - 1);
        int b = Math.min(rows, p.length > 1 ? number(p, 1, rows) : rows) - 1;
        if (t < b) {
          top = t;
          bottom = b;
          row = 0;
          column = 0;
          wrapPending = false;
        }
      }
      case 'm' -> {
        // colours and attributes: not drawn
      }
      default -> throw new IllegalArgumentException("CSI " + params + f + " not understood");
    }
  }

  private void lineFeed() {
    wrapPending = false;
    if (row == bottom) {
      scrollUp();
    } else if (row < rows - 1) {
      row++;
    }
  }

  private void scrollUp() {
    for (int r = top; r < bottom; r++) {
      cells[r] = cells[r + 1];
    }
    cells[bottom] = blank();
  }

  private void scrollDown() {
    for (int r = bottom; r > top; r--) {
      cells[r] = cells[r - 1];
    }
    cells[top] = blank();
  }

  private char[] blank() {
    char[] r = new char[columns];
    Arrays.fill(r, ' ');
    return r;
  }

  private static int number(String[] p, int index, int fallback) {
    return index < p.length && !p[index].isEmpty() && !p[index].startsWith("?") ? Integer.parseInt(p[index])
        : fallback;
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
