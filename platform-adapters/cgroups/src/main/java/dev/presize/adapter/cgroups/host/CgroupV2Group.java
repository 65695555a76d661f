package dev.presize.adapter.cgroups.host;

import dev.presize.spi.Ticker;
import dev.presize.spi.resources.ResourceProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A cgroup v2 group: one directory in the unified hierarchy. */
final class CgroupV2Group extends CgroupGroup {

  private final Path dir;

  CgroupV2Group(String name, String path, Path dir, String shell, Duration removeTimeout, Ticker ticker) {
    super(name, Map.of("", path), List.of(dir), shell, removeTimeout, ticker);
    this.dir = dir;
  }

  @Override
  void apply(ResourceProfile limits) {
    CgroupFiles.write(dir.resolve("cpu.max"),
        CgroupV1Group.quotaMicros(limits.cpuMillicores()) + " " + CgroupV1Group.PERIOD_MICROS);
    CgroupFiles.write(dir.resolve("memory.max"), Long.toString(limits.memoryBytes()));
    Path swap = dir.resolve("memory.swap.max");
    if (Files.exists(swap)) {
      CgroupFiles.write(swap, "0"); // as on v1 (memsw = limit): the group may not swap past its limit
    }
  }

  @Override
  public Map<String, String> limitsInForce() {
    Map<String, String> m = new LinkedHashMap<>();
    long limit = CgroupFiles.readLong(dir.resolve("memory.max"));
    m.put("memory.limit", limit == Long.MAX_VALUE ? "max" : Long.toString(limit));
    String[] cpuMax = CgroupFiles.read(dir.resolve("cpu.max")).split("\\s+");
    m.put("cpu.quota.micros", cpuMax[0]);
    m.put("cpu.period.micros", cpuMax.length > 1 ? cpuMax[1] : Long.toString(CgroupV1Group.PERIOD_MICROS));
    return m;
  }
}
