package dev.presize.core.trace;

import dev.presize.spi.metrics.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The header of a trace: what was run, where, under which limits, and the column order of every sample.
 *
 * <p>It is written once at the start of the file, so it holds only what is known before the first sample;
 * results known at the end (exit code, summary) go in the footer given to {@link TraceWriter#close(Map)}.
 * Build one with {@link #builder(String, List)}.
 *
 * @param formatVersion the format version of the file; {@link TraceFormatVersion#CURRENT} for a new trace
 * @param functionId the function sampled, e.g. {@code orders-api}; not blank
 * @param command the command and its arguments, in order; may be empty (a function sampled in process)
 * @param inputSizeBytes the size of the invocation's input, when known
 * @param limits the resource limits in force, e.g. {@code memory.limit=512Mi}; keys not blank
 * @param hostName the host the trace was recorded on; not blank
 * @param samplingInterval the nominal time between samples; positive
 * @param startTime the wall-clock time of timestamp 0
 * @param schemaId the id of the sample schema the column keys come from, e.g. {@link Metric#SCHEMA_ID}
 * @param columns the metric keys of the sample columns, in order; not empty, unique, not blank
 * @param attributes free attributes, e.g. the cgroup path or the source names; keys not blank
 */
public record TraceHeader(
    TraceFormatVersion formatVersion,
    String functionId,
    List<String> command,
    OptionalLong inputSizeBytes,
    Map<String, String> limits,
    String hostName,
    Duration samplingInterval,
    Instant startTime,
    String schemaId,
    List<String> columns,
    Map<String, String> attributes) {

  public TraceHeader {
    Objects.requireNonNull(formatVersion, "formatVersion");
    requireNotBlank("functionId", functionId);
    command = copyStrings("command", command);
    Objects.requireNonNull(inputSizeBytes, "inputSizeBytes");
    if (inputSizeBytes.isPresent() && inputSizeBytes.getAsLong() < 0) {
      throw new IllegalArgumentException(
          "inputSizeBytes must not be negative but was " + inputSizeBytes.getAsLong());
    }
    limits = copyMap("limits", limits);
    requireNotBlank("hostName", hostName);
    Objects.requireNonNull(samplingInterval, "samplingInterval");
    if (samplingInterval.isNegative() || samplingInterval.isZero()) {
      throw new IllegalArgumentException("samplingInterval must be positive but was " + samplingInterval);
    }
    try {
      samplingInterval.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "samplingInterval must fit in a long of nanoseconds but was " + samplingInterval, e);
    }
    Objects.requireNonNull(startTime, "startTime");
    requireNotBlank("schemaId", schemaId);
    columns = copyStrings("columns", columns);
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("columns must name at least one metric key but was empty");
    }
    if (columns.size() > TraceFormat.MAX_COLUMNS) {
      throw new IllegalArgumentException(
          "columns must be at most " + TraceFormat.MAX_COLUMNS + " but were " + columns.size());
    }
    Set<String> seen = new HashSet<>();
    for (String column : columns) {
      requireNotBlank("column", column);
      if (!seen.add(column)) {
        throw new IllegalArgumentException("columns must be unique but '" + column + "' repeats in " + columns);
      }
    }
    attributes = copyMap("attributes", attributes);
  }

  /** Starts a header of the current format version and schema with these columns; see {@link Builder}. */
  public static Builder builder(String functionId, List<String> columns) {
    return new Builder(functionId, columns);
  }

  /** Starts a header whose columns are the keys of these metrics, in order. */
  public static Builder builder(String functionId, Metric... metrics) {
    List<String> keys = new ArrayList<>(metrics.length);
    for (Metric m : metrics) {
      keys.add(m.key());
    }
    return new Builder(functionId, keys);
  }

  /** The number of values in every sample. */
  public int columnCount() {
    return columns.size();
  }

  /** The index of the column of this metric key, or -1 when the trace has no such column. */
  public int columnIndex(String metricKey) {
    return columns.indexOf(metricKey);
  }

  private static void requireNotBlank(String name, String value) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank but was '" + value + "'");
    }
  }

  private static List<String> copyStrings(String name, List<String> values) {
    Objects.requireNonNull(values, name);
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        throw new IllegalArgumentException(name + "[" + i + "] must not be null in " + values);
      }
    }
    return List.copyOf(values);
  }

  private static Map<String, String> copyMap(String name, Map<String, String> map) {
    Objects.requireNonNull(map, name);
    Map<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new IllegalArgumentException(name + " keys must not be blank but one was '" + e.getKey() + "'");
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException(name + "[" + e.getKey() + "] must not be null");
      }
      copy.put(e.getKey(), e.getValue());
    }
    return Collections.unmodifiableMap(copy);
  }

  /**
   * A builder of a {@link TraceHeader}, defaulting to the current format, {@link Metric#SCHEMA_ID}, a 10 ms
   * interval, no command, no input size, no limits, no attributes, host {@code unknown} and start time epoch.
   */
  public static final class Builder {
    private final String functionId;
    private final List<String> columns;
    private TraceFormatVersion formatVersion = TraceFormatVersion.CURRENT;
    private List<String> command = List.of();
    private OptionalLong inputSizeBytes = OptionalLong.empty();
    private final Map<String, String> limits = new LinkedHashMap<>();
    private String hostName = "unknown";
    private Duration samplingInterval = Duration.ofMillis(10);
    private Instant startTime = Instant.EPOCH;
    private String schemaId = Metric.SCHEMA_ID;
    private final Map<String, String> attributes = new LinkedHashMap<>();

    private Builder(String functionId, List<String> columns) {
      this.functionId = functionId;
      this.columns = columns;
    }

    public Builder formatVersion(TraceFormatVersion v) {
      this.formatVersion = v;
      return this;
    }

    public Builder command(List<String> commandAndArguments) {
      this.command = commandAndArguments;
      return this;
    }

    public Builder inputSizeBytes(long bytes) {
      this.inputSizeBytes = OptionalLong.of(bytes);
      return this;
    }

    public Builder limit(String name, String value) {
      this.limits.put(name, value);
      return this;
    }

    public Builder limits(Map<String, String> all) {
      this.limits.putAll(all);
      return this;
    }

    public Builder hostName(String name) {
      this.hostName = name;
      return this;
    }

    public Builder samplingInterval(Duration interval) {
      this.samplingInterval = interval;
      return this;
    }

    public Builder startTime(Instant time) {
      this.startTime = time;
      return this;
    }

    public Builder schemaId(String id) {
      this.schemaId = id;
      return this;
    }

    public Builder attribute(String name, String value) {
      this.attributes.put(name, value);
      return this;
    }

    public Builder attributes(Map<String, String> all) {
      this.attributes.putAll(all);
      return this;
    }

    /** The header; throws {@link IllegalArgumentException} naming the first invalid value. */
    public TraceHeader build() {
      return new TraceHeader(formatVersion, functionId, command, inputSizeBytes, limits, hostName,
          samplingInterval, startTime, schemaId, columns, attributes);
    }
  }
}
