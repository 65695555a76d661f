package dev.presize.workloads;

import dev.presize.spi.function.PresizeFunction;
import java.io.PrintStream;
import java.net.URI;
import java.util.Optional;

/**
 * The command line that runs one invocation in this JVM: args {@code NAME SIZE SEED [SERVER_URI]}; prints the
 * response JSON on one stdout line; exit 0, or a message on stderr and exit 1 (2 for bad arguments).
 */
public final class WorkloadMain {
  static final String USAGE = "usage: WorkloadMain NAME SIZE SEED [SERVER_URI]";

  private WorkloadMain() {}

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one invocation; returns the exit code (0 ok, 1 the function failed, 2 bad arguments). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 3 || args.length > 4) {
      err.println(USAGE);
      return 2;
    }
    Workload workload;
    long size;
    long seed;
    Optional<URI> server = Optional.empty();
    String request;
    try {
      workload = Workloads.byName(args[0]);
      size = parseLong("SIZE", args[1]);
      seed = parseLong("SEED", args[2]);
      if (args.length == 4) {
        server = Optional.of(URI.create(args[3]));
      }
      request = Workloads.request(workload, size, seed, server);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try {
      PresizeFunction function = workload.factory().get();
      out.println(function.invoke(request));
      out.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("workload " + workload.name() + " refused the request " + request + ": " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("workload " + workload.name() + " failed: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  private static long parseLong(String name, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, was '" + value + "'", e);
    }
  }
}
