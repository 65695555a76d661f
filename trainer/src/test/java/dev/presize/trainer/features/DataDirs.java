package dev.presize.trainer.features;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the public traces and the corpus for the smoke tests, by the same rule as the input package's
 * {@code SharedData} (package-private there, so mirrored here).
 */
final class DataDirs {

  private DataDirs() {
  }

  /** {@code ../../shared/data/<sub>} relative to the trainer module, else under system property presize.data. */
  static Path shared(String subdirectory) {
    Path relative = Path.of("../../shared/data").toAbsolutePath().normalize();
    String property = System.getProperty("presize.data");
    Path dir = Files.isDirectory(relative) || property == null ? relative : Path.of(property);
    Path sub = dir.resolve(subdirectory);
    assumeTrue(Files.isDirectory(sub), "public traces not found at " + sub
        + " (looked at " + relative + " and system property presize.data=" + property + ")");
    return sub;
  }

  /** The corpus at {@code data/corpus} of the repository; skips the test when it is absent. */
  static Path corpus() {
    Path dir = Path.of("../data/corpus").toAbsolutePath().normalize();
    assumeTrue(Files.isRegularFile(dir.resolve("corpus.json")), "corpus not found at " + dir);
    return dir;
  }
}
