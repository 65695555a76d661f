package dev.presize.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.presize.local.corpus.CorpusManifest;
import dev.presize.local.corpus.CorpusStats;
import java.io.IOException;
import dev.presize.spi.config.Quantities;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code presize corpus}: what is in a recorded corpus. */
@Command(name = "corpus", mixinStandardHelpOptions = true, description = "Recorded corpora.",
    subcommands = {CorpusCommand.StatsCommand.class})
final class CorpusCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** {@code presize corpus stats DIR [--json]}. */
  @Command(name = "stats", mixinStandardHelpOptions = true,
      description = "Per workload: runs, duration, peak memory, mean/peak CPU cores, bytes in/out, and how peak "
          + "memory varies with input size.")
  static final class StatsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "A corpus directory (with corpus.json).")
    Path dir;

    @Option(names = "--json", description = "A JSON array, one object per workload.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      CommandLine cl = spec.commandLine();
      TraceInput.requireDirectory(cl, "DIR", dir);
      try {
        if (CorpusManifest.read(dir).isEmpty()) {
          throw new UsageError(cl, "DIR " + dir + ": not a corpus directory (no " + CorpusManifest.FILE
              + "; presize record-suite writes one)");
        }
      } catch (IOException e) {
        if (e.getCause() instanceof JsonProcessingException j) {
          throw new UsageError(cl, "DIR " + dir + ": " + TraceInput.describe(CorpusManifest.FILE, 0, j));
        }
        throw e;
      }
      List<CorpusStats.WorkloadStats> stats = CorpusStats.of(dir);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (CorpusStats.WorkloadStats s : stats) {
          ObjectNode o = array.addObject();
          o.put("workload", s.workload());
          o.put("runs", s.runs());
          o.put("meanDurationSeconds", s.meanDurationSeconds());
          o.put("peakRssBytes", s.peakRssBytes());
          o.put("meanCores", s.meanCores());
          o.put("peakCores", s.peakCores());
          o.put("meanRxBytes", s.meanRxBytes());
          o.put("meanTxBytes", s.meanTxBytes());
          o.put("meanReadBytes", s.meanReadBytes());
          o.put("meanWriteBytes", s.meanWriteBytes());
          ObjectNode bySize = o.putObject("peakRssBytesBySize");
          s.peakRssBySize().forEach((size, rss) -> bySize.put(Long.toString(size), rss));
          o.put("memoryGrowth", s.memoryGrowth());
          if (Double.isNaN(s.memorySizeCorrelation())) {
            o.putNull("memorySizeCorrelation");
          } else {
            o.put("memorySizeCorrelation", s.memorySizeCorrelation());
          }
          o.put("dominant", s.dominant().name().toLowerCase(Locale.ROOT));
        }
        out.println(mapper.writeValueAsString(array));
      } else {
        out.printf(Locale.ROOT, "%-22s %4s %7s %8s %6s %6s %8s %8s %8s %8s %7s %6s %s%n", "WORKLOAD", "RUNS",
            "DUR(s)", "PEAK RSS", "CORES", "PEAK", "NET IN", "NET OUT", "DISK RD", "DISK WR", "MEMxSZ", "RHO",
            "DOMINANT");
        for (CorpusStats.WorkloadStats s : stats) {
          out.printf(Locale.ROOT, "%-22s %4d %7.2f %8s %6.2f %6.2f %8s %8s %8s %8s %7.2f %6s %s%n", s.workload(),
              s.runs(), s.meanDurationSeconds(), Quantities.formatBytes(s.peakRssBytes()), s.meanCores(),
              s.peakCores(), Quantities.formatBytes(s.meanRxBytes()), Quantities.formatBytes(s.meanTxBytes()),
              Quantities.formatBytes(s.meanReadBytes()), Quantities.formatBytes(s.meanWriteBytes()),
              s.memoryGrowth(), Double.isNaN(s.memorySizeCorrelation()) ? "-"
                  : String.format(Locale.ROOT, "%.2f", s.memorySizeCorrelation()),
              s.dominant().name().toLowerCase(Locale.ROOT));
        }
        out.println("MEMxSZ: mean peak RSS at the largest size / at the smallest; RHO: Spearman correlation of "
            + "input size and peak RSS over runs.");
      }
      out.flush();
      return 0;
    }
  }
}
