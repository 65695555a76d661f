package dev.presize.core.input.proc;

import dev.presize.core.input.ByteCursor;
import dev.presize.core.input.ProcFile;
import dev.presize.spi.Ticker;
import dev.presize.spi.metrics.Metric;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.SampleWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads {@code /proc/<pid>/stat} and {@code /proc/<pid>/io} of a process and all its descendants, summed.
 *
 * <p>Counters include waited-for children (the kernel folds a reaped child's CPU time and faults into its
 * parent's {@code cutime}/{@code cminflt}, and its I/O into the parent's {@code io}), so the sum over live
 * processes stays whole as children come and go; the source also never lets a counter go back (a child can be
 * reaped between reading it and its parent). A process that no tracked parent reaps (an orphan adopted by init)
 * keeps its last totals in the sum. Descendants are found through
 * {@code /proc/<pid>/task/<tid>/children} every {@code treeRescanNanos} when a new pid was handed out since the
 * last look; thread lists are re-read only when a process's thread count changes. Steady state allocates nothing; a new process or thread allocates its file
 * handles once.
 */
final class ProcessTreeSource implements MetricSource {

  private static final Set<Metric> METRICS = EnumSet.of(Metric.PROC_CPU_USER_NANOS, Metric.PROC_CPU_SYSTEM_NANOS,
      Metric.PROC_RSS_BYTES, Metric.PROC_MINOR_FAULTS, Metric.PROC_MAJOR_FAULTS, Metric.PROC_READ_BYTES,
      Metric.PROC_WRITE_BYTES, Metric.PROC_READ_CHARS, Metric.PROC_WRITE_CHARS, Metric.PROC_READ_SYSCALLS,
      Metric.PROC_WRITE_SYSCALLS, Metric.PROC_THREADS, Metric.PROC_PROCESSES);

  private static final byte[] RCHAR = ByteCursor.key("rchar:");
  private static final byte[] WCHAR = ByteCursor.key("wchar:");
  private static final byte[] SYSCR = ByteCursor.key("syscr:");
  private static final byte[] SYSCW = ByteCursor.key("syscw:");
  private static final byte[] READ_BYTES = ByteCursor.key("read_bytes:");
  private static final byte[] WRITE_BYTES = ByteCursor.key("write_bytes:");

  // Indices into the per-process and output counter arrays.
  private static final int USER = 0;
  private static final int SYSTEM = 1;
  private static final int MINFLT = 2;
  private static final int MAJFLT = 3;
  private static final int RBYTES = 4;
  private static final int WBYTES = 5;
  private static final int RCHARS = 6;
  private static final int WCHARS = 7;
  private static final int SYSCALLS_R = 8;
  private static final int SYSCALLS_W = 9;
  private static final int COUNTERS = 10;

  private final Path procRoot;
  private final boolean wholeTree;
  private final long treeRescanNanos;
  private final Ticker ticker;
  private final long nanosPerTick;
  private final long pageSize;
  private final ByteCursor cursor = new ByteCursor();

  private final List<Proc> procs = new ArrayList<>();
  private final long[] sum = new long[COUNTERS];
  private final long[] departed = new long[COUNTERS]; // last totals of processes no tracked parent reaped
  private final long[] out = new long[COUNTERS];
  private long nextRescanNanos;
  private final ProcFile loadavg; // null where absent: then every rescan scans
  private long lastPidSeen = Long.MIN_VALUE;
  private long rssBytes;
  private long threads;
  private boolean closed;

  ProcessTreeSource(Path procRoot, long rootPid, boolean wholeTree, Duration treeRescan, Ticker ticker, Auxv auxv)
      throws IOException {
    this.procRoot = procRoot;
    this.wholeTree = wholeTree;
    this.treeRescanNanos = treeRescan.toNanos();
    this.ticker = ticker;
    this.nanosPerTick = 1_000_000_000L / auxv.clockTicksPerSecond();
    this.pageSize = auxv.pageSizeBytes();
    Proc root = Proc.open(procRoot, rootPid);
    if (root == null) {
      throw new NoSuchFileException(procRoot.resolve(Long.toString(rootPid)).toString(), null,
          "process " + rootPid + " does not exist");
    }
    procs.add(root);
    this.nextRescanNanos = ticker.read();
    this.loadavg = ProcFile.openIfExists(procRoot.resolve("loadavg"));
  }

  @Override
  public String name() {
    return ProcessTreeSourceProvider.NAME;
  }

  @Override
  public Set<Metric> metrics() {
    return METRICS;
  }

  /** Live processes tracked now (the root first). */
  int processCount() {
    return procs.size();
  }

