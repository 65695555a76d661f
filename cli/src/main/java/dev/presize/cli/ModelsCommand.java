package dev.presize.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.core.registry.FileSystemModelRegistry;
import dev.presize.core.registry.ModelRegistry;
import dev.presize.core.registry.ModelState;
import dev.presize.core.registry.ModelSummary;
import dev.presize.core.registry.ModelVersion;
import dev.presize.core.registry.Promotion;
import dev.presize.core.registry.RegistryException;
import dev.presize.core.registry.VerifiedModel;
import dev.presize.core.registry.Version;
import dev.presize.spi.config.ConfigProperties;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code presize models}: the model registry (list, show, submit, promote, rollback); see docs/registry.md. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "The model registry.",
    subcommands = {ModelsCommand.ListCommand.class, ModelsCommand.ShowCommand.class,
        ModelsCommand.PromoteCommand.class, ModelsCommand.RollbackCommand.class, SubmitCommand.class})
final class ModelsCommand implements Runnable {

  /** Configuration key of the registry directory when {@code --registry} is not given. */
  static final String REGISTRY_DIR = "presize.registry.dir";
  /** The registry directory when neither {@code --registry} nor {@value #REGISTRY_DIR} is given. */
  static final String DEFAULT_REGISTRY_DIR = "./registry";
  /** Exit code when the registry refuses an operation (damaged, unknown, wrong state, lost race). */
  static final int REFUSED = 1;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** An instant for people: ISO-8601 in UTC to the second ({@code 2026-11-25T02:40:12Z}); JSON keeps it exact. */
  static String time(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * Prints {@code rows} (the first is the header) as columns as wide as their widest cell, two spaces apart; the
   * columns from {@code rightFrom} on (numbers) are aligned right, and the last column is not padded.
   */
  static void printTable(PrintWriter out, List<String[]> rows, int rightFrom) {
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        String pad = " ".repeat(width[i] - r[i].length());
        boolean last = i == r.length - 1;
        line.append(i == 0 ? "" : "  ").append(i >= rightFrom ? pad + r[i] : r[i] + (last ? "" : pad));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** The options every {@code models} subcommand takes. */
  static final class RegistryOptions {
    @Option(names = "--registry", paramLabel = "DIR",
        description = "The registry directory (default: config " + REGISTRY_DIR + ", else " + DEFAULT_REGISTRY_DIR
            + ").")
    Path registry;

    @Option(names = "--json", description = "JSON on stdout, with stable keys (errors too: {error, problem}).")
    boolean json;

    /** The registry directory: {@code --registry}, else config {@value #REGISTRY_DIR}, else the default. */
    Path dir() {
      return registry != null ? registry
          : Path.of(ConfigProperties.fromEnvironment(Map.of()).getString(REGISTRY_DIR, DEFAULT_REGISTRY_DIR));
    }

    /**
     * Opens the registry. Only a command that may create it ({@code models submit}: the registry makes its
     * directories on the first publish) takes a directory that does not exist yet; for the others a missing one is a
     * mistyped path, refused as a usage error of {@code cl}, as is a path that is a file.
     */
    ModelRegistry open(CommandLine cl, boolean mayCreate) {
      Path dir = dir();
      String option = registry != null ? "--registry" : "registry (config " + REGISTRY_DIR + ", else "
          + DEFAULT_REGISTRY_DIR + ")";
      if (!mayCreate || Files.exists(dir)) {
        requireRegistry(cl, option, dir);
      }
      return new FileSystemModelRegistry(dir);
    }
  }

  /**
   * Refuses a registry directory to read, given as {@code option}, that does not exist or is a file: a usage error of
   * {@code cl} (a mistyped path is not an empty registry).
   */
  static void requireRegistry(CommandLine cl, String option, Path dir) {
    if (!Files.exists(dir)) {
      throw new UsageError(cl, option + " " + dir + ": no such directory (presize models submit creates a registry)");
    }
    TraceInput.requireDirectory(cl, option, dir);
  }

  /**
   * Runs a subcommand's body: registry refusals exit 1 with the message, bad names, versions or paths exit 2, and with
   * {@code --json} every error is also printed as {@code {error, problem}} on stdout (a refusal here, the others by
   * {@link Main#jsonError}, as for every command with {@code --json}).
   */
  abstract static class Base implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    RegistryOptions options;

    final ObjectMapper mapper = new ObjectMapper();

    abstract void body(ModelRegistry registry, PrintWriter out) throws Exception;

    /** Whether the command may create a registry that does not exist yet (only submit: read commands may not). */
    boolean createsRegistry() {
      return false;
    }

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try {
        body(options.open(spec.commandLine(), createsRegistry()), out);
        return 0;
      } catch (SubmitCommand.GateRefusal e) {
        return REFUSED;
      } catch (IllegalArgumentException e) {
        throw new UsageError(spec.commandLine(), e.getMessage()); // with --json also {error, problem}: Main
      } catch (RegistryException e) {
        if (e.problem() == RegistryException.Problem.IO) {
          throw e; // not a refusal: Presize failed (exit 125; with --json {error, problem: io}: Main)
        }
        jsonError(e, e.problem().name().toLowerCase(Locale.ROOT));
        spec.commandLine().getErr().println("presize: " + e.getMessage());
        return REFUSED;
      } finally {
        out.flush();
      }
    }

    /** With {@code --json}, prints {@code e} as {@code {error, problem}} on {@code out}. */
    void jsonError(Exception e, String problem) {
      if (options.json) {
        Main.jsonError(spec.commandLine(), true, e.getMessage(), problem);
      }
    }

    static Version version(String text) {
      return Version.parse(text); // IllegalArgumentException naming the bad value: a usage error
    }

    ObjectNode versionJson(ModelVersion v) {
      ObjectNode o = mapper.createObjectNode();
      o.put("name", v.name());
      o.put("version", v.version().toString());
      o.put("state", v.state().label());
      o.put("submittedAt", v.submittedAt().toString());
      putOptional(o, "promotedAt", v.promotedAt().map(Instant::toString));
      putOptional(o, "reason", v.reason());
      o.put("digest", v.model().digest());
      o.put("featureSchemaId", v.model().featureSchemaId());
      o.put("createdAt", v.model().createdAt().toString());
      ArrayNode targets = o.putArray("targets");
      v.model().targets().forEach(targets::add);
      return o;
    }

    static void putOptional(ObjectNode o, String key, Optional<String> value) {
      if (value.isPresent()) {
        o.put(key, value.get());
      } else {
        o.putNull(key);
      }
    }

    void promotion(Promotion p, PrintWriter out) throws Exception {
      if (options.json) {
        ObjectNode o = mapper.createObjectNode();
        o.put("name", p.name());
        o.put("current", p.current().toString());
        putOptional(o, "previous", p.previous().map(Version::toString));
        o.put("at", p.at().toString());
        out.println(mapper.writeValueAsString(o));
      } else {
        out.printf(Locale.ROOT, "%s: current is %s (was %s)%n", p.name(), p.current(),
            p.previous().map(Version::toString).orElse("none"));
      }
    }
  }

