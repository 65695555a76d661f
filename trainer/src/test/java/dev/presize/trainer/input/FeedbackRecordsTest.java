package dev.presize.trainer.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackRecordsTest {

  private static String line(String id, double actual) {
    return "{\"forecastId\":\"" + id + "\",\"function\":\"f\",\"model\":\"m\",\"version\":\"v2\","
        + "\"issuedAt\":\"2026-11-24T00:00:00Z\",\"observedAt\":\"2026-11-24T00:00:01Z\",\"targets\":{"
        + "\"MEMORY_PEAK\":{\"actual\":" + actual + ",\"p50\":100,\"p90\":200,\"p99\":300},"
        + "\"CPU_MEAN\":{\"actual\":0.5,\"p50\":0.4,\"p90\":0.6,\"p99\":0.9}}}";
  }

  @Test
  @DisplayName("residual records are read per target and summarized: coverage of each quantile and p90 pinball")
  void summarizes(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("feedback.jsonl");
    Files.write(f, List.of(line("a", 50), line("b", 150), "", line("c", 250), line("d", 350)));
    List<FeedbackRecords.Residual> rs = FeedbackRecords.read(List.of(f));
    assertThat(rs).hasSize(8);
    List<FeedbackRecords.Summary> s = FeedbackRecords.summarize(rs);
    assertThat(s).extracting(FeedbackRecords.Summary::target).containsExactly("MEMORY_PEAK", "CPU_MEAN");
    FeedbackRecords.Summary mem = s.get(0);
    assertThat(mem.count()).isEqualTo(4);
    assertThat(mem.coverageP50()).isEqualTo(0.25);
    assertThat(mem.coverageP90()).isEqualTo(0.5);
    assertThat(mem.coverageP99()).isEqualTo(0.75);
    // pinball at 0.9: under-forecasts cost 0.9 per unit, over-forecasts 0.1
    assertThat(mem.pinballP90()).isCloseTo((0.1 * 150 + 0.1 * 50 + 0.9 * 50 + 0.9 * 150) / 4, within(1e-9));
    assertThat(s.get(1).coverageP90()).isEqualTo(1.0);
  }

  @Test
  @DisplayName("a line that is not a feedback record is refused with its file and line")
  void refusesMalformed(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.jsonl");
    Files.write(f, List.of(line("a", 1), "{\"forecastId\":\"x\",\"targets\":{\"CPU_MEAN\":{\"actual\":\"lots\"}}}"));
    assertThatThrownBy(() -> FeedbackRecords.read(List.of(f))).isInstanceOf(InputDataException.class)
        .hasMessageContaining("bad.jsonl").hasMessageContaining("2").hasMessageContaining("actual");
  }
}
