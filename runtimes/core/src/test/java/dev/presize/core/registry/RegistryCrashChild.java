package dev.presize.core.registry;

import java.nio.file.Path;
import java.util.Random;

/**
 * A child JVM for {@link RegistryCrashTest}: works a filesystem registry until it is killed ({@code churn}), or
 * publishes and promotes N versions and exits ({@code count N}).
 *
 * <p>Usage: {@code RegistryCrashChild ROOT NAME SRC_A SRC_B churn|count N}.
 */
public final class RegistryCrashChild {

  private RegistryCrashChild() {}

  public static void main(String[] args) {
    Path root = Path.of(args[0]);
    String name = args[1];
    Path[] sources = {Path.of(args[2]), Path.of(args[3])};
    boolean churn = args[4].equals("churn");
    int count = churn ? Integer.MAX_VALUE : Integer.parseInt(args[5]);
    ModelRegistry r = new FileSystemModelRegistry(root);
    Random rnd = new Random(ProcessHandle.current().pid());
    System.out.println("ready");
    System.out.flush();
    for (int i = 0; i < count; i++) {
      ModelVersion v = r.publish(name, sources[i % 2]);
      int op = churn ? rnd.nextInt(4) : 0;
      switch (op) {
        case 0, 1 -> r.promote(name, v.version());
        case 2 -> r.reject(name, v.version(), "crash test");
        default -> {
          try {
            r.rollback(name);
          } catch (RegistryException e) {
            if (e.problem() != RegistryException.Problem.STATE) {
              throw e;
            }
            // nothing to roll back to yet: expected early in the run
          }
        }
      }
    }
  }
}
