package dev.presize.core.input.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.core.input.ByteCursor;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.SamplingTarget;
import dev.presize.testkit.RecordingSampleWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkingSetSourceTest {

  private static ByteCursor over(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return new ByteCursor().reset(b, b.length);
  }

  @Test
  @DisplayName("smaps_rollup: Referenced is read in kB and returned in bytes; a missing line is ABSENT")
  void parsesReferenced() {
    assertThat(SmapsRollup.referencedBytes(over(Fixtures.text("/smaps/smaps_rollup-jvm.txt"))))
        .isEqualTo(73_416L * 1024);
    assertThat(SmapsRollup.referencedBytes(over(""))).isEqualTo(ByteCursor.ABSENT);
    assertThat(SmapsRollup.referencedBytes(over("Rss: 12 kB\nPss: 3 kB\n"))).isEqualTo(ByteCursor.ABSENT);
  }

  @Test
  @DisplayName("a sample reads Referenced, then writes 1 to clear_refs; an emptied file keeps the last value")
  void samplesThenClears(@TempDir Path dir) throws Exception {
    Path rollup = dir.resolve("smaps_rollup");
    Path clearRefs = dir.resolve("clear_refs");
    Files.writeString(rollup, Fixtures.text("/smaps/smaps_rollup-jvm.txt"));
    Files.writeString(clearRefs, "");
    try (WorkingSetSource source = new WorkingSetSource("working-set", rollup, clearRefs,
        Duration.ofMillis(500), () -> true)) {
      assertThat(Files.readString(clearRefs)).as("cleared at creation").isEqualTo("1");
      Files.writeString(clearRefs, "");
      RecordingSampleWriter out = new RecordingSampleWriter();
      source.sample(out);
      assertThat(out.get(Metric.WORKING_SET_BYTES)).isEqualTo(73_416L * 1024);
      assertThat(Files.readString(clearRefs)).as("cleared after the read").isEqualTo("1");
      assertThat(source.interval()).isEqualTo(Duration.ofMillis(500));

      Files.writeString(rollup, ""); // what an exited process shows
      source.sample(out);
      assertThat(out.get(Metric.WORKING_SET_BYTES)).isEqualTo(73_416L * 1024);
    }
  }

  @Test
  @DisplayName("self-test: touching 16 MiB after clear_refs, by the clearing thread and by another, must show as"
      + " Referenced, else unsupported with the numbers")
  void selfTestAnswersFromWhatItMeasured() throws Exception {
    Path rollup = Path.of("/proc/self/smaps_rollup");
    Path clearRefs = Path.of("/proc/self/clear_refs");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(rollup) && Files.isWritable(clearRefs),
        "this host has no readable smaps_rollup or writable clear_refs");

    AccessedBitSelfTest.Result result = AccessedBitSelfTest.run(rollup, clearRefs);
    Support support = result.toSupport();

    assertThat(result.touchedBytes()).isEqualTo(16L << 20);
    assertThat(result.referencedBytes()).hasSize(AccessedBitSelfTest.ROUNDS);
    boolean everyRoundSawHalf = true;
    for (long referenced : result.referencedBytes()) {
      everyRoundSawHalf &= referenced >= result.touchedBytes() / 2;
    }
    assertThat(support.supported()).as(support.reason()).isEqualTo(everyRoundSawHalf);
    assertThat(support.reason()).matches(supportedOrNot(support.supported()));

    // The provider's (cached) probe gives one of the same two answers, in the same words.
    Support probed = new WorkingSetSourceProvider().probe(SamplingTarget.self(),
        ProviderContext.of(ConfigProperties.empty()));
    assertThat(probed.reason()).matches(supportedOrNot(probed.supported()));
  }

  private static String supportedOrNot(boolean supported) {
    String numbers = "touched 16 MiB, Referenced shows \\d+ kB after clear_refs \\(lowest of 10 rounds, the first"
        + " half touched by the clearing thread, the second by another: [\\d, ]+ kB\\)";
    return supported
        ? "accessed-bit working set works: " + numbers
        : "accessed-bit working set does not work on this kernel/VM: " + numbers
            + "; for JVM functions use jvm\\.heap\\.live";
  }

  @Test
  @DisplayName("the interval comes from presize.sampling.working-set.interval and defaults to 500ms")
  void intervalFromConfig(@TempDir Path dir) throws Exception {
    assertThat(WorkingSetSourceProvider.DEFAULT_INTERVAL).isEqualTo(Duration.ofMillis(500));
    ConfigProperties config = ConfigProperties.of(
        java.util.Map.of(WorkingSetSourceProvider.INTERVAL_KEY, "2s"));
    assertThat(config.getPositiveDuration(WorkingSetSourceProvider.INTERVAL_KEY,
        WorkingSetSourceProvider.DEFAULT_INTERVAL)).isEqualTo(Duration.ofSeconds(2));
  }
}
