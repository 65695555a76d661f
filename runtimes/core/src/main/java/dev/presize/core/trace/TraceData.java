package dev.presize.core.trace;

import dev.presize.spi.metrics.Metric;
import java.util.Map;
import java.util.Objects;

/**
 * A trace loaded whole into memory: its header, footer, and samples as one timestamp array and one array per
 * column.
 *
 * <p>The arrays are shared, not copied (a trace can be large); callers must not modify them. As a record of
 * arrays its {@code equals} compares array identity.
 *
 * @param header the trace header
 * @param footer the footer attributes; empty when the trace is not {@code complete}
 * @param complete whether the end chunk was read, i.e. the writer finished
 * @param timestampsNanos sample timestamps, nanoseconds since the trace start, non-decreasing
 * @param columns one array per header column, each as long as {@code timestampsNanos}
 */
public record TraceData(
    TraceHeader header,
    Map<String, String> footer,
    boolean complete,
    long[] timestampsNanos,
    long[][] columns) {

  public TraceData {
    Objects.requireNonNull(header, "header");
    footer = Map.copyOf(footer);
    Objects.requireNonNull(timestampsNanos, "timestampsNanos");
    Objects.requireNonNull(columns, "columns");
    if (columns.length != header.columnCount()) {
      throw new IllegalArgumentException(
          "columns has " + columns.length + " arrays but the header has " + header.columnCount() + " columns");
    }
    for (int c = 0; c < columns.length; c++) {
      if (columns[c].length != timestampsNanos.length) {
        throw new IllegalArgumentException("column " + c + " (" + header.columns().get(c) + ") has "
            + columns[c].length + " values but there are " + timestampsNanos.length + " timestamps");
      }
    }
  }

  /** The number of samples. */
  public int sampleCount() {
    return timestampsNanos.length;
  }

  /** The values of the column with this metric key; throws {@link IllegalArgumentException} when absent. */
  public long[] column(String metricKey) {
    int index = header.columnIndex(metricKey);
    if (index < 0) {
      throw new IllegalArgumentException(
          "trace has no column '" + metricKey + "'; its columns are " + header.columns());
    }
    return columns[index];
  }

  /** The values of this metric's column; throws {@link IllegalArgumentException} when absent. */
  public long[] column(Metric metric) {
    return column(metric.key());
  }

  /** Whether the trace has a column with this metric key. */
  public boolean hasColumn(String metricKey) {
    return header.columnIndex(metricKey) >= 0;
  }
}
