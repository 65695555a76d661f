package dev.presize.trainer.input;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the public traces ({@code ../shared/data} of the repository) and the checked-in corpus for tests. */
public final class SharedData {

  private SharedData() {
  }

  /**
   * The shared data directory: {@code ../../shared/data} relative to the trainer module, else the system property
   * {@code presize.data}; the calling test is skipped, naming what was looked for, when neither exists.
   */
  public static Path dir(String subdirectory) {
    Path relative = Path.of("../../shared/data").toAbsolutePath().normalize();
    String property = System.getProperty("presize.data");
    Path dir = Files.isDirectory(relative) || property == null ? relative : Path.of(property);
    Path sub = dir.resolve(subdirectory);
    assumeTrue(Files.isDirectory(sub), "public traces not found at " + sub
        + " (looked at " + relative + " and system property presize.data=" + property + ")");
    return sub;
  }

  /** The corpus checked in at {@code data/corpus} of the repository; skips the test when it is absent. */
  public static Path corpus() {
    Path dir = Path.of("../data/corpus").toAbsolutePath().normalize();
    assumeTrue(Files.isRegularFile(dir.resolve("corpus.json")), "corpus not found at " + dir);
    return dir;
  }
}
