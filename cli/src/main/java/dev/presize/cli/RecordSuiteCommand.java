package dev.presize.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.core.sampling.Sampler;
import dev.presize.local.Recorder;
import dev.presize.local.corpus.SuiteRunner;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.config.Quantities;
import dev.presize.spi.resources.ResourceProfile;
import dev.presize.workloads.LoopbackHttpServer;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadMain;
import dev.presize.workloads.Workloads;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code presize record-suite}: records every workload over a ladder of input sizes and repeats, each run in its
 * own JVM and cgroup, into a resumable corpus directory.
 */
@Command(name = "record-suite", mixinStandardHelpOptions = true,
    description = {"Records every workload over input sizes and repeats, each as its own process in its own "
        + "cgroup, into a corpus directory (traces, outputs, corpus.json). Resumable: runs already recorded "
        + "are skipped."})
final class RecordSuiteCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, description = "The corpus directory.")
  Path out;

  @Option(names = "--quick", description = "The two smallest sizes, one repeat: under a minute on 2 cores.")
  boolean quick;

  @Option(names = "--sizes", description = "How many sizes of each workload's ladder (default: all; --quick: 2).")
  Integer sizes;

  @Option(names = "--repeats", description = "Runs per size, with seeds SEED, SEED+1, ... (default 3; --quick: 1).")
  Integer repeats;

  @Option(names = "--seed", defaultValue = "1", description = "The first seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--workloads", split = ",", description = "Only these workloads (comma-separated names).")
  List<String> only;

  @Option(names = "--interval", converter = Converters.DurationConverter.class,
      description = "Sampling interval (default: presize.sampling.interval, else 10ms).")
  Duration interval;

  @Option(names = "--cgroup", defaultValue = "auto", description = "auto, none, cgroup-v1 or cgroup-v2.")
  String cgroup;

  @Option(names = "--cpu", converter = Converters.CpuConverter.class,
      description = "Each run's cgroup CPU limit (default: every core of this host).")
  Long cpuMillicores;

  @Option(names = "--memory", converter = Converters.BytesConverter.class, defaultValue = "4Gi",
      description = "Each run's cgroup memory limit (default ${DEFAULT-VALUE}).")
  Long memoryBytes;

  @Option(names = "--heap", defaultValue = "2g", description = "-Xmx of each run's JVM (default ${DEFAULT-VALUE}).")
  String heap;

  @Option(names = "--timeout", defaultValue = "10m", converter = Converters.DurationConverter.class,
      description = "Stop a run after this long and count it failed (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Option(names = {"-D", "--set"}, description = "A configuration property.")
  Map<String, String> properties = new HashMap<>();

  /** What {@code -Xmx} accepts: a whole number of bytes, with an optional unit letter. */
  static final java.util.regex.Pattern JVM_HEAP = java.util.regex.Pattern.compile("([0-9]+)([kKmMgGtT]?)");

  @Override
  public Integer call() throws Exception {
    checkHeap(spec.commandLine(), heap);
    ConfigProperties config = ConfigProperties.fromEnvironment(Map.of()).with(properties);
    RecordCommand.checkCgroup(spec.commandLine(), cgroup, false, config);
    int nSizes = sizes != null ? sizes : quick ? 2 : Integer.MAX_VALUE;
    int nRepeats = repeats != null ? repeats : quick ? 1 : 3;
    if (nSizes < 1 || nRepeats < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--sizes and --repeats must be at least 1");
    }
    List<Workload> workloads = new ArrayList<>();
    try {
      if (only == null || only.isEmpty()) {
        workloads.addAll(Workloads.all());
      } else {
        for (String name : only) {
          workloads.add(Workloads.byName(name.strip()));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Duration every = interval != null ? interval
        : config.getPositiveDuration(Sampler.INTERVAL, Sampler.DEFAULT_INTERVAL);
    long cpu = cpuMillicores != null ? cpuMillicores : Runtime.getRuntime().availableProcessors() * 1000L;
    Optional<ResourceProfile> limits = cgroup.equals("none") ? Optional.empty()
        : Optional.of(ResourceProfile.of(cpu, memoryBytes));

    boolean needsServer = workloads.stream().anyMatch(Workload::needsServer);
    try (LoopbackHttpServer server = needsServer ? LoopbackHttpServer.start() : null) {
      Optional<URI> serverUri = Optional.ofNullable(server).map(LoopbackHttpServer::uri);
      List<SuiteRunner.RunSpec> specs = new ArrayList<>();
      for (Workload w : workloads) {
        for (long size : pick(w.sizes(), nSizes)) {
          for (int r = 0; r < nRepeats; r++) {
            long s = seed + r;
            specs.add(new SuiteRunner.RunSpec(w.name() + "-s" + size + "-r" + r, w.name(), size, s, r,
                command(w, size, s, serverUri)));
          }
        }
      }
      // Temp files of the disk workloads go beside the corpus, on a real disk (/tmp may be memory, tmpfs).
      java.nio.file.Files.createDirectories(out.toAbsolutePath().resolve("tmp"));
      Progress progress = new Progress(spec.commandLine().getErr());
      Recorder recorder = new Recorder();
      SuiteRunner runner = new SuiteRunner(recorder);
      Signals.forward(signal -> { // stop after the run under way, which gets the signal
        runner.requestStop();
        recorder.stop(signal);
      });
      SuiteRunner.Result result;
      try {
        result = runner.run(specs, new SuiteRunner.Options(out, every, cgroup, limits, config, timeout), progress);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      PrintWriter stdout = spec.commandLine().getOut();
      PrintWriter stderr = spec.commandLine().getErr();
      result.warnings().forEach(w -> stderr.println("presize: warning: " + w));
      result.failures().forEach(f -> stderr.println("presize: failed: " + f));
      if (json) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode();
        o.put("runs", specs.size());
        o.put("recorded", result.recorded());
        o.put("skipped", result.skipped());
        o.put("failed", result.failed());
        o.put("seconds", result.took().toMillis() / 1000.0);
        o.put("manifest", result.manifest().toString());
        stdout.println(mapper.writeValueAsString(o));
      } else {
        stdout.printf(Locale.ROOT, "%d runs: %d recorded, %d already done, %d failed, in %s%nmanifest: %s%n",
            specs.size(), result.recorded(), result.skipped(), result.failed(), Progress.human(result.took()),
            result.manifest());
      }
      stdout.flush();
      UnreadSettings.warn(stderr, "record-suite", config, properties.keySet());
      // stopped by Ctrl-C or SIGTERM: the status of that signal, as a shell gives it (the runs done are kept)
      return recorder.stopRequested().map(dev.presize.local.ExitStatus::ofSignal)
          .orElse(result.failed() == 0 ? 0 : 1);
    }
  }

  /** Refuses a {@code --heap} that -Xmx would refuse (every run would fail to start), or too small to start in. */
  static void checkHeap(CommandLine cl, String heap) {
    java.util.regex.Matcher m = JVM_HEAP.matcher(heap);
    if (!m.matches()) {
      throw new UsageError(cl, "--heap " + heap + ": not a JVM heap size (-Xmx): a whole number of bytes with an "
          + "optional k, m, g or t, e.g. 512m, 2g");
    }
    int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> 0;
    };
    java.math.BigInteger bytes = new java.math.BigInteger(m.group(1)).shiftLeft(shift);
    if (bytes.compareTo(java.math.BigInteger.valueOf(RunCommand.MIN_MEMORY_BYTES)) < 0) {
      throw new UsageError(cl, "--heap " + heap + " is below " + Quantities.formatBytes(RunCommand.MIN_MEMORY_BYTES)
          + ": a JVM does not start with so small a heap");
    }
  }

  /** {@code n} sizes spread over the ladder, always including its smallest; all of it if {@code n} covers it. */
  static List<Long> pick(List<Long> ladder, int n) {
    if (n >= ladder.size()) {
      return ladder;
    }
    if (n == 1) {
      return List.of(ladder.get(0));
    }
    if (n == 2) {
      return ladder.subList(0, 2); // the quick corpus: still two sizes, and fast
    }
    List<Long> picked = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long v = ladder.get((int) Math.round(i * (ladder.size() - 1) / (double) (n - 1)));
      if (!picked.contains(v)) {
        picked.add(v);
      }
    }
    return picked;
  }

  private List<String> command(Workload w, long size, long s, Optional<URI> server) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-XX:-UsePerfData", "-Djava.awt.headless=true",
        "-Djava.io.tmpdir=" + out.toAbsolutePath().resolve("tmp"), "-cp", System.getProperty("java.class.path"),
        WorkloadMain.class.getName(), w.name(), Long.toString(size), Long.toString(s)));
    if (w.needsServer()) {
      cmd.add(server.orElseThrow().toString());
    }
    return cmd;
  }

  /** A progress bar on stderr: redrawn in place on a terminal, one line per run otherwise. */
  static final class Progress implements SuiteRunner.Listener {
    private final PrintWriter err;
    private final boolean tty = System.console() != null;
    private final long start = System.nanoTime();
    private int done;

    Progress(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void started(int index, int total, SuiteRunner.RunSpec spec) {
      if (tty) {
        err.print("\r" + bar(index, total) + " " + spec.id() + " ...\u001b[K");
        err.flush();
      }
    }

    @Override
    public void finished(int index, int total, SuiteRunner.RunSpec spec, SuiteRunner.Outcome outcome) {
      done = index + 1;
      String what = switch (outcome.status()) {
        case RECORDED -> "recorded in " + human(outcome.took());
        case SKIPPED -> "already recorded";
        case FAILED -> "FAILED: " + outcome.message();
      };
      String line = bar(done, total) + " " + spec.id() + " " + what + eta(total);
      if (tty) {
        err.print("\r" + line + "\u001b[K");
        if (done == total || outcome.status() == SuiteRunner.Status.FAILED) {
          err.println();
        }
      } else {
        err.println(line);
      }
      err.flush();
    }

    private String eta(int total) {
      if (done == 0 || done == total) {
        return "";
      }
      long elapsed = System.nanoTime() - start;
      return " (ETA " + human(Duration.ofNanos(elapsed / done * (total - done))) + ")";
    }

    private static String bar(int done, int total) {
      int width = 24;
      int filled = total == 0 ? width : done * width / total;
      return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + done + "/" + total;
    }

    static String human(Duration d) {
      long s = d.toSeconds();
      return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s"
          : String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
  }
}
