package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors of every command: one line and a pointer to the help; picocli's usage only for parse errors. */
class UsageErrorsTest {

  @Test
  @DisplayName("a command's own refusal is one line plus 'see ... --help' (exit 2, no usage dump); an unknown option"
      + " keeps picocli's message and usage")
  void shortLines(@TempDir Path dir) {
    CliRun record = CliRun.of("record", "--interval", "0ms", "--out", dir.toString(), "--", "true");
    assertThat(record.exit()).isEqualTo(2);
    assertThat(record.err()).contains("--interval 0ms: must be more than 0", "see presize record --help")
        .doesNotContain("Usage:");
    CliRun demo = CliRun.of("demo", "--quick", "--model", dir.resolve("none").toString(), "--out",
        dir.resolve("out").toString());
    assertThat(demo.exit()).isEqualTo(2);
    assertThat(demo.err()).contains("--model " + dir.resolve("none") + ": no such directory",
        "see presize demo --help").doesNotContain("Usage:");
    CliRun train = CliRun.of("train", "--format", "presize", "--traces", dir.resolve("none").toString(), "--out",
        dir.resolve("m").toString(), "--targets", "NOPE");
    assertThat(train.exit()).isEqualTo(2);
    assertThat(train.err()).doesNotContain("Exception");
    String none = dir.resolve("none").toString();
    for (CliRun missing : new CliRun[] {
        CliRun.of("train", "--format", "bitbrains", "--traces", none, "--out", dir.resolve("m").toString()),
        CliRun.of("checkpoint-sim", "--format", "bitbrains", "--traces", none)}) {
      assertThat(missing.exit()).as(missing.err()).isEqualTo(2);
      assertThat(missing.err()).contains("--traces " + none + ": no such directory");
    }
    CliRun unknown = CliRun.of("run", "--bogus");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown option: '--bogus'", "Usage:");
  }
}
