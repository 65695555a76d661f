package dev.presize.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the load generator. By default a 1-second smoke run (the build stays fast on a shared 2-core machine); the
 * measured run of docs/benchmarks.md passes {@code -Dload.seconds=10} (and optionally {@code -Dload.connections},
 * {@code -Dload.threads}, {@code -Dload.features}, {@code -Dload.rounds}, {@code -Dload.depth}).
 */
class LoadGeneratorTest {

  @TempDir
  Path root;

  @Test
  @DisplayName("the load generator measures forecasts/s and p99 for batches of 1 and 64 with no errors")
  void load() throws Exception {
    int seconds = Integer.getInteger("load.seconds", 1);
    boolean full = seconds > 1;
    List<LoadGenerator.Result> results = LoadGenerator.run(root, Integer.getInteger("load.features", full ? 80 : 16),
        Integer.getInteger("load.rounds", full ? 100 : 10), Integer.getInteger("load.depth", full ? 6 : 4),
        new int[] {1, 64}, Integer.getInteger("load.connections", 4),
        Duration.ofSeconds(full ? 2 : 1), Duration.ofSeconds(seconds), Integer.getInteger("load.threads", 4));
    for (LoadGenerator.Result r : results) {
      System.out.println("LOAD " + r);
      assertThat(r.errors()).isZero();
      assertThat(r.requests()).isPositive();
    }
  }
}
