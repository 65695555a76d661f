package dev.presize.local;

import dev.presize.core.sampling.MetricSources;
import dev.presize.core.sampling.Sampler;
import dev.presize.core.sampling.SamplerStats;
import dev.presize.core.trace.RecordingSummary;
import dev.presize.core.trace.TraceHeader;
import dev.presize.core.trace.TraceWriter;
import dev.presize.spi.PresizeException;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.Ticker;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.host.ResourceGroup;
import dev.presize.spi.host.ResourceGroupProvider;
import dev.presize.spi.metrics.SamplingTarget;
import dev.presize.spi.config.Quantities;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command, samples its whole process tree (and its cgroup) every interval until it exits, and writes the
 * samples as a trace: the engine of {@code presize record}.
 *
 * <p>The command is held (in its cgroup) until every source is open and the sampler runs, and held again when
 * it ends until a last, complete sample is taken (see {@link StartHold}), so even a 10 ms command is measured
 * from its first instruction to its exact totals. It inherits this process's stdin, stdout and stderr.
 * Sampling runs on the sampler's daemon thread;
 * the caller's thread drains the ring into the trace every 100 ms and waits for the command. On exit one last
 * sample is taken (cgroup totals are final then), the trace is closed with a footer (exit code, sampler stats)
 * and fsynced, and the cgroup removed. A caller that handles INT and TERM passes them on with {@link #stop} (as
 * {@code presize record} does): the command ends its own way and the recording finishes, and the stop holds for the
 * rest of this recorder's life, so a signal that comes before a command has started (or between two) is not lost:
 * the next recording does not start its command ({@link Stopped}); if the JVM shuts down instead, a shutdown hook
 * stops the command and waits for the clean-up.
 */
public final class Recorder {

  private static final System.Logger LOG = System.getLogger(Recorder.class.getName());
  private static final long DRAIN_EVERY_MILLIS = 100;
  private static final long END_POLL_MILLIS = 10;
  private static final long FLUSH_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final ClassLoader providers;
  private final Ticker ticker;
  private volatile Process running; // the holding shell of the recording under way, for signalCommand
  /** The first INT or TERM given to {@link #stop}; null until then. */
  private volatile String stopSignal;
  /** A stop came while no command process existed yet to take it: the recording passes it on once one does. */
  private volatile boolean stopUndelivered;
  /** The name of a recording's group: this, the pid of the process recording, {@code -} and a number. */
  static final String GROUP_PREFIX = "presize-rec-";
  /** How long the processes a command left behind are SIGKILLed, round after round, until none is left. */
  private static final long LEFTOVER_KILL_NANOS = TimeUnit.SECONDS.toNanos(5);

  /**
   * A recording that did not start its command because {@link #stop} was called first (a Ctrl-C while a model loaded,
   * or between the two processes of a restore). Nothing ran; what was made for it is removed.
   */
  public static final class Stopped extends IOException {
    private final String signal;

    /** Stopped by {@code signal} ({@code INT}, {@code TERM}) before the command started. */
    public Stopped(String signal) {
      super("stopped by SIG" + signal + " before the command started");
      this.signal = signal;
    }

    /** {@code INT} or {@code TERM}. */
    public String signal() {
      return signal;
    }

    /** The exit status of a process ended by this signal, as a shell reports it: 130 (INT), 143 (TERM). */
    public int exitCode() {
      return ExitStatus.ofSignal(signal);
    }
  }

  /** A recorder finding providers through this class's loader, on the system ticker. */
  public Recorder() {
    this(Recorder.class.getClassLoader(), Ticker.system());
  }

  public Recorder(ClassLoader providers, Ticker ticker) {
    this.providers = providers;
    this.ticker = ticker;
  }

