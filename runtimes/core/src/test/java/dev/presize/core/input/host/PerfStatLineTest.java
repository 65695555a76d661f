package dev.presize.core.input.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.core.input.host.PerfStatLine.State;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Parsing of {@code perf stat -I 100 -x,} output. {@code perf-stat-I100-no-pmu.csv} was recorded on this
 * project's CI VM (perf 6.1, no PMU); {@code perf-stat-I100-pmu.csv} and {@code perf-stat-I100-hybrid.csv} follow
 * the same perf 6.1 CSV layout (time, value, unit, event, run time, run %, metric value, metric unit) with counts
 * of a PMU host, including multiplexed (80 %) and {@code <not counted>} intervals.
 */
class PerfStatLineTest {

  private static List<PerfStatLine> parseAll(String resource) {
    return Fixtures.text(resource).lines().map(l -> PerfStatLine.parse(l, true)).filter(Objects::nonNull).toList();
  }

  @Test
  @DisplayName("a PMU host's interval lines parse to event and count, the derived-metric fields ignored")
  void pmuLines() {
    List<PerfStatLine> lines = parseAll("/perf/perf-stat-I100-pmu.csv");
    assertThat(lines).hasSize(18);
    assertThat(lines.get(0)).isEqualTo(new PerfStatLine("instructions", 182_334_571L, State.COUNTED));
    assertThat(lines.get(3)).isEqualTo(new PerfStatLine("branch-misses", 412_907L, State.COUNTED));
    assertThat(lines.get(14)).isEqualTo(new PerfStatLine("branches", 0, State.NOT_COUNTED));
  }

  @Test
  @DisplayName("a host without a PMU reports every event <not supported> (recorded on this VM)")
  void noPmuLines() {
    List<PerfStatLine> lines = parseAll("/perf/perf-stat-I100-no-pmu.csv");
    assertThat(lines).isNotEmpty().allMatch(l -> l.state() == State.NOT_SUPPORTED);
    assertThat(lines.stream().map(PerfStatLine::event).distinct().toList())
        .containsExactlyElementsOf(PerfCounters.EVENTS);
  }

  @Test
  @DisplayName("hybrid PMU prefixes and event modifiers are removed from event names")
  void normalizesNames() {
    assertThat(PerfStatLine.parse("  0.1,91002113,,cpu_core/instructions/,100077412,100.00,1.37,insn per cycle", true))
        .isEqualTo(new PerfStatLine("instructions", 91_002_113L, State.COUNTED));
    assertThat(PerfStatLine.parse("5,,cycles:u,1000,100.00,,", false))
        .isEqualTo(new PerfStatLine("cycles", 5, State.COUNTED));
  }

  @Test
  @DisplayName("without -I the first field is the value; non-counter lines parse to null")
  void otherLines() {
    assertThat(PerfStatLine.parse("<not supported>,,instructions,0,100.00,,", false))
        .isEqualTo(new PerfStatLine("instructions", 0, State.NOT_SUPPORTED));
    assertThat(PerfStatLine.parse("1001.52,msec,task-clock,1001520000,100.00,0.999,CPUs utilized", false))
        .isEqualTo(new PerfStatLine("task-clock", 1002, State.COUNTED));
    assertThat(PerfStatLine.parse("", true)).isNull();
    assertThat(PerfStatLine.parse("# started on Mon Nov 24 01:42:00 2025", true)).isNull();
    assertThat(PerfStatLine.parse("Error: The sys_perf_event_open() syscall returned with 13", true)).isNull();
    assertThat(PerfStatLine.parse("     0.100,<not supported>", true)).isNull();
  }
}
