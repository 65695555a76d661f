package dev.presize.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeadEstimateTest {

  private static final Duration PRIOR = Duration.ofMillis(400);

  @Test
  @DisplayName("the prior until a lead is measured, then the longest of the last 8 but at most twice their median:"
      + " one stall does not set the lead for the next 8")
  void longestOfTheLast() {
    LeadEstimate e = new LeadEstimate(PRIOR);
    assertThat(e.lead()).isEqualTo(PRIOR);
    e.observe(50_000_000);
    assertThat(e.lead()).isEqualTo(Duration.ofMillis(50)); // a measurement replaces the prior, even a shorter one
    e.observe(300_000_000);
    e.observe(100_000_000);
    assertThat(e.lead()).isEqualTo(Duration.ofMillis(200)); // 300 capped at twice the median of (50, 100, 300)
    e.observe(280_000_000);
    e.observe(260_000_000);
    assertThat(e.lead()).isEqualTo(Duration.ofMillis(300)); // median 260: the longest stands
    for (int i = 0; i < 8; i++) {
      e.observe(i == 3 ? 5_000_000_000L : 100_000_000);
    }
    assertThat(e.lead()).isEqualTo(Duration.ofMillis(200)); // a 5 s stall among 100 ms leads
    assertThatThrownBy(() -> e.observe(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("saved and loaded as it was; a missing file is a fresh estimate")
  void roundTrip(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("functions/f.lead");
    assertThat(LeadEstimate.load(file, PRIOR).lead()).isEqualTo(PRIOR);
    LeadEstimate e = new LeadEstimate(PRIOR);
    e.observe(120_000_000);
    e.observe(450_000_000);
    e.save(file);
    assertThat(Files.readAllLines(file)).containsExactly("presize-checkpoint-lead/1", "120000000", "450000000");
    LeadEstimate back = LeadEstimate.load(file, PRIOR);
    assertThat(back.lead()).isEqualTo(Duration.ofMillis(240)); // 450, at most twice the lower median 120
    assertThat(back.samples()).isEqualTo(2);
  }

  @Test
  @DisplayName("runs of one function saving in turn keep every run's leads (the last 8 in all): no run's are lost")
  void concurrentRunsMerge(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("f.lead");
    LeadEstimate a = LeadEstimate.load(file, PRIOR);
    LeadEstimate b = LeadEstimate.load(file, PRIOR);
    a.observe(700_000_000);
    b.observe(100_000_000);
    b.observe(200_000_000);
    a.save(file);
    b.save(file); // b loaded before a saved: it adds its own to what a wrote
    assertThat(Files.readAllLines(file)).containsExactly("presize-checkpoint-lead/1", "700000000", "100000000",
        "200000000");
    assertThat(b.lead()).isEqualTo(Duration.ofMillis(400)); // the merged leads: 700, capped at twice 200
    for (int i = 0; i < 8; i++) {
      b.observe(10_000_000);
    }
    b.save(file);
    assertThat(LeadEstimate.load(file, PRIOR).lead()).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  @DisplayName("a damaged file is refused naming the file and line, and a save leaves it alone")
  void damaged(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("f.lead");
    Files.writeString(file, "presize-checkpoint-lead/1\n12x\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> LeadEstimate.load(file, PRIOR)).isInstanceOf(IOException.class)
        .hasMessageContaining(file + " line 2").hasMessageContaining("'12x'");
    LeadEstimate e = new LeadEstimate(PRIOR);
    e.observe(1);
    assertThatThrownBy(() -> e.save(file)).isInstanceOf(IOException.class);
    assertThat(Files.readString(file)).isEqualTo("presize-checkpoint-lead/1\n12x\n");
    Files.writeString(file, "presize-exceedance-calibration/2\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> LeadEstimate.load(file, PRIOR)).hasMessageContaining("is not a checkpoint lead file");
    Files.writeString(file, "presize-checkpoint-lead/1\n-5\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> LeadEstimate.load(file, PRIOR)).hasMessageContaining("line 2");
  }
}