  /**
   * What a controller running inside a recording sees: the command's group once it exists, every sample as it is
   * drained from the ring (in time order), and a tick every 10 ms on the recording's thread. Callbacks run on
   * that one thread, except {@link #sampled}, which runs on the sampler's (what it throws is counted as a sampler
   * error); an exception thrown from another ends the recording like any other failure (the command is stopped, the
   * trace says why). The default methods do nothing.
   */
  public interface Observer {
    /** No observer: {@link #record(RecordOptions)}. */
    Observer NONE = new Observer() {};

    /**
     * The command is in its group (empty: it runs without one) and held before its first instruction; the
     * samples will have {@code columns}, in this order.
     */
    default void started(Optional<ResourceGroup> group, List<String> columns, long pid) throws IOException {}

    /**
     * Called once before {@link #started}: sample timestamps are the ticker's readings minus {@code originNanos}, so
     * a sample's time on the ticker is {@code originNanos + timestampNanos} (what {@link #tick} is given).
     */
    default void clock(long originNanos) {}

    /** One sample, drained from the ring; {@code values} is reused after the call. */
    default void sample(long timestampNanos, long[] values) throws IOException {}

    /**
     * One sample as it is taken, on the sampler thread, before it is drained (a reflex that cannot wait for the
     * recording's thread, which may be busy deciding). It must return at once: no I/O, no waiting; {@code values}
     * is reused after the call.
     */
    default void sampled(long timestampNanos, long[] values) {}

    /**
     * The command has ended (its group is still there, with what it left running, until the recording ends): on the
     * recording's thread, before the last samples are drained.
     */
    default void ended() {}

    /** Every 10 ms while the command runs, after the samples up to now were drained. */
    default void tick(long nowNanos) throws IOException {}
  }

  /**
   * Runs and records {@code options.command()}.
   *
   * @throws IOException when the command cannot start or the trace cannot be written
   * @throws PresizeException when an explicitly requested cgroup provider cannot run
   */
  public Recording record(RecordOptions options) throws IOException, InterruptedException {
    return record(options, Observer.NONE);
  }

