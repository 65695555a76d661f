package dev.presize.local.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.testkit.TerminalScreen;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link StatusLine} drawn on a {@link TerminalScreen}, with a command writing to the same terminal in between (as
 * its inherited stdout does), the terminal driver adding a carriage return to each newline.
 */
class StatusLineTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  /** What the command writes. */
  private void command(String text) {
    terminal.print(text);
    terminal.flush();
  }

  private TerminalScreen screen(int rows, int columns) {
    return new TerminalScreen(rows, columns, true).feed(bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("with the size known, the line keeps the last row: the command's lines scroll above it, whole, and"
      + " at the end the last status is an ordinary line below them and the region is gone")
  void keepsLastRow() {
    StatusLine line = new StatusLine(terminal, () -> new StatusLine.Size(8, 60), Duration.ZERO);
    assertThat(line.keepsLastRow()).isTrue();
    command("line 1\n");
    line.show("[presize 0.2s] mem 10Mi / 64Mi");
    command("line 2\n");
    line.show("[presize 0.5s] mem 12Mi / 64Mi");
    line.message("presize: checkpoint #1 (ROUTINE)");
    for (int i = 3; i <= 12; i++) {
      command("line " + i + "\n");
      line.show("[presize " + i + ".0s] mem " + i + "Mi / 64Mi");
    }
    TerminalScreen during = screen(8, 60);
    assertThat(during.hasScrollRegion()).isTrue();
    assertThat(during.row(7)).isEqualTo("[presize 12.0s] mem 12Mi / 64Mi");
    // rows 0-6: the last lines written, in order, each whole; the cursor below the last one
    assertThat(during.rows().subList(0, 6)).containsExactly("line 7", "line 8", "line 9", "line 10", "line 11",
        "line 12");
    assertThat(during.cursorRow()).isEqualTo(6);

    line.close("[presize 12.3s] mem 12Mi / 64Mi  checkpoints 1");
    line.close("again"); // a second close writes nothing
    TerminalScreen after = screen(8, 60);
    assertThat(after.hasScrollRegion()).isFalse();
    assertThat(after.rows()).containsExactly("line 7", "line 8", "line 9", "line 10", "line 11", "line 12",
        "[presize 12.3s] mem 12Mi / 64Mi  checkpoints 1", "");
    assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("again");
    assertThat(line.keepsLastRow()).isFalse();
  }

  @Test
  @DisplayName("the message and the command's lines stay in the order written; none holds status text")
  void messagesInOrder() {
    StatusLine line = new StatusLine(terminal, () -> new StatusLine.Size(24, 80), Duration.ZERO);
    command("one\n");
    line.show("[presize 0.1s] status");
    command("two\n");
    line.message("presize: checkpoint #1");
    line.show("[presize 0.2s] status");
    command("three\n");
    line.close("[presize 0.3s] final");
    List<String> rows = screen(24, 80).rows();
    assertThat(rows.subList(0, 5)).containsExactly("one", "two", "presize: checkpoint #1", "three",
        "[presize 0.3s] final");
    assertThat(rows.subList(5, 24)).allMatch(String::isEmpty);
  }

  @Test
  @DisplayName("started with the cursor on the last row of a full screen: everything scrolls up one row to make room,"
      + " nothing is overwritten")
  void fullScreen() {
    IntStream.rangeClosed(1, 6).forEach(i -> command("old " + i + "\n"));
    command("old 7"); // the cursor on the last row, after text
    StatusLine line = new StatusLine(terminal, () -> new StatusLine.Size(6, 40), Duration.ZERO);
    line.show("[s] 1");
    command("\nnew 1\n");
    line.show("[s] 2");
    TerminalScreen s = screen(6, 40);
    assertThat(s.rows()).containsExactly("old 5", "old 6", "old 7", "new 1", "", "[s] 2");
  }

  @Test
  @DisplayName("a command's unfinished line is not broken: the line is set up and drawn without moving its column")
  void partialLine() {
    StatusLine line = new StatusLine(terminal, () -> new StatusLine.Size(10, 50), Duration.ZERO);
    command("progress: 10%");
    line.show("[s] a");
    command(" 20%");
    line.show("[s] b");
    command(" done\n");
    TerminalScreen s = screen(10, 50);
    assertThat(s.row(0)).isEqualTo("progress: 10% 20% done");
    assertThat(s.row(9)).isEqualTo("[s] b");
  }

  @Test
  @DisplayName("a line wider than the terminal is cut to one row less a cell, so it never wraps (which would scroll"
      + " the screen)")
  void longLineIsCut() {
    StatusLine line = new StatusLine(terminal, () -> new StatusLine.Size(5, 20), Duration.ZERO);
    command("a\nb\n");
    line.show("x".repeat(50));
    TerminalScreen s = screen(5, 20);
    assertThat(s.row(4)).isEqualTo("x".repeat(19));
    assertThat(s.rows().subList(0, 2)).containsExactly("a", "b");
    assertThat(StatusLine.fit("short", 20)).isEqualTo("short");
  }

  @Test
  @DisplayName("a new size sets the region again: the line moves to the new last row, the old one is cleared")
  void resized() {
    AtomicReference<StatusLine.Size> size = new AtomicReference<>(new StatusLine.Size(10, 40));
    StatusLine line = new StatusLine(terminal, size::get, Duration.ZERO);
    command("a\n");
    line.show("[s] 1");
    size.set(new StatusLine.Size(8, 40));
    line.refreshSize();
    line.show("[s] 2");
    command("b\n");
    TerminalScreen s = screen(10, 40);
    assertThat(s.row(7)).isEqualTo("[s] 2");
    assertThat(s.row(9)).isEmpty();
    assertThat(s.rows().subList(0, 2)).containsExactly("a", "b");
  }

  @Test
  @DisplayName("the size read again in the background (as every 2 s, or on SIGWINCH) moves the line to the new last"
      + " row at the next draw")
  void refreshedInBackground() throws Exception {
    AtomicReference<StatusLine.Size> size = new AtomicReference<>(new StatusLine.Size(10, 40));
    StatusLine line = new StatusLine(terminal, size::get, Duration.ofMillis(10));
    try {
      line.show("[s] 1");
      size.set(new StatusLine.Size(6, 40));
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!bytes.toString(StandardCharsets.UTF_8).contains("\u001b[1;5r") && System.nanoTime() < deadline) {
        Thread.sleep(10);
        line.show("[s] 2");
      }
      assertThat(screen(10, 40).row(5)).isEqualTo("[s] 2");
    } finally {
      line.close();
    }
  }

  @Test
  @DisplayName("drawn in default colours, whatever the command left set (the cursor restore gives them back); after"
      + " the shutdown hook's release no line is drawn again, so the JVM cannot exit with the row still kept")
  void coloursAndShutdown() {
    StatusLine line = new StatusLine(terminal, () -> new StatusLine.Size(10, 40), Duration.ZERO);
    line.show("[s] 1");
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("\u001b7\u001b[0m\u001b[10;1H\u001b[2K[s] 1\u001b8");
    line.release();
    int released = bytes.size();
    line.show("[s] 2");
    line.message("late");
    line.close("[s] last");
    String after = bytes.toString(StandardCharsets.UTF_8).substring(released);
    assertThat(after).doesNotContain("\u001b[1;", "[s] 2", "[s] last");
    assertThat(screen(10, 40).hasScrollRegion()).isFalse();
  }

  @Test
  @DisplayName("size unknown: the line is redrawn in place with a carriage return, a message clears it first, and"
      + " no region is set")
  void plain() {
    StatusLine line = new StatusLine(terminal, () -> null, Duration.ZERO);
    assertThat(line.keepsLastRow()).isFalse();
    line.show("[presize 0.1s] a long first status");
    line.show("[presize 0.2s] short");
    line.message("presize: checkpoint #1");
    line.show("[presize 0.3s] again");
    line.close("[presize 0.4s] last");
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("\u001b7", "\u001b[1;", "\u001b[r");
    TerminalScreen s = new TerminalScreen(6, 60, true).feed(out);
    assertThat(s.rows()).containsExactly("presize: checkpoint #1", "[presize 0.4s] last", "", "", "", "");
  }

  @Test
  @DisplayName("terminals too small or odd to keep a row for are drawn in place; stty's output is parsed strictly")
  void sizes() {
    assertThat(new StatusLine(terminal, () -> new StatusLine.Size(2, 80), Duration.ZERO).keepsLastRow()).isFalse();
    assertThat(new StatusLine(terminal, () -> new StatusLine.Size(24, 5), Duration.ZERO).keepsLastRow()).isFalse();
    assertThat(StatusLine.parse("24 80\n")).isEqualTo(new StatusLine.Size(24, 80));
    assertThat(StatusLine.parse("0 0")).isNull();
    assertThat(StatusLine.parse("stty: 'standard input': Inappropriate ioctl for device")).isNull();
    assertThat(StatusLine.parse("")).isNull();
  }
}