  /** {@code presize models list}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists the models in the registry: current version, latest version, number of versions.")
  static final class ListCommand extends Base {
    @Override
    void body(ModelRegistry registry, PrintWriter out) throws Exception {
      List<ModelSummary> models = registry.list();
      if (options.json) {
        ArrayNode a = mapper.createArrayNode();
        for (ModelSummary m : models) {
          ObjectNode o = a.addObject();
          o.put("name", m.name());
          putOptional(o, "current", m.current().map(Version::toString));
          o.put("latest", m.latest().toString());
          o.put("versions", m.versions());
        }
        out.println(mapper.writeValueAsString(a));
      } else {
        out.printf(Locale.ROOT, "%-24s %-8s %-8s %s%n", "NAME", "CURRENT", "LATEST", "VERSIONS");
        for (ModelSummary m : models) {
          out.printf(Locale.ROOT, "%-24s %-8s %-8s %d%n", m.name(), m.current().map(Version::toString).orElse("-"),
              m.latest(), m.versions());
        }
      }
    }
  }

  /** {@code presize models show NAME [VERSION]}. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "The versions of a model with their states; with VERSION, that version verified against its "
          + "checksums.")
  static final class ShowCommand extends Base {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", arity = "0..1", description = "v1, v2, ...")
    String version;

    @Override
    void body(ModelRegistry registry, PrintWriter out) throws Exception {
      if (version != null) {
        VerifiedModel m = registry.open(name, version(version));
        if (options.json) {
          ObjectNode o = versionJson(m.version());
          o.put("directory", m.directory().toString());
          o.put("verified", true);
          out.println(mapper.writeValueAsString(o));
        } else {
          ModelVersion v = m.version();
          out.printf(Locale.ROOT, "%s %s: %s, checksums verified%n", v.name(), v.version(), v.state().label());
          out.printf(Locale.ROOT, "  directory       %s%n", m.directory());
          out.printf(Locale.ROOT, "  submitted       %s%n", time(v.submittedAt()));
          out.printf(Locale.ROOT, "  promoted        %s%n", v.promotedAt().map(ModelsCommand::time).orElse("-"));
          v.reason().ifPresent(r -> out.printf(Locale.ROOT, "  reason          %s%n", r));
          out.printf(Locale.ROOT, "  model created   %s%n", time(v.model().createdAt()));
          out.printf(Locale.ROOT, "  feature schema  %s%n", v.model().featureSchemaId());
          out.printf(Locale.ROOT, "  targets         %s%n", String.join(", ", v.model().targets()));
          out.printf(Locale.ROOT, "  digest          %s%n", v.model().digest());
        }
        return;
      }
      List<ModelVersion> versions = registry.versions(name);
      if (options.json) {
        ObjectNode o = mapper.createObjectNode();
        o.put("name", name);
        putOptional(o, "current", versions.stream().filter(v -> v.state() == ModelState.CURRENT).findFirst()
            .map(v -> v.version().toString()));
        ArrayNode a = o.putArray("versions");
        versions.forEach(v -> a.add(versionJson(v)));
        out.println(mapper.writeValueAsString(o));
      } else {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"VERSION", "STATE", "SUBMITTED", "PROMOTED", "DIGEST", "REASON"});
        for (ModelVersion v : versions) {
          rows.add(new String[] {v.version().toString(), v.state().label(), time(v.submittedAt()),
              v.promotedAt().map(ModelsCommand::time).orElse("-"), v.model().digest().substring(0, 20),
              v.reason().orElse("")});
        }
        printTable(out, rows, rows.get(0).length);
      }
    }
  }

  /** {@code presize models promote NAME VERSION}. */
  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Makes VERSION current after verifying its checksums (refused, exit 1, if damaged or rejected).")
  static final class PromoteCommand extends Base {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", description = "v1, v2, ...")
    String version;

    @Override
    void body(ModelRegistry registry, PrintWriter out) throws Exception {
      promotion(registry.promote(name, version(version)), out);
    }
  }

  /** {@code presize models rollback NAME}. */
  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Makes the version that was current before the current one current again (verified first).")
  static final class RollbackCommand extends Base {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    void body(ModelRegistry registry, PrintWriter out) throws Exception {
      promotion(registry.rollback(name), out);
    }
  }
}
