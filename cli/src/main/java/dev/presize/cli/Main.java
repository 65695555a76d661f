package dev.presize.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code presize} command line: the entry point of every Presize tool on a host. */
@Command(name = "presize", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Sizes serverless function invocations ahead of their need.",
    subcommands = {DemoCommand.class, RunCommand.class, FeedbackCommand.class, RecordCommand.class,
        WorkloadsCommand.class, RecordSuiteCommand.class, CorpusCommand.class, TraceCommand.class, TrainCommand.class,
        TrainCrossingCommand.class, EvaluateCommand.class, CheckpointSimCommand.class, ModelsCommand.class,
        ServeCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /**
   * Exit code when Presize itself fails (as opposed to the command it runs): 125, as {@code env} and
   * {@code timeout} do, so it is not mistaken for a command's own exit code. Usage errors exit 2.
   */
  public static final int PRESIZE_FAILED = 125;

  public static void main(String[] args) {
    // Log lines as "presize: WARNING: message" on stderr, not the JDK's two-line default with a date and the class
    // (a user's own -Djava.util.logging.* settings win).
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null
        && System.getProperty("java.util.logging.config.file") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "presize: %4$s: %5$s%6$s%n");
    }
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests; {@code main} exits with it). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    SpaceWrappingHelp.use(cl);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      boolean io = ex instanceof dev.presize.core.registry.RegistryException r
          && r.problem() == dev.presize.core.registry.RegistryException.Problem.IO;
      jsonError(commandLine, commandLine.getParseResult() != null && commandLine.getParseResult()
          .hasMatchedOption("--json"), ex.getMessage() != null ? ex.getMessage() : ex.toString(),
          ex instanceof dev.presize.local.Recorder.Stopped ? "stopped" : io ? "io" : "failed");
      commandLine.getErr().println("presize: " + ex.getMessage());
      if (System.getenv("PRESIZE_DEBUG") != null) {
        ex.printStackTrace(commandLine.getErr());
      }
      // Ctrl-C or SIGTERM before a command started: the status a shell gives a process ended by that signal
      return ex instanceof dev.presize.local.Recorder.Stopped stopped ? stopped.exitCode() : PRESIZE_FAILED;
    });
    CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
    cl.setParameterExceptionHandler((ex, args) -> {
      String shortMessage = shortMessage(ex);
      CommandLine sub = ex.getCommandLine();
      jsonError(sub, jsonAsked(sub, args), shortMessage != null ? shortMessage : ex.getMessage(), "usage");
      if (shortMessage == null) {
        return usage.handleParseException(ex, args);
      }
      sub.getErr().println(sub.getCommandSpec().qualifiedName() + ": " + shortMessage);
      sub.getErr().println("see " + sub.getCommandSpec().qualifiedName() + " --help");
      return sub.getCommandSpec().exitCodeOnInvalidInput();
    });
    // A group (presize, presize models, ...) without one of its commands is a usage error, not a success.
    cl.setExecutionStrategy(parseResult -> {
      Integer help = CommandLine.executeHelpRequest(parseResult); // --help or --version anywhere: printed here
      if (help != null) {
        return help;
      }
      CommandLine.ParseResult leaf = parseResult;
      while (leaf.hasSubcommand()) {
        leaf = leaf.subcommand();
      }
      CommandLine group = leaf.commandSpec().commandLine();
      if (!group.getSubcommands().isEmpty()) {
        throw new MissingCommand(group);
      }
      return new CommandLine.RunLast().execute(parseResult);
    });
    // -V on a subcommand prints the same as on presize (mixinStandardHelpOptions adds it everywhere)
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getCommandSpec().version().length == 0) {
        sub.getCommandSpec().versionProvider(new Version());
      }
    }
    return cl;
  }

  /**
   * Whether {@code --json} was given to the command (its parse result when it got that far, else the arguments
   * before {@code --}: what follows is the user's command's).
   */
  static boolean jsonAsked(CommandLine command, String[] args) {
    if (command.getParseResult() != null && command.getParseResult().hasMatchedOption("--json")) {
      return true;
    }
    for (String a : args) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("--json")) {
        return true;
      }
    }
    return false;
  }

  /**
   * With {@code --json} given to a command that has it, an error is also one JSON object on stdout, {@code {error,
   * problem}} ({@code usage}, {@code failed}, {@code io}; {@code models} adds its refusals), for the scripts that read
   * stdout; the message for people still goes to stderr.
   */
  static void jsonError(CommandLine command, boolean json, String message, String problem) {
    if (!json || command.getCommandSpec().findOption("--json") == null) {
      return;
    }
    java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
    o.put("error", message);
    o.put("problem", problem);
    command.getOut().println(dev.presize.local.run.RunSummary.jsonLine(o));
    command.getOut().flush();
  }

  /**
   * The one line to print for {@code ex} without the usage dump, or null for picocli's own message and usage: a
   * {@link UsageError} or a plain {@link CommandLine.ParameterException} (what the commands throw for a bad
   * combination of options or a value naming something that is not there) as it is, and a bad option value as
   * {@code --memory abc: not a size (e.g. 256Mi, 1Gi)}. Parse errors of their own kind (an unknown option, a missing
   * parameter) keep picocli's message and usage.
   */
  static String shortMessage(CommandLine.ParameterException ex) {
    if (ex instanceof MissingCommand) {
      return null;
    }
    if (ex.getCause() == null && (ex instanceof UsageError || ex.getClass() == CommandLine.ParameterException.class)) {
      return ex.getMessage();
    }
    if (ex.getCause() instanceof CommandLine.TypeConversionException conversion
        && ex.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
      return option.longestName() + " " + ex.getValue() + ": " + plain(conversion.getMessage());
    }
    return null;
  }

  /** picocli's own conversion messages name Java types ({@code 'abc' is not a long}); these say what was expected. */
  private static final Pattern JAVA_TYPE = Pattern.compile("'.*' is not an? (int|long|short|byte|double|float)");

  static String plain(String conversionMessage) {
    Matcher m = JAVA_TYPE.matcher(conversionMessage);
    if (!m.matches()) {
      return conversionMessage;
    }
    return switch (m.group(1)) {
      case "double", "float" -> "not a number";
      default -> "not a whole number";
    };
  }

  /** A group command run without one of its commands: picocli prints the message and the group's usage (exit 2). */
  static final class MissingCommand extends CommandLine.ParameterException {
    MissingCommand(CommandLine group) {
      super(group, group.getCommandSpec().qualifiedName() + ": which command? One of "
          + String.join(", ", group.getSubcommands().keySet().stream().filter(n -> !n.equals("help")).toList()));
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /**
   * The version from the jar manifest (the project's version; "dev" when run from classes, as the tests do) and the
   * Java runtime it runs on, for bug reports.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"presize " + (v == null ? "dev" : v),
          "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")"};
    }
  }
}
