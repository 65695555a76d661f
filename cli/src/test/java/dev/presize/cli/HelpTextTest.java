package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's {@code --help} renders as written: picocli formats descriptions with {@code String.format}. */
class HelpTextTest {

  @Test
  @DisplayName("every command's help formats without picocli warnings (a bare '%' in a description would print"
      + " a warning and the raw text)")
  void everyHelpFormats() {
    List<CommandLine> all = everyCommand();
    assertThat(all).hasSizeGreaterThan(10);
    PrintStream saved = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    List<String> helps = new ArrayList<>();
    try {
      System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
      for (CommandLine cl : all) {
        helps.add(cl.getUsageMessage(CommandLine.Help.Ansi.OFF));
      }
    } finally {
      System.setErr(saved);
    }
    assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    for (String help : helps) {
      assertThat(help).contains("Usage: presize").doesNotContain("%n");
    }
  }

  @Test
  @DisplayName("help wraps at spaces only: property names, file names and options stay whole (picocli alone broke"
      + " after every '.' and '-': 'presize.policy.' / 'memory.headroom=20%', '<n>.csv.' / 'gz')")
  void wrapsAtSpacesOnly() {
    List<CommandLine> all = everyCommand();
    StringBuilder every = new StringBuilder();
    for (CommandLine cl : all) {
      String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
      every.append(help);
      assertThat(help).as(cl.getCommandName()).doesNotContain("\uE000", "\uE001")
          .doesNotContainPattern("[A-Za-z0-9]-\\n\\s*[A-Za-z0-9]")
          .doesNotContainPattern("[A-Za-z0-9]\\.\\n\\s*(md|gz|csv|json|jsonl|txt|html)\\b");
    }
    assertThat(every).contains("presize.policy.memory.headroom=20%", "(<n>.csv.gz)", "(docs/model-format.md)",
        "app.jar input.json".replace(" ", "\n"));
    assertThat(SpaceWrappingHelp.hold("%-10s a-b x. y")).isEqualTo("%-10s a\uE001b x. y");
    assertThat(SpaceWrappingHelp.hold("(default ${DEFAULT-VALUE}) a-b"))
        .isEqualTo("(default ${DEFAULT-VALUE}) a\uE001b");
    assertThat(SpaceWrappingHelp.release(SpaceWrappingHelp.hold("docs/model-format.md"))).isEqualTo(
        "docs/model-format.md");
  }

  /** The command line and all its subcommands, depth first. */
  private static List<CommandLine> everyCommand() {
    List<CommandLine> all = new ArrayList<>();
    collect(Main.commandLine(), all);
    return all;
  }

  private static void collect(CommandLine cl, List<CommandLine> into) {
    into.add(cl);
    cl.getSubcommands().values().forEach(sub -> collect(sub, into));
  }
}
