package dev.presize.core.input;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A small text file (procfs, cgroupfs) opened once and re-read from offset 0 into a preallocated buffer.
 *
 * <p>procfs and cgroupfs regenerate the content on every read at offset 0, so a kept-open channel gives fresh
 * data without the cost of open and close. {@link #read()} allocates nothing once the buffer has grown to the
 * file's size (it doubles, at warm-up, when a read fills it). Not thread-safe: one owner thread. Parse the content
 * with {@link ByteCursor}.
 */
public final class ProcFile implements AutoCloseable {

  private final Path path;
  private final FileChannel channel;
  private ByteBuffer buffer;
  private byte[] bytes;
  private int length;

  private ProcFile(Path path, FileChannel channel, int initialCapacity) {
    this.path = path;
    this.channel = channel;
    this.bytes = new byte[initialCapacity];
    this.buffer = ByteBuffer.wrap(bytes);
  }

  /** Opens {@code path} for repeated reads, with a 4 KiB buffer to start. */
  public static ProcFile open(Path path) throws IOException {
    return open(path, 4096);
  }

  /** Opens {@code path} for repeated reads with the given starting buffer size. */
  public static ProcFile open(Path path, int initialCapacity) throws IOException {
    return new ProcFile(path, FileChannel.open(path, StandardOpenOption.READ), Math.max(64, initialCapacity));
  }

  /**
   * Opens {@code path} if it exists, else returns {@code null} (for optional files such as PSI).
   *
   * @throws IOException for any error other than the file being absent
   */
  public static ProcFile openIfExists(Path path) throws IOException {
    try {
      return open(path);
    } catch (NoSuchFileException e) {
      return null; // absent is an answer here, not an error: the caller reports the metric unsupported
    }
  }

  /**
   * Re-reads the whole file from offset 0: one positional read for small files, more for files past half a page.
   *
   * @return the number of bytes now in {@link #bytes()}
   * @throws IOException when the read fails (for a process file: usually ESRCH after the process exited)
   */
  public int read() throws IOException {
    while (true) {
      buffer.clear();
      int n = channel.read(buffer, 0);
      if (n < 0) {
        length = 0;
        return 0;
      }
      // A seq_file hands over up to about a page per read. A read of at most half a page is therefore the whole
      // file (stat, io, cgroup and pressure files: one read, no second syscall just to see end-of-file); after a
      // longer one (net/dev with many interfaces, maps), read on until end-of-file.
      int total = n;
      if (n > MULTI_READ_THRESHOLD) {
        while (buffer.hasRemaining() && (n = channel.read(buffer, total)) > 0) {
          total += n;
        }
      }
      if (buffer.hasRemaining()) {
        length = total;
        return total;
      }
      grow(); // the file did not fit: happens at warm-up only
    }
  }

  /** Reads longer than this may be one page of a longer seq_file. */
  static final int MULTI_READ_THRESHOLD = 2048;

  private void grow() {
    bytes = new byte[bytes.length * 2];
    buffer = ByteBuffer.wrap(bytes);
  }

  /** The content of the last {@link #read()}, valid up to {@link #length()}. */
  public byte[] bytes() {
    return bytes;
  }

  /** Bytes valid in {@link #bytes()} after the last read. */
  public int length() {
    return length;
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing a read-only procfs channel cannot lose data; nothing useful to do with the error.
    }
  }

  @Override
  public String toString() {
    return "ProcFile[" + path + "]";
  }
}
