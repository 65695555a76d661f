package dev.presize.adapter.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses {@code /proc/<pid>/cgroup}: which group a process is in, per controller.
 *
 * <p>Each line is {@code id:controllers:path}. A v1 line lists its controllers ({@code cpu,cpuacct} yields
 * both keys; named hierarchies keep their {@code name=systemd} key); the v2 line ({@code 0::/path}) has the key
 * {@code ""}, as in {@link dev.presize.spi.metrics.SamplingTarget#cgroupPaths()}.
 */
public final class ProcCgroups {

  private ProcCgroups() {}

  /** Controller (or {@code ""} for v2) to group path, from the text of a {@code /proc/<pid>/cgroup} file. */
  public static Map<String, String> parse(String text) {
    Map<String, String> paths = new TreeMap<>();
    for (String line : text.split("\n")) {
      int first = line.indexOf(':');
      int second = first < 0 ? -1 : line.indexOf(':', first + 1);
      if (second < 0) {
        continue; // blank line
      }
      String controllers = line.substring(first + 1, second);
      String path = line.substring(second + 1);
      if (controllers.isEmpty()) {
        paths.put("", path);
      } else {
        for (String c : controllers.split(",")) {
          paths.put(c, path);
        }
      }
    }
    return paths;
  }

  /** Reads and parses a {@code cgroup} file. */
  public static Map<String, String> read(Path file) throws IOException {
    return parse(Files.readString(file));
  }
}
