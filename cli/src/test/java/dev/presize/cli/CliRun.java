package dev.presize.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One {@code presize} command line run in this JVM: its exit code and what it printed. */
record CliRun(int exit, String out, String err) {

  /** Skips the calling test, saying why, on a host without a writable cgroup hierarchy (presize run needs one). */
  static void assumeCgroup() {
    var ctx = dev.presize.spi.ProviderContext.of(dev.presize.spi.config.ConfigProperties.empty());
    try {
      dev.presize.spi.ProviderRegistry.load(dev.presize.spi.host.ResourceGroupProvider.class)
          .select(java.util.Optional.empty(), p -> p.probe(ctx));
    } catch (dev.presize.spi.PresizeException e) {
      org.junit.jupiter.api.Assumptions.assumeTrue(false, "no writable cgroup hierarchy on this host (presize run"
          + " needs one): " + e.getMessage());
    }
  }

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
