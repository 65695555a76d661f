package dev.presize.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the load generator. By default a 1-second smoke run (the build stays fast on a shared 2-core machine); the
 * measured run of docs/benchmarks.md passes {@code -Dload.seconds=10} (the other {@code load.*} properties are
 * listed at {@link LoadGenerator#runFromProperties}).
 */
class LoadGeneratorTest {

  @TempDir
  Path root;

  @Test
  @DisplayName("the load generator measures forecasts/s and p99 for batches of 1 and 64 with no errors")
  void load() throws Exception {
    List<LoadGenerator.Result> results = LoadGenerator.runFromProperties(root);
    for (LoadGenerator.Result r : results) {
      System.out.println("LOAD " + r);
      assertThat(r.errors()).isZero();
      assertThat(r.requests()).isPositive();
    }
  }
}
