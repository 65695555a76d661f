package dev.presize.trainer.train;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Seeded synthetic series with a known noise law, for training tests. */
public final class Synthetic {

  private Synthetic() {
  }

  /**
   * {@code count} series of {@code steps} 1-second steps: memory at a per-series level (10 MiB to 1 GiB) times
   * independent log-normal noise (sigma 0.1) at every step, CPU a noisy square wave (0.2 and 1.2 cores).
   */
  public static List<Series> series(int count, int steps, long seed) {
    Random random = new Random(seed);
    List<Series> out = new ArrayList<>(count);
    for (int s = 0; s < count; s++) {
      double level = Math.exp(Math.log(10 << 20) + random.nextDouble() * Math.log(100));
      double[] memory = new double[steps];
      double[] cpu = new double[steps];
      for (int i = 0; i < steps; i++) {
        memory[i] = level * Math.exp(0.1 * random.nextGaussian());
        cpu[i] = Math.max(0, ((i / 20) % 2 == 0 ? 0.2 : 1.2) + 0.05 * random.nextGaussian());
      }
      Map<Resource, double[]> usage = new EnumMap<>(Resource.class);
      usage.put(Resource.MEMORY, memory);
      usage.put(Resource.CPU, cpu);
      out.add(new Series("synthetic/" + s, "synthetic", 1_000_000L, Duration.ofSeconds(1), usage, true,
          Map.of(Resource.MEMORY, 4.0 * level, Resource.CPU, 2.0), ""));
    }
    return out;
  }
}