  /**
   * Runs and records {@code options.command()}, with {@code observer} told of the group, every sample and every
   * tick (the engine of {@code presize run}: the controller is the observer). With an observer the ring is drained
   * every tick instead of every 100 ms.
   */
  public Recording record(RecordOptions options, Observer observer) throws IOException, InterruptedException {
    ProviderContext context = new ProviderContext(options.config(), ticker);
    if (stopSignal != null) {
      throw new Stopped(stopSignal);
    }
    requireExecutable(options.command().get(0));
    Files.createDirectories(options.outDir()); // fail before anything is created if the trace cannot be written
    Path endMarker = Files.createTempFile("presize-end-", ".rc"); // before the group: a failure here leaves none
    Files.delete(endMarker); // the holding shell creates it when the command has ended
    List<String> warnings = new ArrayList<>();
    Optional<ResourceGroup> group = openGroup(options, context, warnings);
    Process process = null;
    Sampler sampler = null;
    CountDownLatch finished = new CountDownLatch(1);
    Thread onShutdown = null;
    try {
      List<String> held = StartHold.wrap(endMarker, options.command());
      List<String> command = group.map(g -> g.wrap(held)).orElse(held);
      ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
      options.outputFile().ifPresent(f -> builder.redirectErrorStream(true).redirectOutput(f.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))));
      process = builder.start();
      running = process;
      onShutdown = finishOnShutdown(process, finished);
      StartHold.awaitStopped(process); // in its group, stopped before its first instruction
      SamplingTarget target = SamplingTarget.processTree(process.pid())
          .withCgroupPaths(group.map(ResourceGroup::cgroupPaths).orElse(Map.of()));
      // Without a group of its own the command shares Presize's cgroup: its numbers would be ours, not the command's.
      ProviderContext sampling = group.isPresent() ? context : new ProviderContext(
          excludeFamily(options.config(), "cgroup"), ticker);
      MetricSources.Opened opened = MetricSources.open(target, sampling, providers);
      warnings.addAll(opened.warnings());
      sampler = new Sampler(opened.sources(), options.interval(), ticker, 4096);
      Instant started = Instant.now();
      TraceHeader header = header(options, started, process.pid(), group, opened, sampler);
      long pid = process.pid();
      Path file = options.outDir().resolve(
          options.traceName().orElseGet(() -> fileName(options.functionId(), started, pid)));
      RecordingSummary.Accumulator summary = new RecordingSummary.Accumulator(header.columns());
      TraceWriter writer = TraceWriter.create(file, header);
      long drainEvery = TimeUnit.MILLISECONDS.toNanos(observer == Observer.NONE ? DRAIN_EVERY_MILLIS : END_POLL_MILLIS);
      try {
        observer.clock(sampler.originNanos());
        observer.started(group, sampler.schema().keys(), pid);
        if (observer != Observer.NONE) {
          sampler.listen(observer::sampled);
        }
        sampler.start();
        if (stopSignal != null) { // came while the command was being set up: it does not start
          throw new Stopped(stopSignal);
        }
        StartHold.release(process);
        long lastFlush = ticker.read();
        long lastDrain = ticker.read();
        long deadline = options.timeout().map(t -> ticker.read() + t.toNanos()).orElse(Long.MAX_VALUE);
        long killAt = Long.MAX_VALUE;
        // Until the command has ended (end marker, shell stopped) or the holding shell is gone (killed).
        while (!process.waitFor(END_POLL_MILLIS, TimeUnit.MILLISECONDS) && !StartHold.ended(process, endMarker)) {
          if (stopUndelivered && commandStarted() && signalCommand(stopSignal)) { // came as the command started
            stopUndelivered = false;
          }
          long now = ticker.read();
          if (now - lastDrain >= drainEvery) {
            drain(sampler, writer, summary, observer);
            lastDrain = now;
            observer.tick(now);
          }
          if (now - lastFlush >= FLUSH_EVERY_NANOS) {
            writer.flush(); // readers of a running recording see up to here
            lastFlush = now;
          }
          if (deadline != Long.MAX_VALUE && now - deadline >= 0 && killAt == Long.MAX_VALUE) {
            warnings.add("the command ran past its timeout of "
                + Quantities.formatDuration(options.timeout().orElseThrow()) + "; stopped it");
            signalCommand("TERM");
            killAt = now + TimeUnit.SECONDS.toNanos(5);
          } else if (killAt != Long.MAX_VALUE && now - killAt >= 0) {
            signalCommand("KILL");
            killAt = now + TimeUnit.SECONDS.toNanos(5);
          }
        }
        sampler.listen(null); // the last, complete sample is taken on this thread: no reflex for it
        observer.ended();
        group.ifPresent(g -> stopLeftovers(g, pid, warnings));
        sampler.stop();
        // Final totals, every file read, while the stopped shell still holds the whole tree's counters and the
        // cgroup its own.
        sampler.tickComplete();
        drain(sampler, writer, summary, observer);
        if (process.isAlive()) {
          StartHold.release(process); // the shell exits with the command's exit code
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          throw new IOException("the holding shell (pid " + pid + ") did not exit after the command ended");
        }
        int exit = process.exitValue();
        SamplerStats stats = sampler.stats();
        Map<String, String> footer = footer(exit, stats, sampler);
        if (killAt != Long.MAX_VALUE) {
          footer.put("timeout", options.timeout().orElseThrow().toString());
        }
        writer.close(footer);
        return new Recording(exit, file, summary.summary(), stats, sampler.ring().dropped(), opened.chosen(),
            opened.unavailable(), group.map(g -> g.name() + " " + g.cgroupPaths()), warnings);
      } catch (IOException | RuntimeException | InterruptedException e) {
        // The trace ends here, and says so: a reader must not take a broken recording for a finished run.
        try {
          writer.close(Map.of("error", String.valueOf(e.getMessage()), "end.time", Instant.now().toString()));
          if (e instanceof Stopped) {
            Files.deleteIfExists(file); // nothing ran: no trace of it
          }
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
        throw e;
      }
    } finally {
      running = null;
      if (sampler != null) {
        sampler.close();
      }
      if (process != null && process.isAlive()) {
        // Only when recording itself failed: stop the command and everything it started, so that nothing is left
        // running in a group we are about to remove.
        killTree(process, group);
      }
      group.ifPresent(ResourceGroup::close);
      Files.deleteIfExists(endMarker);
      finished.countDown(); // after every clean-up: a shutdown hook waiting on this may then let the JVM halt
      if (onShutdown != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(onShutdown);
        } catch (IllegalStateException e) {
          // The JVM is shutting down: the hook is running and has just been released.
        }
      }
    }
  }

  /**
   * Sends {@code signal} (e.g. {@code INT}, {@code TERM}) to the running command and everything it started, not to
   * the holding shell: what {@code presize record} does with its own INT and TERM, so the command ends its own way
   * and the recording still finishes. Thread-safe; does nothing when no command runs. {@code KILL} and
   * {@code TERM} are sent by the JDK itself ({@link ProcessHandle#destroyForcibly}, {@link ProcessHandle#destroy}),
   * at once; others through kill(1), which takes a process start (tens of milliseconds, more under load).
   *
   * @return whether any process was there to get it (none before the held command has started)
   */
  public boolean signalCommand(String signal) {
    Process p = running;
    if (p == null) {
      return false;
    }
    if (signal.equals("KILL") || signal.equals("TERM")) {
      List<ProcessHandle> all = p.descendants().toList();
      all.forEach(signal.equals("KILL") ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
      return !all.isEmpty();
    }
    List<String> pids = p.descendants().map(h -> Long.toString(h.pid())).toList();
    if (pids.isEmpty()) {
      return false;
    }
    List<String> kill = new ArrayList<>(List.of("kill", "-" + signal));
    kill.addAll(pids);
    try {
      new ProcessBuilder(kill).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      p.descendants().forEach(ProcessHandle::destroy); // no kill(1) to run: SIGTERM is what the JDK can send
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }

  /**
   * A user's INT or TERM (what {@code presize record}, {@code run} and {@code demo} route here): passed to the
   * command under way with {@link #signalCommand}, or, when none has started yet (its group being set up, a model
   * loading, the pause between the two processes of a restore), to the command as soon as it exists; and every
   * later {@link #record} throws {@link Stopped} instead of starting its command. The first signal is the one kept.
   * Thread-safe (signal handlers call it on their own thread).
   */
  public void stop(String signal) {
    synchronized (this) {
      if (stopSignal == null) {
        stopSignal = signal;
      }
    }
    // Before the command is exec'd, the only process to get it is the holding shell's subshell forking it, which
    // still catches the signal (StartHold): then the recording passes it on once the command runs.
    boolean started = commandStarted();
    if (!signalCommand(signal) || !started) {
      stopUndelivered = true;
    }
  }

  /**
   * Whether the command itself runs: a process under the holding shell with another command line than the shell's
   * (the subshell forking the command has the shell's until it execs). Where command lines cannot be read, any
   * process under the shell counts.
   */
  private boolean commandStarted() {
    Process p = running;
    if (p == null) {
      return false;
    }
    Optional<String[]> shell = p.info().arguments();
    if (shell.isEmpty()) {
      return p.descendants().findAny().isPresent();
    }
    return p.descendants().anyMatch(h -> h.info().arguments().map(a -> !java.util.Arrays.equals(a, shell.get()))
        .orElse(true));
  }

  /** The signal given to {@link #stop}, if one was. */
  public Optional<String> stopRequested() {
    return Optional.ofNullable(stopSignal);
  }

  private static void killTree(Process process, Optional<ResourceGroup> group) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    group.ifPresent(g -> {
      try {
        g.processes().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "could not list group=" + g.name() + " error=" + e.getMessage());
      }
    });
    process.destroyForcibly();
    process.waitFor(5, TimeUnit.SECONDS);
  }

  /**
   * If this JVM shuts down while recording (a caller that does not forward signals, see {@link #signalCommand}):
   * stops the command (SIGTERM, SIGKILL after 5 s) and waits for the recording to finish and clean up.
   */
  private Thread finishOnShutdown(Process process, CountDownLatch finished) {
    Thread hook = new Thread(() -> {
      signalCommand("TERM");
      try {
        if (!finished.await(5, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly); // it ignored SIGTERM
          finished.await(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the JVM is going away either way
      }
    }, "presize-record-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  /**
   * Stops what the command left running in its group after it exited (a serverless invocation ends when its
   * handler returns): SIGTERM, then after a second SIGKILL, round after round for up to 5 s, to whatever is in the
   * group then (a leftover that ignores SIGTERM and keeps forking leaves new children each round). Said in the
   * warnings, as is anything still there after that: the group is then left in place.
   */
  private static void stopLeftovers(ResourceGroup group, long root, List<String> warnings) {
    List<Long> left;
    try {
      left = leftovers(group, root);
    } catch (RuntimeException e) {
      warnings.add("could not list what the command left running in " + group.name() + ": " + e.getMessage());
      return;
    }
    if (left.isEmpty()) {
      return;
    }
    warnings.add("the command left " + left.size() + " process(es) running " + left + "; stopped them");
    left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (System.nanoTime() < deadline && left.stream().anyMatch(pid -> ProcessHandle.of(pid).isPresent())) {
      Thread.onSpinWait();
    }
    long giveUp = System.nanoTime() + LEFTOVER_KILL_NANOS;
    try {
      for (left = leftovers(group, root); !left.isEmpty() && System.nanoTime() - giveUp < 0;
          left = leftovers(group, root)) {
        left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
    } catch (RuntimeException e) {
      warnings.add("could not list what is left in " + group.name() + " after stopping it: " + e.getMessage());
      return;
    }
    if (!left.isEmpty()) {
      warnings.add(left.size() + " process(es) " + left + " were still in " + group.name() + " after "
          + TimeUnit.NANOSECONDS.toSeconds(LEFTOVER_KILL_NANOS) + " s of SIGKILL; the group is left in place (remove"
          + " it with rmdir once they are gone: " + group.cgroupPaths() + ")");
    }
  }

  /** The processes in {@code group} but the holding shell ({@code root}: stopped, exits once released). */
  private static List<Long> leftovers(ResourceGroup group, long root) {
    List<Long> left = new ArrayList<>(group.processes());
    left.remove(Long.valueOf(root));
    return left;
  }

  private static ConfigProperties excludeFamily(ConfigProperties config, String family) {
    String excluded = config.getString(MetricSources.EXCLUDE).map(v -> v + "," + family).orElse(family);
    return config.with(Map.of(MetricSources.EXCLUDE, excluded));
  }

  /** Fails before anything starts when the command cannot be found or run (as a shell would say, clearer). */
  static void requireExecutable(String program) throws IOException {
    if (program.contains("/")) {
      Path p = Path.of(program);
      if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
        throw new IOException(program + ": not found or not executable");
      }
      return;
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return;
      }
    }
    throw new IOException(program + ": command not found on PATH (" + path + ")");
  }

  private static void drain(Sampler sampler, TraceWriter writer, RecordingSummary.Accumulator summary,
      Observer observer) throws IOException {
    IOException[] failure = new IOException[1];
    sampler.ring().drain((ts, values) -> {
      if (failure[0] != null) {
        return;
      }
      try {
        writer.append(ts, values);
        summary.accept(ts, values);
        observer.sample(ts, values);
      } catch (IOException e) {
        failure[0] = e;
      }
    });
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  private Optional<ResourceGroup> openGroup(RecordOptions options, ProviderContext context, List<String> warnings)
      throws IOException {
    if (options.cgroup().equals("none")) {
      return Optional.empty();
    }
    ProviderRegistry<ResourceGroupProvider> registry = ProviderRegistry.load(ResourceGroupProvider.class, providers);
    Optional<String> explicit = options.cgroup().equals("auto") ? Optional.empty() : Optional.of(options.cgroup());
    ProviderRegistry.Selection<ResourceGroupProvider> selection;
    try {
      selection = registry.select(explicit, p -> p.probe(context));
    } catch (PresizeException e) {
      if (explicit.isPresent() || options.limits().isPresent()) {
        throw e; // asked for by name, or limits were asked for: running without would mislead
      }
      warnings.add("running without a cgroup: " + e.getMessage());
      return Optional.empty();
    }
    warnings.addAll(selection.warnings());
    List<String> abandoned = selection.provider().removeAbandoned(GROUP_PREFIX, context);
    if (!abandoned.isEmpty()) {
      warnings.add("removed " + abandoned.size() + " empty cgroup(s) left by Presize processes that are gone (killed"
          + " before they could clean up): " + abandoned);
    }
    String name = GROUP_PREFIX + ProcessHandle.current().pid() + "-" + System.nanoTime() % 1_000_000;
    return Optional.of(selection.provider().create(name, options.limits(), context));
  }

  private static TraceHeader header(RecordOptions options, Instant started, long pid, Optional<ResourceGroup> group,
      MetricSources.Opened opened, Sampler sampler) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("pid", Long.toString(pid));
    attributes.put("recorder", "presize record");
    attributes.put("host.cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
    attributes.putAll(options.attributes());
    opened.chosen().forEach((family, name) -> attributes.put("source." + family, name));
    opened.unavailable().forEach((family, why) -> attributes.put("unavailable." + family, why));
    for (var source : opened.sources()) {
      source.attributes().forEach((k, v) -> attributes.put("source." + source.name() + "." + k, v));
    }
    group.ifPresent(g -> {
      attributes.put("cgroup.name", g.name());
      g.cgroupPaths().forEach((controller, path) -> attributes.put("cgroup.path." + controller, path));
    });
    TraceHeader.Builder b = TraceHeader.builder(options.functionId(), sampler.schema().keys())
        .command(options.command())
        .hostName(hostName())
        .samplingInterval(options.interval())
        .startTime(started)
        .attributes(attributes);
    group.ifPresent(g -> b.limits(g.limitsInForce()));
    options.inputSize().ifPresent(b::inputSizeBytes);
    return b.build();
  }

  private static Map<String, String> footer(int exit, SamplerStats stats, Sampler sampler) {
    Map<String, String> footer = new LinkedHashMap<>(); // mutable: record() may add to it
    footer.put("exit.code", Integer.toString(exit));
    footer.put("end.time", Instant.now().toString());
    footer.put("sampler.ticks", Long.toString(stats.ticks()));
    footer.put("sampler.overruns", Long.toString(stats.overruns()));
    footer.put("sampler.source.errors", Long.toString(stats.sourceErrors()));
    footer.put("sampler.interval.p50.nanos", Long.toString(stats.intervalP50().toNanos()));
    footer.put("sampler.interval.p99.nanos", Long.toString(stats.intervalP99().toNanos()));
    footer.put("sampler.lateness.p99.nanos", Long.toString(stats.latenessP99().toNanos()));
    footer.put("ring.dropped", Long.toString(sampler.ring().dropped()));
    return footer;
  }

  private static String fileName(String functionId, Instant started, long pid) {
    String safe = functionId.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe + "-" + STAMP.format(started) + "-" + pid + ".pstrace";
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env != null && !env.isBlank() ? env : "unknown";
    }
  }
}
