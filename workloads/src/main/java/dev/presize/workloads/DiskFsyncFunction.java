package dev.presize.workloads;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.spi.function.PresizeFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A durable writer: writes {@code size} MiB as 4 MiB files in a fresh temporary directory, fsyncing each file
 * (and the directory), then re-reads and verifies every file, and deletes them all, also on failure.
 */
public final class DiskFsyncFunction implements PresizeFunction {
  static final String NAME = "disk-fsync";
  static final int FILE_BYTES = 4 << 20;
  static final int BUFFER_BYTES = 256 * 1024;
  static final int MAX_SIZE = 16_384;

  @Override
  public String invoke(String requestJson) throws IOException {
    Request request = Request.parse(requestJson, MAX_SIZE, false);
    long total = (long) request.intSize() << 20;
    int files = (int) ((total + FILE_BYTES - 1) / FILE_BYTES);
    Path dir = Files.createTempDirectory("presize-disk-fsync-");
    try {
      ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);
      CRC32C written = new CRC32C();
      long syncs = 0;
      for (int f = 0; f < files; f++) {
        long length = Math.min(FILE_BYTES, total - (long) f * FILE_BYTES);
        try (FileChannel ch = FileChannel.open(dir.resolve(fileName(f)), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE)) {
          for (long pos = 0; pos < length; pos += BUFFER_BYTES) {
            int len = (int) Math.min(BUFFER_BYTES, length - pos);
            DeterministicBytes.fill(request.seed() + f, pos, buf.array(), 0, len);
            written.update(buf.array(), 0, len);
            buf.clear().limit(len);
            while (buf.hasRemaining()) {
              ch.write(buf);
            }
          }
          ch.force(true);
          syncs++;
        }
      }
      syncDirectory(dir);
      syncs++;

      CRC32C read = new CRC32C();
      byte[] expected = new byte[BUFFER_BYTES];
      long readBytes = 0;
      for (int f = 0; f < files; f++) {
        try (FileChannel ch = FileChannel.open(dir.resolve(fileName(f)), StandardOpenOption.READ)) {
          for (long pos = 0; ; pos += buf.limit()) {
            buf.clear();
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
              // keep reading until the buffer is full or the file ends
            }
            buf.flip();
            if (buf.limit() == 0) {
              break;
            }
            DeterministicBytes.fill(request.seed() + f, pos, expected, 0, buf.limit());
            if (!Arrays.equals(buf.array(), 0, buf.limit(), expected, 0, buf.limit())) {
              throw new IOException("file " + fileName(f) + " reads back different bytes at offset " + pos);
            }
            read.update(buf.array(), 0, buf.limit());
            readBytes += buf.limit();
          }
        }
      }
      ObjectNode response = Json.response(NAME, request);
      response.put("files", files);
      response.put("writtenBytes", total);
      response.put("fsyncs", syncs);
      response.put("readBytes", readBytes);
      response.put("crc32c", Long.toHexString(written.getValue()));
      response.put("verified", read.getValue() == written.getValue() && readBytes == total);
      return Json.write(response);
    } finally {
      deleteTree(dir);
    }
  }

  private static String fileName(int index) {
    return String.format("segment-%05d.bin", index);
  }

  /** Fsyncs a directory so the new files' entries are durable too (a no-op where the OS refuses it). */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open or fsync a directory; the file fsyncs above are what this workload measures.
      if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
        throw e;
      }
    }
  }

  /** Deletes {@code dir} and everything in it. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException("could not delete " + p, e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