  @Override
  public void sample(SampleWriter w) throws IOException {
    if (closed) {
      return;
    }
    if (wholeTree && ticker.read() - nextRescanNanos >= 0) {
      if (newTaskSinceLastRescan()) {
        rescan();
      }
      nextRescanNanos = ticker.read() + treeRescanNanos;
    }
    rssBytes = 0;
    threads = 0;
    int live = 0;
    for (int i = 0; i < procs.size(); i++) {
      Proc p = procs.get(i);
      p.gone = !readOne(p);
      if (!p.gone) {
        live++;
      }
    }
    // A process that went away was reaped by its parent if that parent was tracked at the start of this pass
    // (alive, or gone too: then its totals went up the chain with it); its totals are in the parent's c* fields.
    // Anything else (an orphan adopted by init) keeps its last totals here.
    for (int i = 0; i < procs.size(); i++) {
      Proc p = procs.get(i);
      if (p.gone && !tracked(p.ppid)) {
        for (int k = 0; k < COUNTERS; k++) {
          departed[k] += p.last[k];
        }
      }
    }
    System.arraycopy(departed, 0, sum, 0, COUNTERS);
    for (int i = 0; i < procs.size(); i++) {
      Proc p = procs.get(i);
      if (p.gone) {
        procs.remove(i).close();
        i--;
      } else {
        for (int k = 0; k < COUNTERS; k++) {
          sum[k] += p.last[k];
        }
      }
    }
    for (int k = 0; k < COUNTERS; k++) {
      if (sum[k] > out[k]) {
        out[k] = sum[k];
      }
    }
    if (live == 0) {
      return; // the whole tree is gone: leave the last values in place
    }
    w.put(Metric.PROC_CPU_USER_NANOS, out[USER]);
    w.put(Metric.PROC_CPU_SYSTEM_NANOS, out[SYSTEM]);
    w.put(Metric.PROC_MINOR_FAULTS, out[MINFLT]);
    w.put(Metric.PROC_MAJOR_FAULTS, out[MAJFLT]);
    w.put(Metric.PROC_READ_BYTES, out[RBYTES]);
    w.put(Metric.PROC_WRITE_BYTES, out[WBYTES]);
    w.put(Metric.PROC_READ_CHARS, out[RCHARS]);
    w.put(Metric.PROC_WRITE_CHARS, out[WCHARS]);
    w.put(Metric.PROC_READ_SYSCALLS, out[SYSCALLS_R]);
    w.put(Metric.PROC_WRITE_SYSCALLS, out[SYSCALLS_W]);
    w.put(Metric.PROC_RSS_BYTES, rssBytes);
    w.put(Metric.PROC_THREADS, threads);
    w.put(Metric.PROC_PROCESSES, live);
  }

  /** Reads one process: its totals into {@code p.last}, RSS and threads into the sums; false when it has gone. */
  private boolean readOne(Proc p) {
    try {
      p.stat.read();
    } catch (IOException e) {
      return false; // ESRCH: the process exited and was reaped
    }
    ByteCursor c = cursor.reset(p.stat);
    if (!c.afterLast((byte) ')')) {
      return false;
    }
    c.skipFields(1); // field 3: state
    long ppid = c.nextLong(); // 4
    c.skipFields(5); // fields 5..9: pgrp session tty_nr tpgid flags
    long minflt = c.nextLong(); // 10
    long cminflt = c.nextLong(); // 11
    long majflt = c.nextLong(); // 12
    long cmajflt = c.nextLong(); // 13
    long utime = c.nextLong(); // 14
    long stime = c.nextLong(); // 15
    long cutime = c.nextLong(); // 16
    long cstime = c.nextLong(); // 17
    c.skipFields(2); // 18 priority, 19 nice (nice may be negative: skipped, not parsed)
    long numThreads = c.nextLong(); // 20
    c.skipFields(3); // 21 itrealvalue, 22 starttime, 23 vsize
    long rssPages = c.nextLong(); // 24
    if (rssPages == ByteCursor.ABSENT) {
      return false;
    }
    p.ppid = ppid;
    p.last[MINFLT] = minflt + cminflt;
    p.last[MAJFLT] = majflt + cmajflt;
    p.last[USER] = (utime + cutime) * nanosPerTick;
    p.last[SYSTEM] = (stime + cstime) * nanosPerTick;
    rssBytes += rssPages * pageSize;
    threads += numThreads;
    p.threadsNow = numThreads;
    if (p.io != null) {
      try {
        p.io.read();
        c.reset(p.io);
        p.last[RCHARS] = nonNegative(c.valueOfLine(RCHAR));
        p.last[WCHARS] = nonNegative(c.valueOfLine(WCHAR));
        p.last[SYSCALLS_R] = nonNegative(c.valueOfLine(SYSCR));
        p.last[SYSCALLS_W] = nonNegative(c.valueOfLine(SYSCW));
        p.last[RBYTES] = nonNegative(c.valueOfLine(READ_BYTES));
        p.last[WBYTES] = nonNegative(c.valueOfLine(WRITE_BYTES));
      } catch (IOException e) {
        // The process exited between the two reads: its io keeps the last values read.
      }
    }
    return true;
  }

