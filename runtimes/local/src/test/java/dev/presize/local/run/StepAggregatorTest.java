package dev.presize.local.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StepAggregatorTest {

  private static final List<String> COLUMNS = List.of("cgroup.cpu.usage", "proc.rss", "cgroup.memory.usage",
      "cgroup.cpu.throttled", "cgroup.memory.oom.kills");
  private static final long MS = 1_000_000L;

  @Test
  @DisplayName("10 ms samples fold into 100 ms steps: mean cores, RSS peak, group usage at the end, throttled delta")
  void foldsSamplesIntoSteps() {
    StepAggregator a = new StepAggregator(COLUMNS, Duration.ofMillis(100));
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i <= 25; i++) {
      long t = i * 10 * MS;
      long cpu = i * 5 * MS; // half a core
      long rss = (100 + (i % 10 == 3 ? 50 : i)) << 20; // a spike at the 4th sample of each step
      long throttled = i * MS; // 1 ms throttled every 10 ms
      Step s = a.accept(t, new long[] {cpu, rss, rss + (8 << 20), throttled, i >= 20 ? 1 : 0});
      if (s != null) {
        steps.add(s);
      }
    }
    assertThat(steps).hasSize(2);
    Step first = steps.get(0);
    assertThat(first.index()).isZero();
    assertThat(first.cpuCores()).isCloseTo(0.5, within(1e-9));
    assertThat(first.memoryBytes()).isEqualTo((double) (150L << 20)); // the spike, not the last sample
    assertThat(first.groupMemoryBytes()).isEqualTo((110L + 8) << 20);
    assertThat(first.throttledNanos()).isEqualTo(10 * MS);
    assertThat(first.usedMemoryBytes()).isEqualTo(first.groupMemoryBytes());
    assertThat(steps.get(1).oomKills()).isEqualTo(1);
    Step last = a.flush();
    assertThat(last).isNotNull();
    assertThat(last.index()).isEqualTo(2);
    assertThat(last.endNanos()).isEqualTo(250 * MS);
    assertThat(a.flush()).as("nothing left after a flush").isNull();
  }

  @Test
  @DisplayName("a stalled sampler realigns the steps instead of emitting empty ones; without a CPU column it refuses")
  void realignsAndRefuses() {
    StepAggregator a = new StepAggregator(COLUMNS, Duration.ofMillis(100));
    assertThat(a.accept(0, new long[] {0, 1, 1, 0, 0})).isNull();
    Step late = a.accept(450 * MS, new long[] {450 * MS, 2, 2, 0, 0});
    assertThat(late.cpuCores()).isCloseTo(1.0, within(1e-9));
    assertThat(a.accept(500 * MS, new long[] {450 * MS, 2, 2, 0, 0})).as("next boundary is 550 ms").isNull();
    assertThat(a.accept(550 * MS, new long[] {450 * MS, 2, 2, 0, 0}).cpuCores()).isZero();
    assertThatThrownBy(() -> new StepAggregator(List.of("proc.rss"), Duration.ofMillis(100)))
        .hasMessageContaining("no CPU column");
  }

  @Test
  @DisplayName("the usage the guard keeps memory above is the group's working set where sampled (not its page cache),"
      + " else its usage, else the tree's RSS")
  void guardedUsageIsTheWorkingSet() {
    List<String> withWorkingSet = List.of("cgroup.cpu.usage", "proc.rss", "cgroup.memory.usage",
        "cgroup.memory.workingset");
    StepAggregator a = new StepAggregator(withWorkingSet, Duration.ofMillis(100));
    Step s = null;
    for (int i = 0; s == null; i++) { // 20 MiB used, 900 MiB of usage with the cache a file write left
      s = a.accept(i * 10 * MS, new long[] {i * MS, 20L << 20, 900L << 20, 24L << 20});
    }
    assertThat(s.groupMemoryBytes()).isEqualTo(900L << 20);
    assertThat(s.usedMemoryBytes()).isEqualTo(24L << 20);
    assertThat(new Step(0, 0, 0, 20 << 20, 900L << 20, -1, 0, 0, 0, 0).usedMemoryBytes()).isEqualTo(900L << 20);
    assertThat(new Step(0, 0, 0, 20 << 20, -1, -1, 0, 0, 0, 0).usedMemoryBytes()).isEqualTo(20L << 20);
  }
}
