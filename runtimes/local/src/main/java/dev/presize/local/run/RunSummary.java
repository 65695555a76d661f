package dev.presize.local.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code presize run} did, as its summary and {@code --json} report it.
 *
 * <p>Means are over the run's decision steps (each the same length, the last one possibly shorter and weighted by
 * its length): allocated is the limit in force during the step, used is the step's memory peak (the tree's RSS) and
 * mean CPU. Slack is {@code 1 - used / allocated} over the whole run. Throttled time is what the kernel reported
 * for the group's CPU quota.
 *
 * @param sizer the sizing method
 * @param exitCode the command's exit code (137 after an OOM kill)
 * @param seconds how long the command ran (the sum of its steps)
 * @param resizes limit changes applied
 * @param refusals resizes the actuator refused (e.g. below usage plus guard) or failed
 * @param guardRaises of the resizes, those the usage guard's reflex made between decisions (memory to usage plus
 *     the guard, when less than half the guard was left: memory rose faster than the loop followed it)
 * @param checkpoints checkpoints taken
 * @param oomKills processes of the group killed by the OOM killer
 * @param throttledSeconds time the group was throttled by its CPU quota, summed over CPUs (cgroup
 *     {@code throttled_time} / {@code throttled_usec}), so it can exceed the run's wall time
 * @param meanAllocatedBytes mean memory limit
 * @param meanUsedBytes mean memory used
 * @param meanAllocatedCores mean CPU limit, in cores
 * @param meanUsedCores mean CPU used, in cores
 * @param allocatedGbSeconds memory limit integrated over time, in GB·s (10^9 bytes)
 * @param actuationMillis time spent applying limits
 * @param memoryCoverageP90 share of forecasts whose memory p90 covered the need (NaN without forecasts)
 * @param cpuCoverageP90 the same for CPU
 * @param memoryWidening the headroom widening in force at the end (1 = none)
 * @param forecasts forecasts made
 * @param checkpointLog the checkpoints, in order
 * @param warnings what went wrong without stopping the run
 */
