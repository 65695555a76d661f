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
    List<CommandLine> all = new ArrayList<>();
    collect(Main.commandLine(), all);
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

  private static void collect(CommandLine cl, List<CommandLine> into) {
    into.add(cl);
    cl.getSubcommands().values().forEach(sub -> collect(sub, into));
  }
}
