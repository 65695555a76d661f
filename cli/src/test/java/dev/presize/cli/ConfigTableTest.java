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

  @Test
  @DisplayName("the settings KnownSettings finds (which tell a misspelt -D key from a real one) are the README"
      + " table's, no more and no fewer")
  void knownSettingsAreTheTable() throws IOException {
    String readme = Files.readString(Path.of("..").toAbsolutePath().normalize().resolve("README.md"));
    Set<String> table = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `(presize\\.[a-z0-9.<>-]+)`").matcher(readme);
    while (m.find()) {
      table.add(m.group(1).replaceAll("<[a-z-]+>$", ""));
    }
    Set<String> known = new TreeSet<>(KnownSettings.keys());
    known.addAll(KnownSettings.prefixes());
    assertThat(known).contains("presize.sampling.interval", "presize.cgroup.v1.root", "presize.service.port",
        "presize.registry.dir", "presize.sampling.source.");
    assertThat(known).isEqualTo(table);
    // KnownSettings completes this one prefix with the metric source families; another would need its own names
    assertThat(KnownSettings.prefixes()).containsExactly(dev.presize.core.sampling.MetricSources.SOURCE_PREFIX);
  }
}
