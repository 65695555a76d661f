package dev.presize.core.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteCursorTest {

  private static ByteCursor over(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return new ByteCursor().reset(b, b.length);
  }

  @Test
  @DisplayName("keyed lines of /proc/pid/io parse to their values; an absent key is ABSENT")
  void keyedLines() {
    ByteCursor c = over("rchar: 4242\nwchar: 17\nsyscr: 9\nread_bytes: 4096\nwrite_bytes: 0\n");
    assertThat(c.valueOfLine(ByteCursor.key("wchar:"))).isEqualTo(17);
    assertThat(c.valueOfLine(ByteCursor.key("read_bytes:"))).isEqualTo(4096);
    assertThat(c.valueOfLine(ByteCursor.key("rchar:"))).isEqualTo(4242);
    assertThat(c.valueOfLine(ByteCursor.key("cancelled_write_bytes:"))).isEqualTo(ByteCursor.ABSENT);
  }

  @Test
  @DisplayName("a key matches only at a line start, not inside another key")
  void lineStartOnly() {
    ByteCursor c = over("total_cache 5\ncache 7\n");
    assertThat(c.valueOfLine(ByteCursor.key("cache "))).isEqualTo(7);
  }

  @Test
  @DisplayName("/proc/pid/stat fields are counted from the last ')' so a comm with spaces and parens is safe")
  void statAfterComm() {
    ByteCursor c = over("42 (a) b) c) S 1 42 42 0 -1 4194560 100 5 2 1 30 20 7 3 20 0 4 0 99 1000 250\n");
    c.afterLast((byte) ')');
    c.skipFields(1); // state
    assertThat(c.nextLong()).isEqualTo(1); // ppid (field 4)
    c.skipFields(5); // pgrp session tty tpgid flags: fields 5..9
    assertThat(c.nextLong()).isEqualTo(100); // minflt field 10
  }

  @Test
  @DisplayName("negative numbers, fractions and missing digits parse as the kernel writes them")
  void numbers() {
    ByteCursor c = over("tpgid -1\nsome avg10=1.25 avg60=0.00 avg300=0.00 total=123456\n");
    assertThat(c.valueOfLine(ByteCursor.key("tpgid"))).isEqualTo(-1);
    assertThat(c.findLine(ByteCursor.key("some"))).isTrue();
    assertThat(c.find(ByteCursor.key("total="))).isTrue();
    assertThat(c.nextLong()).isEqualTo(123456);
    assertThat(c.nextLong()).isEqualTo(ByteCursor.ABSENT);
  }

  @Test
  @DisplayName("a kept-open ProcFile sees fresh content and grows its buffer for files larger than it")
  void procFileRereads(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("big");
    Files.writeString(f, "x".repeat(10_000) + "\nvalue 1\n");
    try (ProcFile pf = ProcFile.open(f, 64)) {
      assertThat(pf.read()).isEqualTo(10_009);
      assertThat(new ByteCursor().reset(pf).valueOfLine(ByteCursor.key("value"))).isEqualTo(1);
    }
    try (ProcFile self = ProcFile.open(Path.of("/proc/self/stat"))) {
      self.read();
      long first = new ByteCursor().reset(self).afterLast((byte) ')') ? 1 : 0;
      assertThat(first).isEqualTo(1);
      assertThat(self.length()).isGreaterThan(50);
    }
  }
}
