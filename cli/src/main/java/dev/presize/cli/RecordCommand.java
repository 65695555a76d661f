package dev.presize.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.core.sampling.Sampler;
import dev.presize.core.trace.RecordingSummary;
import dev.presize.local.ExitStatus;
import dev.presize.local.RecordOptions;
import dev.presize.local.Recorder;
import dev.presize.local.Recording;
import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.config.Quantities;
import dev.presize.spi.host.ResourceGroupProvider;
import dev.presize.spi.resources.ResourceProfile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code presize record}: runs a command, samples its process tree every 10 ms and writes a trace. */
@Command(name = "record", mixinStandardHelpOptions = true,
    description = {"Runs COMMAND, samples what its whole process tree uses every interval until it exits, "
        + "writes a trace and prints a summary. Exits with the command's exit code."},
    footer = {"", "Example: presize record --interval 10ms --out traces -- java -jar app.jar input.json"})
final class RecordCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--interval", converter = Converters.DurationConverter.class,
      description = "Sampling interval with a unit (default: presize.sampling.interval, else 10ms).")
  Duration interval;

  @Option(names = "--out", defaultValue = "traces", description = "Directory for the trace (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--json", description = "Print the summary as one JSON object (the last line of stdout).")
  boolean json;

  @Option(names = "--function-id", description = "Function id stored in the trace (it names the trace file): "
      + "letters, digits, '.', '_' and '-', not starting with '.' or '-', at most 128 characters (default: the "
      + "command's name).")
  String functionId;

  @Option(names = "--input-size", description = "The function's input size, stored in the trace header.")
  Long inputSize;

  @Option(names = "--cgroup", defaultValue = "auto",
      description = "auto (a cgroup where the host allows it), none, or a provider: cgroup-v1, cgroup-v2.")
  String cgroup;

  @Option(names = "--cpu", converter = Converters.CpuConverter.class,
      description = "CPU limit for the command's cgroup: 1500m or 1.5 (cores). Needs --memory too.")
  Long cpuMillicores;

  @Option(names = "--memory", converter = Converters.BytesConverter.class,
      description = "Memory limit for the command's cgroup, with a unit: 512Mi, 2Gi. Needs --cpu too.")
  Long memoryBytes;

  @Option(names = "--timeout", converter = Converters.DurationConverter.class,
      description = "Stop the command after this long (SIGTERM, SIGKILL 5 s later), e.g. 10m. Default: no limit.")
  Duration timeout;

  @Option(names = {"-D", "--set"}, description = "A configuration property, e.g. -D presize.sampling.exclude=pressure.")
  Map<String, String> properties = new HashMap<>();

  @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command to run, after --.")
  List<String> command = new ArrayList<>();

  /** The shortest sampling interval the recorder supports. */
  static final Duration MIN_INTERVAL = Duration.ofMillis(1);

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    if ((cpuMillicores == null) != (memoryBytes == null)) {
      throw new CommandLine.ParameterException(cl,
          "--cpu and --memory go together: a cgroup's limits are set as one profile");
    }
    if (cpuMillicores != null) {
      RunCommand.checkCpu(cl, "--cpu", cpuMillicores);
      RunCommand.checkMemory(cl, "--memory", memoryBytes);
    }
    if (functionId != null) {
      RunCommand.checkFunctionId(cl, functionId);
    }
    if (inputSize != null && inputSize < 0) {
      throw new UsageError(cl, "--input-size " + inputSize + ": the function's input size is 0 or more");
    }
    ConfigProperties config = ConfigProperties.fromEnvironment(Map.of()).with(properties);
    checkCgroup(cl, cgroup, cpuMillicores != null, config);
    Optional<ResourceProfile> limits = cpuMillicores == null ? Optional.empty()
        : Optional.of(ResourceProfile.of(cpuMillicores, memoryBytes));
    RecordOptions options;
    try {
      Duration every = interval != null ? interval
          : config.getPositiveDuration(Sampler.INTERVAL, Sampler.DEFAULT_INTERVAL);
      if (every.compareTo(MIN_INTERVAL) < 0) {
        throw new UsageError(cl, (interval != null ? "--interval " : Sampler.INTERVAL + " ") + Sizes.duration(every)
            + " is below the shortest supported interval, " + Sizes.duration(MIN_INTERVAL));
      }
      options = new RecordOptions(command, out, every, functionId,
          inputSize == null ? OptionalLong.empty() : OptionalLong.of(inputSize), cgroup, limits, config);
    } catch (IllegalArgumentException | dev.presize.spi.config.ConfigurationException e) {
      // bad options: nothing has run
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    RunCommand.outDirectory(cl, out); // made here, before the command starts, or refused saying why
    if (timeout != null) {
      options = options.withTimeout(timeout);
    }
    Recorder recorder = new Recorder();
    Signals.forward(recorder::stop); // Ctrl-C and SIGTERM reach the command; the recording finishes
    Recording r = recorder.record(options);
    PrintWriter stdout = cl.getOut();
    PrintWriter stderr = cl.getErr();
    for (String w : r.warnings()) {
      stderr.println("presize: warning: " + w);
    }
    if (json) {
      stdout.println(json(r));
    } else {
      stdout.print(text(r));
    }
    stdout.flush();
    UnreadSettings.warn(stderr, "record", config, properties.keySet());
    return r.exitCode();
  }

  static String text(Recording r) {
    RecordingSummary s = r.summary();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%n--- presize record: exit %s ---%n", ExitStatus.describe(r.exitCode())));
    b.append(String.format(Locale.ROOT, "samples        %d over %.2f s (interval p50 %.2f ms, p99 %.2f ms, "
        + "overruns %d)%n", s.samples(), s.durationNanos() / 1e9, millis(r.stats().intervalP50()),
        millis(r.stats().intervalP99()), r.stats().overruns()));
    b.append(String.format(Locale.ROOT, "peak RSS       %s%n", bytes(s.peakRssBytes())));
    b.append(String.format(Locale.ROOT, "CPU            %.3f s%n", s.cpuSeconds()));
    b.append(String.format(Locale.ROOT, "page faults    %d minor, %d major%n", s.minorFaults(), s.majorFaults()));
    b.append(String.format(Locale.ROOT, "storage        %s read, %s written%n", bytes(s.readBytes()),
        bytes(s.writeBytes())));
    b.append(String.format(Locale.ROOT, "network        %s received, %s sent (network namespace)%n",
        bytes(s.rxBytes()), bytes(s.txBytes())));
    if (s.peakCgroupMemoryBytes() >= 0) {
      b.append(String.format(Locale.ROOT, "cgroup         peak %s, CPU %.3f s, OOM kills %d%n",
          bytes(s.peakCgroupMemoryBytes()), s.cgroupCpuSeconds(), s.oomKills()));
    }
    b.append(String.format(Locale.ROOT, "sources        %s%n", new TreeMap<>(r.sources()).entrySet().stream()
        .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "))));
    new TreeMap<>(r.unavailable()).forEach((family, why) ->
        b.append(String.format(Locale.ROOT, "not sampled    %s%n", unavailable(family, why))));
    b.append(String.format(Locale.ROOT, "trace          %s%n", r.trace()));
    return b.toString();
  }

  /**
   * Why a family was not sampled, for people: {@code family (provider): reason}. The recorder's reason is
   * {@code provider: message}, and a provider's message often starts with its own name again ("jvm reads ..."):
   * said once.
   */
  static String unavailable(String family, String why) {
    int colon = why.indexOf(": ");
    if (colon <= 0 || why.substring(0, colon).contains(" ")) {
      return family + ": " + why;
    }
    String provider = why.substring(0, colon);
    String message = why.substring(colon + 2);
    if (message.startsWith(provider + " ")) {
      message = message.substring(provider.length() + 1);
    }
    return family + " (" + provider + "): " + message;
  }

  /**
   * Refuses a {@code --cgroup} that is not auto, none or a resource-group provider here, naming those; none with
   * limits is refused too.
   */
  static void checkCgroup(CommandLine cl, String cgroup, boolean limits, ConfigProperties config) {
    List<ResourceGroupProvider> providers = ProviderRegistry.load(ResourceGroupProvider.class,
        RecordCommand.class.getClassLoader()).all();
    List<String> names = providers.stream().map(ResourceGroupProvider::name).sorted().toList();
    if (!cgroup.equals("auto") && !cgroup.equals("none") && !names.contains(cgroup)) {
      throw new UsageError(cl, "--cgroup " + cgroup + ": expected auto, none" + names.stream().map(n -> ", " + n)
          .collect(Collectors.joining()));
    }
    for (ResourceGroupProvider p : providers) { // one named that this host cannot run: refused now, saying why
      if (p.name().equals(cgroup)) {
        dev.presize.spi.Support support = p.probe(dev.presize.spi.ProviderContext.of(config));
        if (!support.supported()) {
          throw new UsageError(cl, "--cgroup " + cgroup + " cannot run on this host: " + support.reason()
              + " (--cgroup auto picks what can)");
        }
      }
    }
    if (limits && cgroup.equals("none")) {
      throw new UsageError(cl, "--cpu and --memory need a cgroup, but --cgroup none was given");
    }
  }

  private static double millis(Duration d) {
    return d.toNanos() / 1e6;
  }

  private static String bytes(long b) {
    return b < 0 ? "n/a" : Quantities.formatBytes(b);
  }

  /** The summary as one JSON object with the documented keys, on one line. */
  static String json(Recording r) {
    RecordingSummary s = r.summary();
    ObjectNode o = JSON.createObjectNode();
    o.put("samples", s.samples());
    o.put("intervalP50Millis", millis(r.stats().intervalP50()));
    o.put("intervalP99Millis", millis(r.stats().intervalP99()));
    o.put("peakRssBytes", s.peakRssBytes());
    o.put("cpuSeconds", s.cpuSeconds());
    o.put("minorFaults", s.minorFaults());
    o.put("majorFaults", s.majorFaults());
    o.put("readBytes", s.readBytes());
    o.put("writeBytes", s.writeBytes());
    o.put("rxBytes", s.rxBytes());
    o.put("txBytes", s.txBytes());
    o.put("trace", r.trace().toString());
    o.put("exitCode", r.exitCode());
    o.put("overruns", r.stats().overruns());
    o.put("durationSeconds", s.durationNanos() / 1e9);
    o.put("peakCgroupMemoryBytes", s.peakCgroupMemoryBytes());
    o.put("oomKills", s.oomKills());
    try {
      return JSON.writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a summary of numbers and a path as JSON", e);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
}
