package dev.presize.local;

import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.resources.ResourceProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link Recorder#record} runs and how.
 *
 * @param command the command and its arguments
 * @param outDir where the trace file goes (created if missing)
 * @param interval sampling interval
 * @param functionId the id stored in the trace (default: the command's file name)
 * @param inputSize the function's input size if known (stored in the trace header)
 * @param cgroup {@code auto} (a cgroup where the host allows, else none, said in the result), {@code none}, or
 *     a resource-group provider name ({@code cgroup-v1}, {@code cgroup-v2}: required)
 * @param limits limits for the cgroup, if any
 * @param config {@code presize.*} properties (source selection, cgroup roots, ...)
 * @param attributes extra trace-header attributes (e.g. a workload's seed)
 * @param traceName the trace's file name in {@code outDir}; empty: {@code <function>-<time>-<pid>.pstrace}
 * @param outputFile where the command's stdout and stderr go (and its stdin is /dev/null); empty: all three
 *     inherited from this process
 * @param timeout how long the command may run before it is stopped (SIGTERM, SIGKILL 5 s later); empty: no limit
 */
public record RecordOptions(List<String> command, Path outDir, Duration interval, String functionId,
    OptionalLong inputSize, String cgroup, Optional<ResourceProfile> limits, ConfigProperties config,
    Map<String, String> attributes, Optional<String> traceName, Optional<Path> outputFile,
    Optional<Duration> timeout) {

  public RecordOptions {
    command = List.copyOf(command);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("no command to record: give it after --, e.g. presize record -- sleep 1");
    }
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(interval, "interval");
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval must be positive, was " + interval);
    }
    if (interval.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("interval below 1ms is not supported, was " + interval);
    }
    Objects.requireNonNull(cgroup, "cgroup");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(config, "config");
    if (functionId == null || functionId.isBlank()) {
      functionId = Path.of(command.get(0)).getFileName().toString();
    }
    if (limits.isPresent() && cgroup.equals("none")) {
      throw new IllegalArgumentException("limits need a cgroup, but --cgroup none was given");
    }
    attributes = Map.copyOf(attributes);
    Objects.requireNonNull(traceName, "traceName");
    Objects.requireNonNull(outputFile, "outputFile");
    Objects.requireNonNull(timeout, "timeout");
    timeout.ifPresent(t -> {
      if (t.isZero() || t.isNegative()) {
        throw new IllegalArgumentException("timeout must be positive, was " + t);
      }
    });
    traceName.ifPresent(n -> {
      if (!n.endsWith(".pstrace") || n.contains("/")) {
        throw new IllegalArgumentException("trace name must be a file name ending in .pstrace, was '" + n + "'");
      }
    });
  }

  /** No extra header attributes, a generated trace name, inherited stdio, no timeout. */
  public RecordOptions(List<String> command, Path outDir, Duration interval, String functionId,
      OptionalLong inputSize, String cgroup, Optional<ResourceProfile> limits, ConfigProperties config) {
    this(command, outDir, interval, functionId, inputSize, cgroup, limits, config, Map.of(), Optional.empty(),
        Optional.empty(), Optional.empty());
  }

  /** The same options with a timeout. */
  public RecordOptions withTimeout(Duration t) {
    return new RecordOptions(command, outDir, interval, functionId, inputSize, cgroup, limits, config, attributes,
        traceName, outputFile, Optional.of(t));
  }

  /** Options with defaults: 10 ms, {@code ./traces}, cgroup auto, no limits, config from the environment. */
  public static RecordOptions of(List<String> command) {
    return new RecordOptions(command, Path.of("traces"), Duration.ofMillis(10), null, OptionalLong.empty(), "auto",
        Optional.empty(), ConfigProperties.fromEnvironment(Map.of()));
  }
}
