package dev.presize.core.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads host pressure (PSI) from {@code <root>/cpu}, {@code <root>/memory} and {@code <root>/io} (root
 * {@code /proc/pressure} by default): the {@code avg10} of each file's {@code some} line. A missing file (kernel
 * without PSI, or a resource it does not report) or an unparsable one gives {@code NaN} for that resource, never
 * an exception: pressure only tunes when routine checkpoints happen. Called rarely (once per schedule decision),
 * so it reads whole files.
 */
public final class PressureReader {

  private final Path root;

  public PressureReader(Path root) {
    this.root = Objects.requireNonNull(root, "root");
  }

  /** The current sample. */
  public PressureSample read() {
    return new PressureSample(avg10(root.resolve("cpu")), avg10(root.resolve("memory")), avg10(root.resolve("io")));
  }

  private static double avg10(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return Double.NaN; // this kernel reports no pressure for the resource
    } catch (IOException e) {
      return Double.NaN; // unreadable (permissions, EOPNOTSUPP when PSI is compiled in but disabled): unknown
    }
    return parseSomeAvg10(text);
  }

  /**
   * The {@code avg10} of the {@code some} line of a PSI file, clamped to [0, 100]; {@code NaN} when there is
   * none or it is not a number. Tolerates extra fields, reordering, extra whitespace and a missing newline.
   */
  static double parseSomeAvg10(String text) {
    for (String line : text.split("\n")) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length == 0 || !fields[0].equals("some")) {
        continue;
      }
      for (int i = 1; i < fields.length; i++) {
        if (fields[i].startsWith("avg10=")) {
          try {
            double v = Double.parseDouble(fields[i].substring("avg10=".length()));
            return Double.isFinite(v) ? Math.max(0, Math.min(100, v)) : Double.NaN;
          } catch (NumberFormatException e) {
            return Double.NaN; // malformed value: unknown, like a missing file
          }
        }
      }
    }
    return Double.NaN;
  }
}
