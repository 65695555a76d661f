package dev.presize.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One {@code presize} command line run in this JVM: its exit code and what it printed. */
record CliRun(int exit, String out, String err) {

  /** Runs {@code args} through {@link Main#commandLine()}, capturing stdout and stderr. */
  static CliRun of(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return new CliRun(cl.execute(args), out.toString(), err.toString());
  }
}
