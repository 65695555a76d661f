package dev.presize.adapter.cgroups.host;

import dev.presize.spi.PresizeException;
import dev.presize.spi.Ticker;
import dev.presize.spi.host.ResourceGroup;
import dev.presize.spi.resources.ResourceProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A created cgroup (one directory per distinct hierarchy) with the shared parts: joining before exec and
 * removal. The v1 and v2 subclasses know the limit files.
 */
abstract class CgroupGroup implements ResourceGroup {

  private static final System.Logger LOG = System.getLogger(CgroupGroup.class.getName());

  /**
   * The join script, run as {@code sh -c SCRIPT presize-join <procs file>... -- <command>...}: writes the
   * shell's own pid into every {@code cgroup.procs} file given, then execs the command (same pid, so the
   * command and all it forks start inside the group). Fails with 125 naming the file it could not join, and
   * runs nothing, rather than running the command outside its limits.
   */
  static final String JOIN_SCRIPT = String.join("\n",
      "while [ \"$#\" -gt 0 ]; do",
      "  if [ \"$1\" = -- ]; then shift; exec \"$@\"; fi",
      "  echo \"$$\" > \"$1\" || { echo \"presize: cannot join cgroup via $1\" >&2; exit 125; }",
      "  shift",
      "done",
      "echo 'presize: no command after --' >&2",
      "exit 126");

  /** {@code $0} of the join script, shown by {@code ps}. */
  static final String JOIN_ARG0 = "presize-join";

  private final String name;
  private final Map<String, String> cgroupPaths;
  private final List<Path> dirs;
  private final String shell;
  private final Duration removeTimeout;
  private final Ticker ticker;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param dirs the group's distinct directories in creation order (removed in reverse)
   */
  CgroupGroup(String name, Map<String, String> cgroupPaths, List<Path> dirs, String shell, Duration removeTimeout,
      Ticker ticker) {
    this.name = name;
    this.cgroupPaths = Map.copyOf(cgroupPaths);
    this.dirs = List.copyOf(dirs);
    this.shell = shell;
    this.removeTimeout = removeTimeout;
    this.ticker = ticker;
  }

  /** Applies CPU and memory limits; called once at creation (and usable to resize). */
  abstract void apply(ResourceProfile limits);

  @Override
  public String name() {
    return name;
  }

  @Override
  public Map<String, String> cgroupPaths() {
    return cgroupPaths;
  }

