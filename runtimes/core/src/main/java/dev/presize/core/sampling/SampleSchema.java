package dev.presize.core.sampling;

import dev.presize.spi.metrics.Metric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;

/**
 * The columns of a sampler's samples: an ordered list of metrics, with an allocation-free metric-to-column map.
 */
public final class SampleSchema {

  private final List<Metric> columns;
  private final int[] columnOf;

  private SampleSchema(List<Metric> columns) {
    this.columns = List.copyOf(columns);
    this.columnOf = new int[Metric.values().length];
    Arrays.fill(columnOf, -1);
    for (int i = 0; i < this.columns.size(); i++) {
      columnOf[this.columns.get(i).ordinal()] = i;
    }
  }

  /** The given metrics in the schema's canonical (declaration) order, duplicates removed. */
  public static SampleSchema of(Collection<Metric> metrics) {
    EnumSet<Metric> set = metrics.isEmpty() ? EnumSet.noneOf(Metric.class) : EnumSet.copyOf(metrics);
    return new SampleSchema(new ArrayList<>(set));
  }

  public List<Metric> columns() {
    return columns;
  }

  public int size() {
    return columns.size();
  }

  /** The column of {@code metric}, or -1 when the schema lacks it. Allocation-free. */
  public int columnOf(Metric metric) {
    return columnOf[metric.ordinal()];
  }

  /** The stable keys of the columns, in order (what traces store). */
  public List<String> keys() {
    return columns.stream().map(Metric::key).toList();
  }
}