  private static long nonNegative(long v) {
    return v < 0 ? 0 : v;
  }

  /**
   * Whether any process or thread was created since the last rescan, from the last pid the kernel handed out
   * ({@code /proc/loadavg}, fifth field; threads take pids too). No new pid means no new descendant and no new
   * thread, so the scan of every thread's children file (~1.6 µs each) can be skipped.
   */
  private boolean newTaskSinceLastRescan() {
    if (loadavg == null) {
      return true;
    }
    long lastPid;
    try {
      loadavg.read();
      lastPid = cursor.reset(loadavg).skipFields(4).nextLong();
    } catch (IOException e) {
      return true; // cannot tell: scan
    }
    if (lastPid == ByteCursor.ABSENT || lastPid != lastPidSeen) {
      lastPidSeen = lastPid; // read before scanning: a fork during the scan shows at the next rescan
      return true;
    }
    return false;
  }

  /** Finds new descendants through the children files of every thread of every tracked process. */
  private void rescan() {
    for (int i = 0; i < procs.size(); i++) { // procs grows while we scan: new children are scanned too
      Proc p = procs.get(i);
      if (p.threadsNow != p.threadsListed) {
        p.relistTasks(procRoot);
      }
      for (int t = 0; t < p.children.size(); t++) {
        ProcFile f = p.children.get(t);
        try {
          f.read();
        } catch (IOException e) {
          continue; // the thread exited; the list is refreshed when the thread count changes
        }
        ByteCursor c = cursor.reset(f);
        long child;
        while ((child = c.nextLong()) != ByteCursor.ABSENT) {
          if (!tracked(child)) {
            Proc np = Proc.open(procRoot, child);
            if (np != null) {
              procs.add(np);
            }
          }
        }
      }
    }
  }

  private boolean tracked(long pid) {
    for (int i = 0; i < procs.size(); i++) {
      if (procs.get(i).pid == pid) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    closed = true;
    for (Proc p : procs) {
      p.close();
    }
    procs.clear();
    if (loadavg != null) {
      loadavg.close();
    }
  }

  /** One tracked process: its kept-open files. */
  private static final class Proc {
    final long pid;
    final ProcFile stat;
    final ProcFile io; // null when not readable (another user's process without privileges)
    final List<ProcFile> children = new ArrayList<>();
    final long[] last = new long[COUNTERS]; // this process's totals at its last read
    long ppid;
    boolean gone;
    long threadsNow = -1;
    long threadsListed = -2;

    private Proc(long pid, ProcFile stat, ProcFile io) {
      this.pid = pid;
      this.stat = stat;
      this.io = io;
    }

    static Proc open(Path procRoot, long pid) {
      Path dir = procRoot.resolve(Long.toString(pid));
      ProcFile stat;
      try {
        stat = ProcFile.open(dir.resolve("stat"), 1024);
      } catch (IOException e) {
        return null; // gone before we could open it
      }
      ProcFile io;
      try {
        io = ProcFile.open(dir.resolve("io"), 512);
      } catch (IOException e) {
        io = null; // io needs ptrace-read access; CPU and memory are still sampled
      }
      return new Proc(pid, stat, io);
    }

    void relistTasks(Path procRoot) {
      for (ProcFile f : children) {
        f.close();
      }
      children.clear();
      Path tasks = procRoot.resolve(Long.toString(pid)).resolve("task");
      try (Stream<Path> s = Files.list(tasks)) {
        for (Path t : (Iterable<Path>) s::iterator) {
          try {
            children.add(ProcFile.open(t.resolve("children"), 256));
          } catch (IOException e) {
            // The thread exited while listing, or the kernel lacks CONFIG_PROC_CHILDREN (probe checks it).
          }
        }
      } catch (IOException e) {
        // The process exited; it is dropped at the next read.
      }
      threadsListed = threadsNow;
    }

    void close() {
      stat.close();
      if (io != null) {
        io.close();
      }
      for (ProcFile f : children) {
        f.close();
      }
    }
  }
}
