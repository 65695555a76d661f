package dev.presize.local.run;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The live status line of {@code presize run} on a terminal the command writes to as well.
 *
 * <p>When the terminal's size is known ({@code stty size} on {@code /dev/tty}), the line keeps the terminal's last
 * row to itself: the rows above become the scroll region (DECSTBM), where the command's output scrolls as usual,
 * and the line is drawn on the last row between a save and a restore of the cursor (in default colours; the restore
 * gives the command its own back), so it never lands inside the command's output. This is what apt does for its
 * progress bar. {@link #close} gives the row back, resets the region and prints the last status as an ordinary line;
 * the run closes it in a {@code finally}, and a shutdown hook does the same if the JVM ends first, so the terminal is
 * not left with a region (only a SIGKILL can leave one; {@code reset} clears it). The size is read again every 2
 * seconds and at once on SIGWINCH, off the caller's thread, and a changed size sets the region again.
 *
 * <p>Limits, as for apt: the command and the line share the terminal's one saved-cursor slot ({@code ESC 7}), so a
 * command that saves and restores its own cursor may find it moved; a full-screen command (an editor, {@code top})
 * sets its own region; and a line of ours is written at the cursor, so it follows a command's unfinished line on the
 * same row. Redirect stderr (no status line) for such commands.
 *
 * <p>When the size is unknown (no {@code /dev/tty}, {@code stty} missing, {@code TERM=dumb}, fewer than 3 rows), the
 * line is redrawn in place with a carriage return, and {@link #message} clears it before writing.
 *
 * <p>Thread-safe: the run's sampling thread shows the line, the checkpoint handler writes messages.
 */
public final class StatusLine implements AutoCloseable {

  private static final String ESC = "\u001b";

  /** A terminal's size, in character cells. */
  public record Size(int rows, int columns) {
    public Size {
      if (rows < 1 || columns < 1) {
        throw new IllegalArgumentException("a terminal has at least 1 row and 1 column, was " + rows + "x" + columns);
      }
    }
  }

  private final PrintStream out;
  private final Supplier<Size> size;
  private volatile Size current;
  private Size region; // the size the scroll region is set for; null: none set
  private boolean closed;
  private final Thread refresher;
  private final Thread hook;

  /**
   * A status line on {@code out}, a terminal whose size {@code size} tells (null when unknown), read now and then
   * every {@code refresh} and on SIGWINCH, on a daemon thread ({@link Duration#ZERO}: never again).
   */
  StatusLine(PrintStream out, Supplier<Size> size, Duration refresh) {
    this.out = Objects.requireNonNull(out, "out");
    this.size = Objects.requireNonNull(size, "size");
    this.current = usable(size.get());
    if (current == null) {
      refresher = null;
      hook = null;
      return;
    }
    hook = new Thread(this::release, "presize-status-reset");
    Runtime.getRuntime().addShutdownHook(hook);
    if (refresh.isZero()) {
      refresher = null;
      return;
    }
    long nanos = refresh.toNanos();
    refresher = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        LockSupport.parkNanos(nanos); // woken early by SIGWINCH
        refreshSize();
      }
    }, "presize-status-size");
    refresher.setDaemon(true);
    refresher.start();
    wakeOnResize(refresher);
  }

  /** The status line on {@code out}, which is the terminal {@code /dev/tty} names. */
  public static StatusLine onTerminal(PrintStream out) {
    boolean dumb = "dumb".equals(System.getenv("TERM"));
    return new StatusLine(out, dumb ? () -> null : StatusLine::terminalSize, Duration.ofSeconds(2));
  }

  /**
   * Wakes {@code refresher} when the terminal is resized (SIGWINCH, which the JVM leaves alone; through
   * {@code sun.misc.Signal}, module jdk.unsupported, as {@code presize run} forwards INT and TERM). The last line
   * opened gets the signal; where it cannot be handled, the periodic read still follows the size.
   */
  private static void wakeOnResize(Thread refresher) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> LockSupport.unpark(refresher));
    } catch (IllegalArgumentException e) {
      // no such signal here, or the JVM keeps it: the 2-second read is the fallback
    }
  }

  /** Reads the terminal's size again (the refresher thread's work); the next {@link #show} follows it. */
  void refreshSize() {
    Size s;
    try {
      s = usable(size.get());
    } catch (RuntimeException e) {
      s = null; // whatever went wrong reading it, the size is unknown: the line is then redrawn in place
    }
    current = s;
  }

  /** Whether the line keeps the terminal's last row (its size is known). */
  public synchronized boolean keepsLastRow() {
    return current != null && !closed;
  }

  /** Draws {@code line} as the status, in place of the last one. */
  public synchronized void show(String line) {
    if (closed) {
      return;
    }
    Size s = current;
    if (s == null) {
      releaseLocked(); // the size is no longer known: back to a line redrawn in place
      out.print("\r" + line + ESC + "[K");
    } else {
      if (!s.equals(region)) {
        setRegion(s);
      }
      out.print(ESC + "7" + ESC + "[0m" + ESC + "[" + s.rows() + ";1H" + ESC + "[2K" + fit(line, s.columns()) + ESC
          + "8");
    }
    out.flush();
  }

  /** Writes {@code text} as a line of its own, above the status line. */
  public synchronized void message(String text) {
    if (closed || region == null) {
      out.print("\r" + ESC + "[K" + text + "\n");
    } else {
      out.print(text + "\n"); // at the cursor, in the region: the command's output and ours scroll together
    }
    out.flush();
  }

  /**
   * Gives the terminal's last row back and writes {@code last} (if not null) as an ordinary line. Later calls do
   * nothing.
   */
  public void close(String last) {
    synchronized (this) {
      if (closed) {
        return;
      }
      boolean wasRegion = region != null;
      releaseLocked();
      closed = true;
      if (last != null) {
        out.print((wasRegion ? "" : "\r") + last + ESC + "[K\n");
      }
      out.flush();
    }
    if (refresher != null) {
      refresher.interrupt();
    }
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs (and finds the region released)
      }
    }
  }

  /** {@link #close(String) close(null)}. */
  @Override
  public void close() {
    close(null);
  }

  /** The shutdown hook's work: the row given back, and no line drawn after it. */
  synchronized void release() {
    releaseLocked();
    closed = true;
    out.flush();
  }

  private void releaseLocked() {
    if (region != null) {
      // Clear the status row, then reset the region (which homes the cursor): the cursor goes back where it was.
      out.print(ESC + "7" + ESC + "[" + region.rows() + ";1H" + ESC + "[2K" + ESC + "[r" + ESC + "8");
      region = null;
    }
  }

  /**
   * Makes room for the status row and sets the rows above it as the scroll region, the cursor staying where it was:
   * index (down one row in the same column, scrolling when on the last row; an escape, so the terminal driver adds no
   * carriage return as it does to a newline), save, set the region (which homes the cursor), restore, up one.
   */
  private void setRegion(Size s) {
    if (region != null) {
      out.print(ESC + "7" + ESC + "[" + region.rows() + ";1H" + ESC + "[2K" + ESC + "8");
    }
    out.print(ESC + "D" + ESC + "7" + ESC + "[1;" + (s.rows() - 1) + "r" + ESC + "8" + ESC + "[1A");
    region = s;
  }

  /** {@code line} cut to fit in one row of {@code columns} without wrapping (a wrap would scroll the screen). */
  static String fit(String line, int columns) {
    return line.length() < columns ? line : line.substring(0, Math.max(0, columns - 1));
  }

  private static Size usable(Size s) {
    return s != null && s.rows() >= 3 && s.columns() >= 10 ? s : null;
  }

  /**
   * Whether this process's stdin, stdout and stderr are all terminals: where a status line may be drawn without
   * its escapes ending up in a file ({@link System#console()} asks only of stdin and stdout). Read from
   * {@code /proc/self/fd/2}; false where that cannot be read.
   */
  public static boolean stdioIsTerminal() {
    if (System.console() == null) {
      return false;
    }
    try {
      String err = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
      return err.startsWith("/dev/pts/") || err.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false; // no /proc here: without knowing, no status line (escapes in a file would be worse)
    }
  }

  /** The size of the terminal {@code /dev/tty}, from {@code stty size}; null when it cannot be told. */
  static Size terminalSize() {
    File tty = new File("/dev/tty");
    if (!tty.canRead()) {
      return null;
    }
    try {
      Process p = new ProcessBuilder("stty", "size").redirectInput(tty)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      // wait first: its few bytes fit in the pipe, and a read would block past the timeout if stty hung
      if (!p.waitFor(1, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      return parse(new String(p.getInputStream().readNBytes(64), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return null; // no stty, or /dev/tty not usable: the size is unknown, and the line is redrawn in place
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** {@code stty size}'s output, "rows columns"; null when not two positive numbers. */
  static Size parse(String sttySize) {
    String[] f = sttySize.strip().split("\\s+");
    if (f.length != 2) {
      return null;
    }
    try {
      int rows = Integer.parseInt(f[0]);
      int columns = Integer.parseInt(f[1]);
      return rows > 0 && columns > 0 ? new Size(rows, columns) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
