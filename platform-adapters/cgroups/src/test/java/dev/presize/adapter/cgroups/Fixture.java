package dev.presize.adapter.cgroups;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.config.ConfigProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Builds {@code @TempDir} trees shaped like {@code /proc} and {@code /sys/fs/cgroup}. */
public final class Fixture {

  private Fixture() {}

  /** Writes {@code content} to {@code root/relative}, creating parent directories. */
  public static Path write(Path root, String relative, String content) {
    try {
      Path file = root.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A context with these config properties and the system ticker. */
  public static ProviderContext context(Map<String, String> config) {
    return ProviderContext.of(ConfigProperties.of(config));
  }

  /** A v2 group directory with usage, limit, event, stat and pressure files. */
  public static Path v2Group(Path v2Root, String group, String cpuMax, String memoryMax) {
    String g = group.startsWith("/") ? group.substring(1) : group;
    write(v2Root, g + "/cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 40\n"
        + "nr_throttled 7\nthrottled_usec 2500\nnr_bursts 0\nburst_usec 0\n");
    write(v2Root, g + "/memory.current", "104857600\n");
    write(v2Root, g + "/memory.max", memoryMax + "\n");
    write(v2Root, g + "/memory.events", "low 0\nhigh 0\nmax 3\noom 2\noom_kill 1\noom_group_kill 0\n");
    write(v2Root, g + "/memory.stat", "anon 80000000\nfile 20000000\nkernel 1000\nactive_anon 70000000\n"
        + "inactive_anon 10000000\nactive_file 4857600\ninactive_file 15000000\nunevictable 0\n");
    if (cpuMax != null) {
      write(v2Root, g + "/cpu.max", cpuMax + "\n");
    }
    write(v2Root, g + "/cpu.pressure", "some avg10=0.00 avg60=0.00 avg300=0.00 total=111\n");
    write(v2Root, g + "/memory.pressure", "some avg10=0.10 avg60=0.00 avg300=0.00 total=222\n"
        + "full avg10=0.00 avg60=0.00 avg300=0.00 total=200\n");
    write(v2Root, g + "/io.pressure", "some avg10=1.50 avg60=0.20 avg300=0.00 total=333\n"
        + "full avg10=1.00 avg60=0.10 avg300=0.00 total=300\n");
    return v2Root.resolve(g);
  }
}
