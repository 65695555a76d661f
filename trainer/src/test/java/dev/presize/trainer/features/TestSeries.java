package dev.presize.trainer.features;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.model.Series;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/** Hand-made series for the feature tests. */
final class TestSeries {

  static final long START_MILLIS = 1_000_000L;

  private TestSeries() {
  }

  /** A series at a 1 s step with the given resources. */
  static Series of(String id, Map<Resource, double[]> usage) {
    return of(id, Duration.ofSeconds(1), usage);
  }

  /** A series at {@code step} with the given resources. */
  static Series of(String id, Duration step, Map<Resource, double[]> usage) {
    return new Series(id, "test", START_MILLIS, step, usage, true, Map.of(), "");
  }

  /** A CPU-and-memory series at a 1 s step. */
  static Series cpuMemory(String id, double[] cpu, double[] memory) {
    return of(id, Map.of(Resource.CPU, cpu, Resource.MEMORY, memory));
  }

  /** The first {@code steps} steps of {@code s}. */
  static Series truncate(Series s, int steps) {
    Map<Resource, double[]> usage = new EnumMap<>(Resource.class);
    for (Resource r : s.usage().keySet()) {
      usage.put(r, Arrays.copyOf(s.values(r), steps));
    }
    return new Series(s.id(), s.source(), s.startMillis(), s.step(), usage, s.memoryIsPeak(), s.provisioned(),
        s.units(), s.function(), s.inputSize());
  }

  /** {@code s} with every value after step {@code t} replaced by {@code replace(resource, step, old)}. */
  static Series changeAfter(Series s, int t, Replacer replace) {
    Map<Resource, double[]> usage = new EnumMap<>(Resource.class);
    for (Resource r : s.usage().keySet()) {
      double[] v = s.values(r);
      for (int i = t + 1; i < v.length; i++) {
        v[i] = replace.value(r, i, v[i]);
      }
      usage.put(r, v);
    }
    return new Series(s.id(), s.source(), s.startMillis(), s.step(), usage, s.memoryIsPeak(), s.provisioned(),
        s.units(), s.function(), s.inputSize());
  }

  /** A replacement value for one step. */
  interface Replacer {
    double value(Resource resource, int step, double old);
  }
}
