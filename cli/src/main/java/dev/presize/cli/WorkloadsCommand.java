package dev.presize.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.spi.resources.Resource;
import dev.presize.workloads.Workload;
import dev.presize.workloads.Workloads;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code presize workloads}: the suite of real functions the corpus is recorded from. */
@Command(name = "workloads", mixinStandardHelpOptions = true, description = "The suite of real functions.",
    subcommands = {WorkloadsCommand.ListCommand.class})
final class WorkloadsCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** {@code presize workloads list [--json]}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists the workloads with their category, the resources they stress, whether they can be "
          + "checkpointed, the largest input size each accepts and the sizes record-suite records.")
  static final class ListCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "A JSON array of {name, category, resources, checkpointable, ...}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (Workload w : Workloads.all()) {
          ObjectNode o = array.addObject();
          o.put("name", w.name());
          o.put("category", w.category());
          ArrayNode res = o.putArray("resources");
          w.resources().forEach(r -> res.add(r.name().toLowerCase(Locale.ROOT)));
          o.put("checkpointable", w.checkpointable());
          o.put("description", w.description());
          ArrayNode sizes = o.putArray("sizes");
          w.sizes().forEach(sizes::add);
          o.put("maxSize", w.maxSize());
          o.put("needsServer", w.needsServer());
        }
        out.println(mapper.writeValueAsString(array));
      } else {
        out.printf(Locale.ROOT, "%-22s %-9s %-28s %-13s %-10s %s%n", "NAME", "CATEGORY", "RESOURCES (dominant first)",
            "CHECKPOINT", "MAX SIZE", "SIZES (recorded)");
        for (Workload w : Workloads.all()) {
          out.printf(Locale.ROOT, "%-22s %-9s %-28s %-13s %-10d %s%n", w.name(), w.category(),
              w.resources().stream().map(Resource::name).map(s -> s.toLowerCase(Locale.ROOT))
                  .collect(Collectors.joining(",")),
              w.checkpointable() ? "yes" : "no", w.maxSize(), w.sizes());
        }
      }
      out.flush();
      return 0;
    }
  }
}
