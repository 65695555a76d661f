package dev.presize.adapter.cgroups.host;

import dev.presize.spi.PresizeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes cgroup control files, failures wrapped with the file named. Not on a hot path. */
final class CgroupFiles {

  private CgroupFiles() {}

  /**
   * Writes {@code value} as a shell's {@code echo value > file} would (create, truncate, write once), so a
   * {@code @TempDir} fixture behaves like cgroupfs.
   */
  static void write(Path file, String value) {
    try {
      Files.write(file, value.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new PresizeException("write", file.toString(), "value " + value + ": " + reason(e), e);
    }
  }

  /** The file's content, stripped. */
  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new PresizeException("read", file.toString(), reason(e), e);
    }
  }

  /** The file's content as a number; {@code max} (v2) is returned as {@link Long#MAX_VALUE}. */
  static long readLong(Path file) {
    String s = read(file);
    String first = s.isEmpty() ? s : s.split("\\s+")[0];
    if ("max".equals(first)) {
      return Long.MAX_VALUE;
    }
    try {
      return Long.parseLong(first);
    } catch (NumberFormatException e) {
      throw new PresizeException("read", file.toString(), "expected a number or 'max', found '" + s + "'", e);
    }
  }

  static String reason(IOException e) {
    String m = e.getMessage();
    // NIO puts the path (already named) in the message and the errno text in getReason()
    if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return m == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
  }
}
