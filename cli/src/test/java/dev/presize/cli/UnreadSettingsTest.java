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
  @DisplayName("record: a misspelt -D key is named in a warning with the setting meant; a key the sampler read is not;"
      + " a real setting record does not use is called that, not misspelt")
  void record() {
    CliRun r = CliRun.of("record", "--out", dir.toString(), "-D", "presize.sampling.intervall=20ms", "-D",
        "presize.sampling.interval=20ms", "-D", "presize.service.port=9000", "--", "true");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("presize record: warning: -D presize.sampling.intervall is not a Presize setting and"
        + " was ignored: misspelt? (did you mean presize.sampling.interval?)")
        .contains("presize record: warning: -D presize.service.port was given but this record did not use it (a"
            + " setting of another command")
        .doesNotContain("-D presize.sampling.interval ", "presize.service.port is not");
  }

  @Test
  @DisplayName("run: a misspelt policy key is named; the policy's own key is not")
  void run() {
    CliRun.assumeCgroup();
    CliRun r = CliRun.of("run", "--sizer", "static", "--out", dir.toString(), "-D",
        "presize.policy.memory.headroomm=20%", "-D", "presize.policy.memory.headroom=20%", "--", "true");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("presize run: warning: -D presize.policy.memory.headroomm is not a Presize setting")
        .contains("(did you mean presize.policy.memory.headroom?)")
        .doesNotContain("-D presize.policy.memory.headroom ");
  }

  @Test
  @DisplayName("what a key is: a known key, dashes or dots alike, or a source family's key is known, not another name"
      + " after that prefix; the closest known key is offered within a few edits, none when nothing is that close")
  void closest() {
    assertThat(KnownSettings.known("presize.policy.memory.headroom")).isTrue();
    assertThat(KnownSettings.known("presize.sampling.source.cgroup")).isTrue();
    assertThat(KnownSettings.known("presize.service.data.dir")).as("read as presize.service.data-dir").isTrue();
    assertThat(KnownSettings.known("presize.sampling.source.")).isFalse();
    assertThat(KnownSettings.known("presize.sampling.source.cgrop")).as("no such family").isFalse();
    assertThat(KnownSettings.closest("presize.sampling.source.cgrop")).contains("presize.sampling.source.cgroup");
    assertThat(KnownSettings.closest("presize.sampling.sourc.").orElse("")).doesNotEndWith(".");
    assertThat(KnownSettings.known("presize.sampler.interval")).isFalse();
    assertThat(KnownSettings.closest("presize.sampler.interval")).contains("presize.sampling.interval");
    assertThat(KnownSettings.closest("presize.sampling.sources.cgroup")).contains("presize.sampling.source.cgroup");
    assertThat(KnownSettings.closest("presize.checkpoint.intervall.min")).contains("presize.checkpoint.interval.min");
    assertThat(KnownSettings.closest("presize.something.else.entirely")).isEmpty();
    assertThat(KnownSettings.closest("headroom")).isEmpty();
    assertThat(KnownSettings.distance("kitten", "sitting", 10)).isEqualTo(3);
    assertThat(KnownSettings.distance("kitten", "sitting", 2)).isGreaterThanOrEqualTo(2);
    assertThat(KnownSettings.distance("", "abc", 10)).isEqualTo(3);
  }
}