  /** Every process in any of the group's directories (they normally all hold the same ones). */
  @Override
  public List<Long> processes() {
    java.util.Set<Long> pids = new java.util.TreeSet<>();
    for (Path dir : dirs) {
      try {
        for (String line : java.nio.file.Files.readAllLines(dir.resolve("cgroup.procs"))) {
          if (!line.isBlank()) {
            pids.add(Long.parseLong(line.strip()));
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("read " + dir.resolve("cgroup.procs"), e);
      }
    }
    return List.copyOf(pids);
  }

  /** The group's distinct directories. */
  List<Path> dirs() {
    return dirs;
  }

  @Override
  public List<String> wrap(List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command to wrap is empty");
    }
    List<String> wrapped = new ArrayList<>(dirs.size() + command.size() + 5);
    wrapped.add(shell);
    wrapped.add("-c");
    wrapped.add(JOIN_SCRIPT);
    wrapped.add(JOIN_ARG0);
    for (Path dir : dirs) {
      wrapped.add(dir.resolve("cgroup.procs").toString());
    }
    wrapped.add("--");
    wrapped.addAll(command);
    return Collections.unmodifiableList(wrapped);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (int i = dirs.size() - 1; i >= 0; i--) {
      remove(dirs.get(i));
    }
  }

  /**
   * Removes one group directory: rmdir, retried until {@link #removeTimeout} while processes are still
   * leaving; then a warning naming the group and what is left in it. Never kills anything.
   */
  private void remove(Path dir) {
    long deadline = ticker.read() + removeTimeout.toNanos();
    while (true) {
      try {
        Files.delete(dir); // rmdir: cgroupfs removes the control files with the directory
        return;
      } catch (NoSuchFileException gone) {
        return; // already removed (by an administrator or an earlier close): the goal is reached
      } catch (IOException e) {
        if (ticker.read() - deadline >= 0) {
          LOG.log(System.Logger.Level.WARNING, () -> "cgroup=" + dir + " group=" + name
              + " action=left-in-place reason=\"" + CgroupFiles.reason(e) + "\" procs=" + procs(dir)
              + " (its processes did not leave within " + removeTimeout + "; remove it with rmdir once they exit)");
          return;
        }
        try {
          TimeUnit.MILLISECONDS.sleep(10);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          LOG.log(System.Logger.Level.WARNING, () -> "cgroup=" + dir + " group=" + name
              + " action=left-in-place reason=interrupted procs=" + procs(dir));
          return;
        }
      }
    }
  }

  private static String procs(Path dir) {
    try {
      return "[" + String.join(",", Files.readAllLines(dir.resolve("cgroup.procs"))) + "]";
    } catch (IOException e) {
      return "unknown (" + CgroupFiles.reason(e) + ")";
    }
  }

  /** Removes what was created so far after a failed creation, keeping the failure as the primary error. */
  static void undo(List<Path> created, PresizeException failure) {
    for (int i = created.size() - 1; i >= 0; i--) {
      try {
        Files.deleteIfExists(created.get(i));
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }

  /**
   * Creates a directory named {@code requested} (made safe: letters, digits, {@code _} and {@code -}) under
   * every parent, suffixing {@code -2}, {@code -3}, ... until the name is free under all of them (mkdir is the
   * atomic claim, so two creators never share a group).
   *
   * @param created receives the directories made, in order
   * @return the name used
   */
  /**
   * {@link dev.presize.spi.host.ResourceGroupProvider#removeAbandoned} over {@code parents} (one per v1 hierarchy):
   * a group named {@code prefix<pid>-...} whose pid is no running process is removed from every parent, but only
   * when none of its directories has a process in {@code cgroup.procs}.
   */
  static List<String> removeAbandoned(List<Path> parents, String prefix) {
    java.util.Map<String, List<Path>> candidates = new java.util.TreeMap<>();
    for (Path parent : parents) {
      try (java.util.stream.Stream<Path> children = Files.list(parent)) {
        for (Path dir : children.filter(Files::isDirectory).toList()) {
          String name = dir.getFileName().toString();
          if (name.startsWith(prefix) && makerGone(name.substring(prefix.length()))) {
            candidates.computeIfAbsent(name, n -> new ArrayList<>()).add(dir);
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, () -> "cgroup parent=" + parent + " not swept: " + e);
      }
    }
    List<String> removed = new ArrayList<>();
    for (java.util.Map.Entry<String, List<Path>> group : candidates.entrySet()) {
      try {
        boolean empty = true;
        for (Path dir : group.getValue()) {
          empty &= CgroupFiles.read(dir.resolve("cgroup.procs")).isBlank();
        }
        if (!empty) {
          continue; // something runs in it: not abandoned
        }
        for (Path dir : group.getValue()) {
          Files.delete(dir);
        }
        removed.add(group.getKey());
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, () -> "cgroup=" + group.getKey() + " abandoned, not removed: " + e);
      }
    }
    return List.copyOf(removed);
  }

  /** Whether the process whose id starts {@code rest} ({@code <pid>-...}) is gone; false for another shape. */
  private static boolean makerGone(String rest) {
    int dash = rest.indexOf('-');
    try {
      return ProcessHandle.of(Long.parseLong(dash < 0 ? rest : rest.substring(0, dash))).isEmpty();
    } catch (NumberFormatException e) {
      return false; // not a name of this convention
    }
  }

  static String createUnique(List<Path> parents, String requested, List<Path> created) {
    String base = requested.replaceAll("[^A-Za-z0-9_-]", "-");
    if (base.isEmpty() || base.length() > 64) {
      base = base.isEmpty() ? "group" : base.substring(0, 64);
    }
    for (int attempt = 1; attempt <= 1000; attempt++) {
      String candidate = attempt == 1 ? base : base + "-" + attempt;
      boolean taken = false;
      for (Path parent : parents) {
        Path dir = parent.resolve(candidate);
        try {
          Files.createDirectory(dir);
          created.add(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
          taken = true; // someone has this name under this parent: release ours and try the next suffix
          break;
        } catch (IOException e) {
          PresizeException failure = new PresizeException("create cgroup", dir.toString(), CgroupFiles.reason(e), e);
          undo(created, failure);
          created.clear();
          throw failure;
        }
      }
      if (!taken) {
        return candidate;
      }
      PresizeException none = new PresizeException("create cgroup", candidate, "name taken");
      undo(created, none);
      if (none.getSuppressed().length > 0) {
        throw new PresizeException("create cgroup", parents.toString(),
            "could not remove a half-created group " + candidate, none);
      }
      created.clear();
    }
    throw new PresizeException("create cgroup", parents.toString(),
        "names " + base + " to " + base + "-1000 are all taken; remove stale groups");
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + " " + cgroupPaths + "]";
  }
}