public record RunSummary(String sizer, int exitCode, double seconds, int resizes, int refusals, int guardRaises,
    int checkpoints,
    long oomKills, double throttledSeconds, double meanAllocatedBytes, double meanUsedBytes,
    double meanAllocatedCores, double meanUsedCores, double allocatedGbSeconds, double actuationMillis,
    double memoryCoverageP90, double cpuCoverageP90, double memoryWidening, long forecasts,
    List<RunController.CheckpointEvent> checkpointLog, List<String> warnings) {

  public RunSummary {
    checkpointLog = List.copyOf(checkpointLog);
    warnings = List.copyOf(warnings);
  }

  /** This summary with {@code more} warnings after its own, those not already said (e.g. the recorder's). */
  public RunSummary withWarnings(List<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<String> all = new java.util.ArrayList<>(warnings);
    more.stream().filter(w -> !all.contains(w)).forEach(all::add);
    return new RunSummary(sizer, exitCode, seconds, resizes, refusals, guardRaises, checkpoints, oomKills,
        throttledSeconds, meanAllocatedBytes, meanUsedBytes, meanAllocatedCores, meanUsedCores, allocatedGbSeconds,
        actuationMillis, memoryCoverageP90, cpuCoverageP90, memoryWidening, forecasts, checkpointLog, all);
  }

  static RunSummary of(String sizer, int exitCode, List<RunController.Point> timeline, List<Step> steps,
      Duration step, int resizes, int refusals, int guardRaises, List<RunController.CheckpointEvent> checkpoints,
      long oomKills, long actuationNanos, double memoryCoverage, double cpuCoverage, double widening, long forecasts,
      List<String> warnings) {
    double time = 0;
    double allocated = 0;
    double used = 0;
    double cores = 0;
    double coresUsed = 0;
    long throttled = 0;
    double previousEnd = Double.NaN;
    for (int i = 0; i < timeline.size(); i++) {
      RunController.Point p = timeline.get(i);
      double length = Double.isNaN(previousEnd) ? step.toNanos() / 1e9 : Math.max(0, p.seconds() - previousEnd);
      previousEnd = p.seconds();
      time += length;
      allocated += p.memoryLimitBytes() * length;
      used += p.memoryUsedBytes() * length;
      cores += p.cpuLimitMillicores() / 1000.0 * length;
      coresUsed += p.cpuCores() * length;
      throttled += steps.get(i).throttledNanos();
    }
    double t = time > 0 ? time : Double.NaN;
    return new RunSummary(sizer, exitCode, time, resizes, refusals, guardRaises, checkpoints.size(), oomKills,
        throttled / 1e9, allocated / t, used / t, cores / t, coresUsed / t, allocated / 1e9, actuationNanos / 1e6,
        memoryCoverage, cpuCoverage, widening, forecasts, checkpoints, warnings);
  }

  /**
   * Totals over several runs (the phases of one restored run, or every run of a method in the demo), each run
   * weighted by its length.
   */
  public record Totals(int runs, int failed, long oomKills, int resizes, int checkpoints, double throttledSeconds,
      double seconds, double allocatedByteSeconds, double usedByteSeconds, double coreSeconds,
      double usedCoreSeconds) {

    public static Totals of(List<RunSummary> summaries) {
      int failed = 0;
      long oom = 0;
      int resizes = 0;
      int checkpoints = 0;
      double throttled = 0;
      double seconds = 0;
      double allocated = 0;
      double used = 0;
      double cores = 0;
      double usedCores = 0;
      for (RunSummary s : summaries) {
        failed += s.exitCode() == 0 ? 0 : 1;
        oom += s.oomKills();
        resizes += s.resizes();
        checkpoints += s.checkpoints();
        throttled += s.throttledSeconds();
        seconds += s.seconds();
        allocated += s.meanAllocatedBytes() * s.seconds();
        used += s.meanUsedBytes() * s.seconds();
        cores += s.meanAllocatedCores() * s.seconds();
        usedCores += s.meanUsedCores() * s.seconds();
      }
      return new Totals(summaries.size(), failed, oom, resizes, checkpoints, throttled, seconds, allocated, used,
          cores, usedCores);
    }

    /** Memory limit integrated over time, in GB·s (10^9 bytes). */
    public double allocatedGbSeconds() {
      return allocatedByteSeconds / 1e9;
    }

    public double meanAllocatedBytes() {
      return allocatedByteSeconds / seconds;
    }

    public double meanUsedBytes() {
      return usedByteSeconds / seconds;
    }

    public double memorySlack() {
      return 1 - usedByteSeconds / allocatedByteSeconds;
    }

    public double cpuSlack() {
      return 1 - usedCoreSeconds / coreSeconds;
    }
  }

  /** {@code 1 - used / allocated} for memory. */
  public double memorySlack() {
    return 1 - meanUsedBytes / meanAllocatedBytes;
  }

  /** {@code 1 - used / allocated} for CPU. */
  public double cpuSlack() {
    return 1 - meanUsedCores / meanAllocatedCores;
  }

  /** The summary as the {@code --json} object (the keys first). */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("resizes", resizes);
    m.put("checkpoints", checkpoints);
    m.put("oomKills", oomKills);
    m.put("throttledSeconds", finite(throttledSeconds));
    m.put("meanAllocatedBytes", Math.round(meanAllocatedBytes));
    m.put("meanUsedBytes", Math.round(meanUsedBytes));
    m.put("memorySlack", finite(memorySlack()));
    m.put("cpuSlack", finite(cpuSlack()));
    m.put("exitCode", exitCode);
    m.put("sizer", sizer);
    m.put("seconds", finite(seconds));
    m.put("refusals", refusals);
    m.put("guardRaises", guardRaises);
    m.put("meanAllocatedCores", finite(meanAllocatedCores));
    m.put("meanUsedCores", finite(meanUsedCores));
    m.put("allocatedGbSeconds", finite(allocatedGbSeconds));
    m.put("actuationMillis", finite(actuationMillis));
    m.put("forecasts", forecasts);
    m.put("memoryCoverageP90", finite(memoryCoverageP90));
    m.put("cpuCoverageP90", finite(cpuCoverageP90));
    m.put("memoryWidening", finite(memoryWidening));
    m.put("checkpointLog", checkpointLog.stream().map(c -> {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("step", c.step());
      e.put("trigger", c.trigger().name());
      e.put("sequence", c.sequence());
      e.put("costMillis", c.cost().toNanos() / 1e6);
      e.put("leadMillis", c.lead().toNanos() / 1e6);
      e.put("stopped", c.stopped());
      e.put("reason", c.reason());
      return e;
    }).toList());
    m.put("warnings", warnings);
    return m;
  }

  /** The summary as one JSON line. */
  public String json() {
    return jsonLine(toJson());
  }

  /** {@code value} (maps, lists, strings, numbers, booleans, nulls) as compact JSON on one line. */
  public static String jsonLine(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write plain maps and numbers as JSON", e);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Object finite(double v) {
    return Double.isFinite(v) ? (Object) v : null;
  }
}
