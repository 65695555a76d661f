package dev.presize.core.checkpoint;

import dev.presize.core.registry.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The small learned-state files of the checkpoint package (the pressure profile, the exceedance calibrations): a
 * format line, then one record per line of space-separated fields. Written atomically (temp, fsync, rename); a file
 * that is not of the format, or a record that does not parse, is refused naming the file and line.
 */
final class LineFiles {

  /** Takes one record's fields; throws a {@link RuntimeException} when they are malformed or out of range. */
  interface Record {
    void accept(String[] fields);
  }

  private LineFiles() {
  }

  /**
   * Reads {@code file}'s records into {@code record}; false, reading nothing, when the file does not exist.
   *
   * @param what what the file holds, for the message ("a pressure profile")
   * @param expected the fields a record has, for the message ("bucket mean count")
   * @throws IOException when the file cannot be read, is not {@code format}, or a record is malformed
   */
  static boolean read(Path file, String format, String what, String expected, Record record) throws IOException {
    return read(file, List.of(format), what, expected, record);
  }

  /** {@link #read(Path, String, String, String, Record)} for a file that may be of any of {@code formats}. */
  static boolean read(Path file, List<String> formats, String what, String expected, Record record)
      throws IOException {
    if (!Files.exists(file)) {
      return false;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !formats.contains(lines.get(0))) {
      throw new IOException(file + " is not " + what + " (first line must be " + String.join(" or ", formats)
          + ")");
    }
    for (int i = 1; i < lines.size(); i++) {
      try {
        record.accept(lines.get(i).trim().split(" "));
      } catch (RuntimeException e) {
        throw new IOException(file + " line " + (i + 1) + ": expected '" + expected + "', was '" + lines.get(i)
            + "'", e);
      }
    }
    return true;
  }

  /** An update of a file, run while its lock is held. */
  interface Update {
    void run() throws IOException;
  }

  /** One lock per JVM as well: a JVM may not hold two overlapping locks of one file. */
  private static final Object IN_PROCESS = new Object();

  /**
   * Runs {@code update} holding an exclusive lock of {@code <file>.lock} (created next to the file, kept): processes
   * that read, merge and write the same file in {@code update} do it one at a time.
   */
  static void locked(Path file, Update update) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path lockFile = dir.resolve(file.getFileName() + ".lock");
    synchronized (IN_PROCESS) {
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
           FileLock lock = ch.lock()) {
        update.run();
      }
    }
  }

  /** Writes {@code format} and then {@code records} (each a line) to {@code file} atomically. */
  static void write(Path file, String format, List<String> records) throws IOException {
    StringBuilder sb = new StringBuilder(format).append('\n');
    for (String r : records) {
      sb.append(r).append('\n');
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    AtomicFiles.writeAtomically(file, sb.toString().getBytes(StandardCharsets.UTF_8), dir);
  }
}
