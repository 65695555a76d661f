package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Keeps the README's configuration table complete: every {@code presize.*} key in the code is in it. */
class ConfigTableTest {

  private static final Pattern KEY = Pattern.compile("\"(presize\\.[a-z0-9.-]+)\"");

  @Test
  @DisplayName("every presize.* key used in main code appears in the README's configuration table")
  void readmeListsEveryKey() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    String readme = Files.readString(root.resolve("README.md"));
    Set<String> keys = new TreeSet<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
          .filter(p -> !p.toString().contains("/target/"))
          .forEach(p -> {
            try {
              Matcher m = KEY.matcher(Files.readString(p));
              while (m.find()) {
                keys.add(m.group(1));
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
    assertThat(keys).contains("presize.sampling.interval");
    for (String key : keys) {
      // A prefix key ("presize.sampling.source.") is documented with a placeholder after it.
      assertThat(readme).as("README config table lists %s", key).contains("| `" + key);
    }
  }
}
