package dev.presize.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HourOfWeekProfileTest {

  private static final Instant MONDAY_9 = Instant.parse("2026-11-23T09:15:00Z");

  @Test
  @DisplayName("a saved profile loads back with the same learned hours and keeps learning; none yet is empty")
  void saveAndLoad(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("p/pressure-profile.txt");
    assertThat(HourOfWeekProfile.load(file, 0.5).observations(MONDAY_9)).isZero();
    HourOfWeekProfile p = new HourOfWeekProfile(0.5);
    p.observe(MONDAY_9, 40);
    p.observe(MONDAY_9.plusSeconds(60), 20);
    p.observe(MONDAY_9.plusSeconds(3 * 3600), 5);
    p.save(file);
    HourOfWeekProfile back = HourOfWeekProfile.load(file, 0.5);
    assertThat(back.expected(MONDAY_9)).isEqualTo(30.0);
    assertThat(back.observations(MONDAY_9)).isEqualTo(2);
    assertThat(back.lowestAfter(MONDAY_9, MONDAY_9.plusSeconds(5 * 3600)).pressurePercent()).isEqualTo(5.0);
    back.observe(MONDAY_9, 10);
    assertThat(back.expected(MONDAY_9)).isEqualTo(20.0);
    try (var files = Files.list(file.getParent())) {
      assertThat(files).as("no temp file left (the lock file stays)").containsExactlyInAnyOrder(file,
          file.resolveSibling("pressure-profile.txt.lock"));
    }
  }

  @Test
  @DisplayName("two runs that loaded the same profile and save it in turn both keep what they observed")
  void concurrentSavesMerge(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("pressure-profile.txt");
    HourOfWeekProfile first = new HourOfWeekProfile(0.5);
    first.observe(MONDAY_9, 40);
    first.save(file);
    HourOfWeekProfile a = HourOfWeekProfile.load(file, 0.5);
    HourOfWeekProfile b = HourOfWeekProfile.load(file, 0.5);
    a.observe(MONDAY_9, 20); // 40 -> 30: a moved the hour by -10
    b.observe(MONDAY_9, 60); // 40 -> 50: b moved it by +10
    b.observe(MONDAY_9.plusSeconds(3600), 8); // an hour only b saw
    a.observe(MONDAY_9.plusSeconds(7200), 4); // and one only a saw
    b.observe(MONDAY_9.plusSeconds(7200), 12);
    a.save(file);
    b.save(file);
    HourOfWeekProfile merged = HourOfWeekProfile.load(file, 0.5);
    assertThat(merged.expected(MONDAY_9)).as("both moves kept").isEqualTo(40.0);
    assertThat(merged.observations(MONDAY_9)).isEqualTo(3);
    assertThat(merged.expected(MONDAY_9.plusSeconds(3600))).isEqualTo(8.0);
    assertThat(merged.expected(MONDAY_9.plusSeconds(7200))).as("new to both: count-weighted").isEqualTo(8.0);
    assertThat(merged.observations(MONDAY_9.plusSeconds(7200))).isEqualTo(2);
    a.save(file);
    assertThat(HourOfWeekProfile.load(file, 0.5).observations(MONDAY_9)).as("a second save adds nothing twice")
        .isEqualTo(3);
  }

  @Test
  @DisplayName("a damaged profile is refused naming the file and line")
  void refusesDamaged(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("p.txt");
    Files.writeString(file, HourOfWeekProfile.FORMAT + "\n3 12.5 2\n999 1 1\n");
    assertThatThrownBy(() -> HourOfWeekProfile.load(file, 0.5)).isInstanceOf(IOException.class)
        .hasMessageContaining("p.txt line 3");
    Files.writeString(file, "something else\n");
    assertThatThrownBy(() -> HourOfWeekProfile.load(file, 0.5)).hasMessageContaining("not a pressure profile");
  }
}
