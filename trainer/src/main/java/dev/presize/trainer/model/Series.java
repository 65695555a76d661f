package dev.presize.trainer.model;

import dev.presize.spi.resources.Resource;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One resource-usage time series at a fixed step: what a function, VM or container used, step by step.
 *
 * <p>Values per step, in the units the forecasts use: {@link Resource#CPU} mean cores over the step;
 * {@link Resource#MEMORY} the peak bytes in the step where the source has peaks, else the mean (see
 * {@link #memoryIsPeak()}); {@link Resource#NETWORK} and {@link Resource#DISK} mean bytes per second. A resource
 * the source does not have is absent; a step a source has no value for is {@code NaN}. Step {@code i} covers
 * {@code (start + i*step, start + (i+1)*step]}.
 *
 * @param id unique within its dataset, e.g. {@code bitbrains/17} or {@code presize/matrix-multiply-s512-r0}
 * @param source the dataset: {@code presize}, {@code bitbrains}, {@code google}
 * @param startMillis epoch milliseconds at the start of step 0
 * @param step the step
 * @param usage per resource, one value per step (all arrays the same length)
 * @param memoryIsPeak whether MEMORY values are peaks within the step (true) or means (false)
 * @param provisioned the static allocation the series ran with, per resource, where known (the "static" baseline)
 * @param units a note on units where they are not cores and bytes (Google's are normalized), else empty
 * @param function the function this series is one invocation of (our traces' function id), else empty: series of
 *     the same function form its invocation history
 * @param inputSize the invocation's input size where known (our traces), else NaN
 */
public record Series(String id, String source, long startMillis, Duration step, Map<Resource, double[]> usage,
    boolean memoryIsPeak, Map<Resource, Double> provisioned, String units, String function, double inputSize) {

  /** A series that is not an invocation of a known function (VMs, tasks). */
  public Series(String id, String source, long startMillis, Duration step, Map<Resource, double[]> usage,
      boolean memoryIsPeak, Map<Resource, Double> provisioned, String units) {
    this(id, source, startMillis, step, usage, memoryIsPeak, provisioned, units, "", Double.NaN);
  }

  public Series {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(units, "units");
    Objects.requireNonNull(function, "function");
    if (step.isZero() || step.isNegative()) {
      throw new IllegalArgumentException("series " + id + ": step must be positive, was " + step);
    }
    if (usage.isEmpty()) {
      throw new IllegalArgumentException("series " + id + " has no resource");
    }
    int n = -1;
    for (Map.Entry<Resource, double[]> e : usage.entrySet()) {
      if (n >= 0 && e.getValue().length != n) {
        throw new IllegalArgumentException("series " + id + ": " + e.getKey() + " has " + e.getValue().length
            + " steps, others " + n);
      }
      n = e.getValue().length;
    }
    usage = Map.copyOf(new EnumMap<>(usage));
    provisioned = Map.copyOf(provisioned);
  }

  /** Steps in the series. */
  public int length() {
    return usage.values().iterator().next().length;
  }

  /** Whether the series has {@code resource}. */
  public boolean has(Resource resource) {
    return usage.containsKey(resource);
  }

  /** The values of {@code resource} (a copy). */
  public double[] values(Resource resource) {
    double[] v = usage.get(resource);
    if (v == null) {
      throw new IllegalArgumentException("series " + id + " has no " + resource + "; has " + usage.keySet());
    }
    return v.clone();
  }

  /** The value of {@code resource} at step {@code i}. */
  public double value(Resource resource, int i) {
    return usage.get(resource)[i];
  }

  /** The provisioned amount of {@code resource}, if known. */
  public OptionalDouble provisioned(Resource resource) {
    Double v = provisioned.get(resource);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** Epoch milliseconds at the end of the last step. */
  public long endMillis() {
    return endMillis(length() - 1);
  }

  /** Epoch milliseconds at the end of step {@code i}. */
  public long endMillis(int i) {
    return startMillis + (i + 1) * step.toMillis();
  }

  @Override
  public String toString() {
    return "Series[" + id + ", " + length() + " x " + step + ", " + usage.keySet() + "]";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Series s)) {
      return false;
    }
    if (!id.equals(s.id) || !source.equals(s.source) || startMillis != s.startMillis || !step.equals(s.step)
        || memoryIsPeak != s.memoryIsPeak || !provisioned.equals(s.provisioned) || !units.equals(s.units)
        || !function.equals(s.function) || Double.compare(inputSize, s.inputSize) != 0
        || !usage.keySet().equals(s.usage.keySet())) {
      return false;
    }
    for (Resource r : usage.keySet()) {
      if (!Arrays.equals(usage.get(r), s.usage.get(r))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, source, startMillis, step);
  }
}
