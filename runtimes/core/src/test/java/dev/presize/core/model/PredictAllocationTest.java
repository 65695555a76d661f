package dev.presize.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prediction allocates nothing: measured with the thread's allocation counter over many calls after warm-up. */
class PredictAllocationTest {

  @TempDir
  Path dir;

  @DisplayName("predict, batch predict and QuantileModel.predict allocate nothing per call")
  @Test
  void noAllocation() throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes");
    threads.setThreadAllocatedMemoryEnabled(true);

    int features = ModelBundleTest.FEATURES;
    float[] x = Boosters.rows(2000, features, 0.1, 21);
    Booster b = Boosters.train(Boosters.quantileParams(6), x, 2000, features, 50);
    Path file;
    try {
      file = Boosters.save(b, dir, "memory.json");
    } finally {
      b.dispose();
    }
    TreeEnsemble ensemble = TreeEnsemble.load(file);
    Path bundleDir = Files.createDirectory(dir.resolve("bundle"));
    ModelBundleTest.write(bundleDir, ModelBundleTest.metadata(ModelBundleTest.SCHEMA, ModelBundleTest.LOG_RATIO),
        Files.readAllBytes(file));
    QuantileModel model = ModelBundle.load(bundleDir, ModelBundleTest.SCHEMA).target("memory");

    float[] rows = Boosters.rows(64, features, 0.15, 22);
    float[] row = new float[features];
    float[] out = new float[3];
    float[] batchOut = new float[64 * 3];
    double[] q = new double[3];
    float sink = 0;
    for (int i = 0; i < 50_000; i++) { // warm-up: let the JIT compile everything
      System.arraycopy(rows, (i % 64) * features, row, 0, features);
      ensemble.predict(row, out);
      model.predict(row, q);
      sink += out[0] + (float) q[2];
      if (i % 64 == 0) {
        ensemble.predict(rows, 64, batchOut);
      }
    }
    int calls = 100_000;
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < calls; i++) {
      System.arraycopy(rows, (i % 64) * features, row, 0, features);
      ensemble.predict(row, out);
      model.predict(row, q);
      sink += out[0] + (float) q[2];
      if (i % 64 == 0) {
        ensemble.predict(rows, 64, batchOut);
      }
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    long probeBefore = threads.getCurrentThreadAllocatedBytes();
    long[] probe = new long[16 * 1024];
    long probed = threads.getCurrentThreadAllocatedBytes() - probeBefore;
    assertThat(probed).as("the probe sees a 128 KiB array (%d longs)", probe.length)
        .isGreaterThanOrEqualTo(128 * 1024);

    System.out.printf("allocation: %d bytes for %d predict + QuantileModel.predict calls (sink %s)%n", allocated,
        calls, sink);
    assertThat(allocated).as("bytes allocated by %d calls of each", calls).isLessThan(1024);
  }
}
