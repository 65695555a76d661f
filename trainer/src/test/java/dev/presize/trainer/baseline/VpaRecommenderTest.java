package dev.presize.trainer.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.presize.spi.resources.Resource;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VpaRecommenderTest {

  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final long MIN5 = Duration.ofMinutes(5).toMillis();
  private static final double MIB = 1024.0 * 1024.0;
  private static final ExponentialBuckets MEM = ExponentialBuckets.VPA_MEMORY;

  private static double memEnd(double bytes) {
    return MEM.bucketStart(MEM.findBucket(bytes) + 1);
  }

  @Test
  @DisplayName("memory: several values in one 24 h interval are one peak sample, replaced as it grows")
  void memoryPeaksPerInterval() {
    VpaRecommender vpa = new VpaRecommender();
    vpa.observe(Resource.MEMORY, 0, 1e9); // opens the interval (0, 24h], peak sample at 24 h: weight 2^(24h/24h) = 2
    vpa.observe(Resource.MEMORY, HOUR, 3e9); // replaces the peak
    vpa.observe(Resource.MEMORY, 2 * HOUR, 2e9); // below the peak: nothing
    DecayingHistogram h = vpa.memoryHistogram();
    assertThat(h.totalWeight()).isCloseTo(2.0, within(1e-9));
    assertThat(h.bucketWeight(MEM.findBucket(3e9))).isCloseTo(2.0, within(1e-9));
    assertThat(h.bucketWeight(MEM.findBucket(1e9))).isCloseTo(0.0, within(1e-9));
    vpa.observe(Resource.MEMORY, 25 * HOUR, 5e8); // next interval, sample at 48 h: weight 4
    assertThat(h.totalWeight()).isCloseTo(6.0, within(1e-9));
    // p90 threshold 5.4: 5e8 holds 4, 3e9 brings it to 6 -> end of 3e9's bucket (56), times 1.15
    assertThat(vpa.recommend(Resource.MEMORY, 25 * HOUR)).isCloseTo(memEnd(3e9) * 1.15, within(1.0))
        .isCloseTo(3481230109.6, within(1.0));
  }

  @Test
  @DisplayName("confidence multipliers: d=1 -> upper x2, lower x1.001^-2; d=7 -> upper x8/7, lower x(1+0.001/7)^-2")
  void confidenceMultipliers() {
    assertThat(VpaRecommender.upperConfidenceMultiplier(1)).isEqualTo(2.0);
    assertThat(VpaRecommender.lowerConfidenceMultiplier(1)).isCloseTo(0.998002996, within(1e-9));
    assertThat(VpaRecommender.upperConfidenceMultiplier(7)).isCloseTo(1.142857143, within(1e-9));
    assertThat(VpaRecommender.lowerConfidenceMultiplier(7)).isCloseTo(0.999714347, within(1e-9));
  }

  @Test
  @DisplayName("one day of gap-free 5-minute CPU samples gives d = 1 and bounds with the d=1 multipliers")
  void confidenceOverOneDay() {
    VpaRecommender vpa = new VpaRecommender(VpaRecommender.Config.forStep(Duration.ofMinutes(5)), 0);
    for (int i = 0; i <= 288; i++) {
      vpa.observe(Resource.CPU, i * MIN5, 1.0);
    }
    assertThat(vpa.confidenceDays()).isCloseTo(1.0, within(1e-12)); // min(lifespan 1, 289 samples = 1.0035)
    VpaRecommender.Estimate e = vpa.estimate(Resource.CPU);
    double end = 1.0162813885540927; // end of the bucket of 1.0
    assertThat(e.target()).isCloseTo(end * 1.15, within(1e-9));
    assertThat(e.upperBound()).isCloseTo(end * 1.15 * 2, within(1e-9));
    assertThat(e.lowerBound()).isCloseTo(end * 1.15 * 0.998002996, within(1e-8));
  }

  @Test
  @DisplayName("recommendations are at least 25 millicores and 250 MiB; nothing observed means no recommendation")
  void minResources() {
    VpaRecommender vpa = new VpaRecommender();
    assertThat(vpa.recommend(Resource.CPU, 0)).isNaN();
    assertThat(vpa.recommend(Resource.NETWORK, 0)).isNaN();
    vpa.observe(Resource.CPU, MIN5, 0.001); // p90 = 0.01 (end of bucket 0) * 1.15 = 0.0115
    vpa.observe(Resource.MEMORY, MIN5, 1e6); // 1e7 * 1.15
    assertThat(vpa.recommend(Resource.CPU, MIN5)).isEqualTo(0.025);
    assertThat(vpa.recommend(Resource.MEMORY, MIN5)).isEqualTo(250 * MIB);
  }

  @Test
  @DisplayName("OOM bump: x1.2 when 20% exceeds 100 MiB")
  void oomRatioBranch() {
    VpaRecommender vpa = new VpaRecommender();
    assertThat(vpa.observeOom(HOUR, 1e9)).isTrue(); // max(1e9 + 100 MiB, 1.2e9) = 1.2e9
    assertThat(vpa.memoryHistogram().bucketWeight(MEM.findBucket(1.2e9))).isGreaterThan(0);
    assertThat(MEM.findBucket(1.2e9)).isNotEqualTo(MEM.findBucket(1e9 + 100 * MIB));
    assertThat(vpa.recommend(Resource.MEMORY, HOUR)).isCloseTo(memEnd(1.2e9) * 1.15, within(1.0));
  }

  @Test
  @DisplayName("OOM bump: +100 MiB when that exceeds 20%, from max(limit, current peak)")
  void oomMinBumpBranch() {
    VpaRecommender vpa = new VpaRecommender();
    vpa.observe(Resource.MEMORY, 0, 2e8);
    assertThat(vpa.observeOom(HOUR, 3e8)).isTrue(); // used max(3e8, 2e8); max(3e8 + 100 MiB, 3.6e8) = 404857600
    double needed = 3e8 + 100 * MIB;
    assertThat(MEM.findBucket(needed)).isNotEqualTo(MEM.findBucket(3.6e8));
    assertThat(vpa.memoryHistogram().bucketWeight(MEM.findBucket(needed))).isGreaterThan(0);
    assertThat(vpa.memoryHistogram().bucketWeight(MEM.findBucket(2e8))).isCloseTo(0, within(1e-9)); // replaced
    assertThat(vpa.recommend(Resource.MEMORY, HOUR)).isCloseTo(memEnd(needed) * 1.15, within(1.0))
        .isCloseTo(476450463.86, within(1.0));
  }

  @Test
  @DisplayName("CPU samples weigh max(request, 0.1): the first by the provisioned request, then by the own target")
  void cpuWeights() {
    VpaRecommender vpa = new VpaRecommender(VpaRecommender.Config.defaults(), 2.0);
    vpa.observe(Resource.CPU, 0, 1.0); // weight 2 (provisioned)
    assertThat(vpa.cpuHistogram().totalWeight()).isCloseTo(2.0, within(1e-12));
    vpa.observe(Resource.CPU, 0 + 1, 1.0); // weight = target 1.0162814 * 1.15 (time + 1 ms: decay ~1)
    assertThat(vpa.cpuHistogram().totalWeight()).isCloseTo(2.0 + 1.0162814 * 1.15, within(1e-5));
    VpaRecommender unit = new VpaRecommender(VpaRecommender.Config.defaults().withCpuWeightByRequest(false), 2.0);
    unit.observe(Resource.CPU, 0, 1.0);
    assertThat(unit.cpuHistogram().totalWeight()).isEqualTo(1.0);
  }

  @Test
  @DisplayName("time scaling: at a 10 ms step the 24 h half-life becomes 2.88 s (288 steps)")
  void timeScaling() {
    VpaRecommender.Config c = VpaRecommender.Config.forStep(Duration.ofMillis(10));
    assertThat(c.timeScale()).isCloseTo(1.0 / 30000, within(1e-15));
    VpaRecommender vpa = new VpaRecommender(c.withCpuWeightByRequest(false), 0);
    vpa.observe(Resource.CPU, 10, 0.5);
    vpa.observe(Resource.CPU, 10 + 2880, 2.0);
    assertThat(vpa.cpuHistogram().bucketWeight(49) / vpa.cpuHistogram().bucketWeight(25))
        .isCloseTo(2.0, within(1e-12));
    assertThat(VpaRecommender.Config.forStep(Duration.ofMinutes(5)).timeScale()).isEqualTo(1.0);
  }
}
