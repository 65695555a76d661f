package dev.presize.trainer.input;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** A line-by-line pass over a gzip-compressed text file that reports a damaged stream with file and line. */
final class GzipLines {

  /** Receives each line with its 1-based number. */
  interface LineHandler {
    void line(long number, String text);
  }

  private GzipLines() {
  }

  /**
   * Calls {@code handler} for every line of the gzip file.
   *
   * @throws InputDataException when the gzip stream is truncated or corrupt, naming the last good line
   * @throws IOException when the file cannot be opened or read
   */
  static long forEach(Path file, LineHandler handler) throws IOException {
    long number = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
      String text;
      while ((text = in.readLine()) != null) {
        number++;
        handler.line(number, text);
      }
    } catch (EOFException e) {
      throw new InputDataException(file, number + 1,
          "the gzip stream ends early (truncated file?) after " + number + " complete lines", e);
    } catch (ZipException e) {
      throw new InputDataException(file, number + 1,
          "corrupt gzip stream after " + number + " complete lines: " + e.getMessage(), e);
    }
    return number;
  }
}
