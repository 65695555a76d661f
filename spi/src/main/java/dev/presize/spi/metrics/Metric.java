package dev.presize.spi.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The sample schema: every quantity a metric source may report, each a {@code long} with a fixed kind and unit.
 *
 * <p>The {@link #key()} is stable and is what traces store, so a trace written with one version of this enum reads
 * with another. New metrics are only ever appended; a key is never reused for a different meaning. Counters of a
 * process tree include the tree's waited-for children (the kernel adds them to their parent when reaped).
 */
public enum Metric {
  // --- /proc/<pid>/stat, status, io: summed over the process tree -------------------------------------------
  /** User-mode CPU time of the tree, including waited-for children. */
  PROC_CPU_USER_NANOS("proc.cpu.user", MetricKind.COUNTER, MetricUnit.NANOSECONDS),
  /** Kernel-mode CPU time of the tree, including waited-for children. */
  PROC_CPU_SYSTEM_NANOS("proc.cpu.system", MetricKind.COUNTER, MetricUnit.NANOSECONDS),
  /** Resident set size summed over the tree's live processes (shared pages count once per process). */
  PROC_RSS_BYTES("proc.rss", MetricKind.GAUGE, MetricUnit.BYTES),
  /** Minor page faults (no I/O): a proxy for fresh memory being touched. */
  PROC_MINOR_FAULTS("proc.faults.minor", MetricKind.COUNTER, MetricUnit.COUNT),
  /** Major page faults (I/O needed): memory pressure or cold file pages. */
  PROC_MAJOR_FAULTS("proc.faults.major", MetricKind.COUNTER, MetricUnit.COUNT),
  /** Bytes read from storage ({@code read_bytes} of /proc/pid/io). */
  PROC_READ_BYTES("proc.io.read", MetricKind.COUNTER, MetricUnit.BYTES),
  /** Bytes sent to storage ({@code write_bytes} of /proc/pid/io, page-cache writeback included). */
  PROC_WRITE_BYTES("proc.io.write", MetricKind.COUNTER, MetricUnit.BYTES),
  /** Bytes passed to read-like syscalls, any file or socket ({@code rchar}). */
  PROC_READ_CHARS("proc.io.rchar", MetricKind.COUNTER, MetricUnit.BYTES),
  /** Bytes passed to write-like syscalls, any file or socket ({@code wchar}). */
  PROC_WRITE_CHARS("proc.io.wchar", MetricKind.COUNTER, MetricUnit.BYTES),
  /** Read-like syscalls ({@code syscr}). */
  PROC_READ_SYSCALLS("proc.io.syscr", MetricKind.COUNTER, MetricUnit.COUNT),
  /** Write-like syscalls ({@code syscw}). */
  PROC_WRITE_SYSCALLS("proc.io.syscw", MetricKind.COUNTER, MetricUnit.COUNT),
  /** Threads in the tree. */
  PROC_THREADS("proc.threads", MetricKind.GAUGE, MetricUnit.COUNT),
  /** Live processes in the tree. */
  PROC_PROCESSES("proc.processes", MetricKind.GAUGE, MetricUnit.COUNT),

  // --- /proc/<pid>/net/dev: the target's network namespace, loopback included -----------------------------
  NET_RX_BYTES("net.rx.bytes", MetricKind.COUNTER, MetricUnit.BYTES),
  NET_TX_BYTES("net.tx.bytes", MetricKind.COUNTER, MetricUnit.BYTES),
  NET_RX_PACKETS("net.rx.packets", MetricKind.COUNTER, MetricUnit.COUNT),
  NET_TX_PACKETS("net.tx.packets", MetricKind.COUNTER, MetricUnit.COUNT),

  // --- cgroup v1 or v2 of the target ------------------------------------------------------------------------
  /** CPU time charged to the cgroup ({@code cpuacct.usage} or {@code cpu.stat usage_usec}). */
  CGROUP_CPU_USAGE_NANOS("cgroup.cpu.usage", MetricKind.COUNTER, MetricUnit.NANOSECONDS),
  /** Time the cgroup was throttled by its CPU quota. */
  CGROUP_CPU_THROTTLED_NANOS("cgroup.cpu.throttled", MetricKind.COUNTER, MetricUnit.NANOSECONDS),
  /** Enforcement periods in which the cgroup was throttled. */
  CGROUP_CPU_THROTTLED_PERIODS("cgroup.cpu.throttled.periods", MetricKind.COUNTER, MetricUnit.COUNT),
  /** Enforcement periods elapsed while the cgroup was runnable. */
  CGROUP_CPU_PERIODS("cgroup.cpu.periods", MetricKind.COUNTER, MetricUnit.COUNT),
  /** The CPU limit in force (quota / period), 0 when unlimited. */
  CGROUP_CPU_LIMIT_MILLICORES("cgroup.cpu.limit", MetricKind.GAUGE, MetricUnit.MILLICORES),
  /** Memory charged to the cgroup (page cache included). */
  CGROUP_MEMORY_USAGE_BYTES("cgroup.memory.usage", MetricKind.GAUGE, MetricUnit.BYTES),
  /** Usage minus inactive file pages: what the kubelet calls the working set. */
  CGROUP_MEMORY_WORKING_SET_BYTES("cgroup.memory.workingset", MetricKind.GAUGE, MetricUnit.BYTES),
  /** The memory limit in force, 0 when unlimited. */
  CGROUP_MEMORY_LIMIT_BYTES("cgroup.memory.limit", MetricKind.GAUGE, MetricUnit.BYTES),
  /** Times usage hit the limit ({@code memory.failcnt} in v1, {@code memory.events max} in v2). */
  CGROUP_MEMORY_LIMIT_HITS("cgroup.memory.limit.hits", MetricKind.COUNTER, MetricUnit.COUNT),
  /** Processes of the cgroup killed by the OOM killer. */
  CGROUP_OOM_KILLS("cgroup.memory.oom.kills", MetricKind.COUNTER, MetricUnit.COUNT),

  // --- pressure stall information (PSI), cumulative "total=" stall time ------------------------------------
  PSI_CPU_SOME_MICROS("psi.cpu.some", MetricKind.COUNTER, MetricUnit.MICROSECONDS),
  PSI_MEMORY_SOME_MICROS("psi.memory.some", MetricKind.COUNTER, MetricUnit.MICROSECONDS),
  PSI_MEMORY_FULL_MICROS("psi.memory.full", MetricKind.COUNTER, MetricUnit.MICROSECONDS),
  PSI_IO_SOME_MICROS("psi.io.some", MetricKind.COUNTER, MetricUnit.MICROSECONDS),
  PSI_IO_FULL_MICROS("psi.io.full", MetricKind.COUNTER, MetricUnit.MICROSECONDS),

  // --- JVM MXBeans, in-process only -------------------------------------------------------------------------
  JVM_HEAP_USED_BYTES("jvm.heap.used", MetricKind.GAUGE, MetricUnit.BYTES),
  JVM_HEAP_COMMITTED_BYTES("jvm.heap.committed", MetricKind.GAUGE, MetricUnit.BYTES),
  /** Heap in use right after the most recent GC: the JVM's live set (its working-set signal). */
  JVM_HEAP_LIVE_AFTER_GC_BYTES("jvm.heap.live", MetricKind.GAUGE, MetricUnit.BYTES),
  JVM_GC_COUNT("jvm.gc.count", MetricKind.COUNTER, MetricUnit.COUNT),
  JVM_GC_TIME_MILLIS("jvm.gc.time", MetricKind.COUNTER, MetricUnit.MILLISECONDS),
  /** Bytes allocated on the heap by all threads. */
  JVM_ALLOCATED_BYTES("jvm.allocated", MetricKind.COUNTER, MetricUnit.BYTES),

  // --- slower-cadence sources -------------------------------------------------------------------------------
  /** Bytes of RSS referenced since the previous measurement (accessed-bit working set). */
  WORKING_SET_BYTES("ws.referenced", MetricKind.GAUGE, MetricUnit.BYTES),
  /** Which code runs: a small id of the hottest frames in the last window (0 = unknown). */
  CODE_PHASE("code.phase", MetricKind.LABEL, MetricUnit.ID),
  HW_INSTRUCTIONS("hw.instructions", MetricKind.COUNTER, MetricUnit.COUNT),
  HW_CYCLES("hw.cycles", MetricKind.COUNTER, MetricUnit.COUNT),
  HW_BRANCHES("hw.branches", MetricKind.COUNTER, MetricUnit.COUNT),
  HW_BRANCH_MISSES("hw.branch.misses", MetricKind.COUNTER, MetricUnit.COUNT),
  HW_CACHE_REFERENCES("hw.cache.references", MetricKind.COUNTER, MetricUnit.COUNT),
  HW_CACHE_MISSES("hw.cache.misses", MetricKind.COUNTER, MetricUnit.COUNT);

  /** Id of this schema's version; bump when a key's meaning changes (it never should). */
  public static final String SCHEMA_ID = "presize-samples/1";

  private static final Map<String, Metric> BY_KEY = new HashMap<>();

  static {
    for (Metric m : values()) {
      BY_KEY.put(m.key, m);
    }
  }

  private final String key;
  private final MetricKind kind;
  private final MetricUnit unit;

  Metric(String key, MetricKind kind, MetricUnit unit) {
    this.key = key;
    this.kind = kind;
    this.unit = unit;
  }

  /** The stable name stored in traces, e.g. {@code proc.rss}. */
  public String key() {
    return key;
  }

  public MetricKind kind() {
    return kind;
  }

  public MetricUnit unit() {
    return unit;
  }

  /** The metric with this stable key, if this version knows it. */
  public static Optional<Metric> byKey(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }
}
