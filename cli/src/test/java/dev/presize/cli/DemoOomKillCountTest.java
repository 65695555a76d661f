package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OOM kills a run counts, the demo's headline metric, on this host's real cgroup (skipped without a writable
 * one): a command killed before the first decision step closes is counted too.
 */
class DemoOomKillCountTest {

  @Test
  @DisplayName("a command OOM-killed within the first decision step has its OOM kills counted (it counted 0: the"
      + " count started from the first step's value, which already held the kill)")
  void killInTheFirstStepIsCounted(@TempDir Path dir) throws Exception {
    CliRun.assumeCgroup();
    // 50 MB into a shell variable under a 16Mi limit: killed at once, well inside the first (5 s) step
    CliRun r = CliRun.of("run", "--json", "--sizer", "static", "--memory", "16Mi", "--step", "5s", "--out",
        dir.toString(), "--", "sh", "-c", "x=$(head -c 50000000 /dev/zero | tr '\\0' a)");
    assertThat(r.exit()).as(r.err()).isEqualTo(137);
    String[] lines = r.out().strip().split("\n");
    JsonNode summary = new ObjectMapper().readTree(lines[lines.length - 1]);
    // the shell, head and tr share the group: the kernel kills the largest, and now and then one more (2 in 1 of 4
    // runs here) before the charge fits
    assertThat(summary.get("oomKills").asLong()).as(r.out()).isBetween(1L, 3L);
  }
}
