package dev.presize.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * picocli's help, wrapped at spaces only. picocli breaks long lines where Java's line {@link java.text.BreakIterator}
 * allows, which is also after every {@code .} and {@code -}: property names, file names and options came out split
 * ({@code presize.policy.} / {@code memory.headroom=20%}, {@code <n>.csv.} / {@code gz}). Here a {@code .} or
 * {@code -} followed by anything but a space is held as a private-use character while picocli lays the text out (so
 * it is part of a word there), and given back in the text printed. Applies to the option and parameter lists, the
 * command lists, and the description, header and footer of every command.
 */
final class SpaceWrappingHelp extends CommandLine.Help {

  private static final char DOT = '\uE000';
  private static final char DASH = '\uE001';

  SpaceWrappingHelp(CommandSpec spec, ColorScheme scheme) {
    super(spec, scheme);
  }

  /** Sets this help on {@code cl} and every command under it. */
  static void use(CommandLine cl) {
    cl.setHelpFactory(SpaceWrappingHelp::new);
  }

  /**
   * {@code text} with each {@code .} and {@code -} that a non-space follows held; not a {@code %-} format flag, nor
   * inside a picocli variable such as {@code ${DEFAULT-VALUE}}, which must stay as it is to be resolved.
   */
  static String hold(String text) {
    if (text == null || (text.indexOf('.') < 0 && text.indexOf('-') < 0)) {
      return text;
    }
    char[] c = text.toCharArray();
    boolean variable = false;
    for (int i = 0; i + 1 < c.length; i++) {
      boolean joined = !Character.isWhitespace(c[i + 1]);
      if (c[i] == '$' && c[i + 1] == '{') {
        variable = true;
      } else if (variable) {
        variable = c[i] != '}';
      } else if (c[i] == '.' && joined) {
        c[i] = DOT;
      } else if (c[i] == '-' && joined && (i == 0 || c[i - 1] != '%')) {
        c[i] = DASH;
      }
    }
    return new String(c);
  }

  /** {@code text} with what {@link #hold} held given back. */
  static String release(String text) {
    return text.replace(DOT, '.').replace(DASH, '-');
  }

  @Override
  public Layout createDefaultLayout(List<OptionSpec> options, List<PositionalParamSpec> positionals,
      ColorScheme scheme) {
    Layout layout = super.createDefaultLayout(options, positionals, scheme);
    return new Layout(scheme, new Table(scheme, layout.textTable().columns()), layout.optionRenderer(),
        layout.parameterRenderer());
  }

  @Override
  public String description(Object... params) {
    UsageMessageSpec u = commandSpec().usageMessage();
    return heldWhile(u.description(), u::description, () -> super.description(params));
  }

  @Override
  public String header(Object... params) {
    UsageMessageSpec u = commandSpec().usageMessage();
    return heldWhile(u.header(), u::header, () -> super.header(params));
  }

  @Override
  public String footer(Object... params) {
    UsageMessageSpec u = commandSpec().usageMessage();
    return heldWhile(u.footer(), u::footer, () -> super.footer(params));
  }

  /** Renders with {@code lines} held in the spec ({@code set}), then puts them back and releases the text. */
  private static String heldWhile(String[] lines, java.util.function.Consumer<String[]> set,
      java.util.function.Supplier<String> render) {
    set.accept(held(lines));
    try {
      return release(render.get());
    } finally {
      set.accept(lines);
    }
  }

  @Override
  public String commandList(java.util.Map<String, CommandLine.Help> subcommands) {
    // the list shows each command's header or description: held in their specs while it is laid out
    List<UsageMessageSpec> specs = subcommands.values().stream().map(h -> h.commandSpec().usageMessage()).toList();
    List<String[]> descriptions = specs.stream().map(UsageMessageSpec::description).toList();
    List<String[]> headers = specs.stream().map(UsageMessageSpec::header).toList();
    try {
      specs.forEach(u -> u.description(held(u.description())).header(held(u.header())));
      return release(super.commandList(subcommands));
    } finally {
      for (int i = 0; i < specs.size(); i++) {
        specs.get(i).description(descriptions.get(i)).header(headers.get(i));
      }
    }
  }

  private static String[] held(String[] lines) {
    String[] out = new String[lines.length];
    for (int i = 0; i < lines.length; i++) {
      out[i] = hold(lines[i]);
    }
    return out;
  }

  /** A text table that lays out held text and prints it given back. */
  private static final class Table extends TextTable {
    private final ColorScheme scheme;

    Table(ColorScheme scheme, Column[] columns) {
      super(scheme, columns);
      this.scheme = scheme;
    }

    @Override
    public Cell putValue(int row, int col, Text value) {
      if (value == null) {
        return super.putValue(row, col, null);
      }
      String plain = value.plainString();
      String held = hold(plain);
      // only plain text is held (option names, which picocli styles, have nothing to hold that it would split)
      return super.putValue(row, col, held.equals(plain) || !value.toString().equals(plain) ? value
          : scheme.ansi().new Text(held, scheme));
    }

    @Override
    public StringBuilder toString(StringBuilder text) {
      int from = text.length();
      String laidOut = release(super.toString(text).substring(from));
      text.setLength(from);
      return text.append(laidOut);
    }
  }
}
