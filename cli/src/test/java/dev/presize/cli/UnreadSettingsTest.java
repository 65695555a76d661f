package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A -D setting nothing read is warned about at the end (a misspelt key would otherwise do nothing, silently). */
class UnreadSettingsTest {

  @TempDir Path dir;

  @Test
  @DisplayName("record: a misspelt -D key is named in a warning; a key the sampler read is not")
  void record() {
    CliRun r = CliRun.of("record", "--out", dir.toString(), "-D", "presize.sampling.intervall=20ms", "-D",
        "presize.sampling.interval=20ms", "--", "true");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("presize record: warning: -D presize.sampling.intervall was given but nothing in"
        + " this record read it: is it misspelt?").doesNotContain("-D presize.sampling.interval was");
  }

  @Test
  @DisplayName("run: a misspelt policy key is named; the policy's own key is not")
  void run() {
    CliRun.assumeCgroup();
    CliRun r = CliRun.of("run", "--sizer", "static", "--out", dir.toString(), "-D",
        "presize.policy.memory.headroomm=20%", "-D", "presize.policy.memory.headroom=20%", "--", "true");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("presize run: warning: -D presize.policy.memory.headroomm was given but nothing")
        .doesNotContain("-D presize.policy.memory.headroom was");
  }
}
