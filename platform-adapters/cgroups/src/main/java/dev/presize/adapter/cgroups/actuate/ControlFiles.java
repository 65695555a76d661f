package dev.presize.adapter.cgroups.actuate;

import dev.presize.spi.PresizeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Reads and writes existing cgroup control files without following symbolic links (O_NOFOLLOW) and without
 * creating anything: a control file that is a link, or missing, is an error naming the file.
 */
final class ControlFiles {

  private ControlFiles() {}

  /** The errno text of a failed write, e.g. {@code Device or resource busy}. */
  static final String EBUSY = "Device or resource busy";

  static void write(Path file, String value) {
    try (SeekableByteChannel ch = Files.newByteChannel(file,
        Set.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS))) {
      ByteBuffer b = ByteBuffer.wrap(value.getBytes(StandardCharsets.US_ASCII));
      ch.write(b); // one write(2): cgroupfs takes the whole value or fails it
    } catch (IOException e) {
      throw new PresizeException("write", file.toString(), "value " + value + ": " + reason(e), e);
    }
  }

  static String read(Path file) {
    try (SeekableByteChannel ch = Files.newByteChannel(file, Set.of(StandardOpenOption.READ,
        LinkOption.NOFOLLOW_LINKS))) {
      ByteBuffer b = ByteBuffer.allocate(256);
      while (ch.read(b) > 0 && b.hasRemaining()) {
        // control files this adapter reads are one short line
      }
      return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new PresizeException("read", file.toString(), reason(e), e);
    }
  }

  /** The first number of the file; {@code max} is {@link Long#MAX_VALUE}. */
  static long readLong(Path file) {
    return parseLong(file, read(file), 0);
  }

  /** Field {@code index} of a space-separated control file value; {@code max} is {@link Long#MAX_VALUE}. */
  static long parseLong(Path file, String content, int index) {
    String[] fields = content.split("\\s+");
    if (index >= fields.length || fields[index].isEmpty()) {
      throw new PresizeException("read", file.toString(), "expected " + (index + 1) + " field(s), found '"
          + content + "'");
    }
    if ("max".equals(fields[index])) {
      return Long.MAX_VALUE;
    }
    try {
      return Long.parseLong(fields[index]);
    } catch (NumberFormatException e) {
      throw new PresizeException("read", file.toString(), "expected a number or 'max', found '" + content + "'", e);
    }
  }

  /** The errno text of an I/O failure when the JDK has one, else the exception's message. */
  static String reason(IOException e) {
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    String simple = e.getClass().getSimpleName();
    return e.getMessage() == null ? simple : simple + ": " + e.getMessage();
  }

  /** The errno text anywhere in {@code t}'s causes, or its message. */
  static String errno(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException io) {
        return reason(io);
      }
    }
    return String.valueOf(t.getMessage());
  }
}
