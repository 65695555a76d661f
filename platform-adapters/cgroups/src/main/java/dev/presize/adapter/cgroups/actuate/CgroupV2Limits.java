package dev.presize.adapter.cgroups.actuate;

import dev.presize.spi.resources.ResourceProfile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * v2: {@code cpu.max} ({@code "quota period"} or {@code "max period"}), {@code memory.max}, and
 * {@code memory.high} as an early brake at a fraction of the max (skipped when the file is absent).
 */
final class CgroupV2Limits implements CgroupLimits {

  static final long DEFAULT_PERIOD_MICROS = 100_000;

  private final Path dir;
  private final long guardBytes;
  private final double highFraction;

  CgroupV2Limits(Path dir, long guardBytes, double highFraction) {
    this.dir = dir;
    this.guardBytes = guardBytes;
    this.highFraction = highFraction;
  }

  @Override
  public long usageBytes() {
    return ControlFiles.readLong(dir.resolve("memory.current"));
  }

  @Override
  public long memoryLimitBytes() {
    return ControlFiles.readLong(dir.resolve("memory.max"));
  }

  /**
   * {@code memory.high = max(fraction × bytes, usage + guard)}, at most {@code bytes}. Growing, the max goes first
   * and the brake follows; shrinking, the brake goes first, so the kernel starts reclaiming before the hard limit.
   */
  @Override
  public void setMemory(long bytes, long limitInForce, long usageBytes) {
    Path max = dir.resolve("memory.max");
    Path high = dir.resolve("memory.high");
    boolean withHigh = Files.exists(high, LinkOption.NOFOLLOW_LINKS);
    String highValue = Long.toString(highBytes(bytes, usageBytes));
    if (bytes >= limitInForce) {
      ControlFiles.write(max, Long.toString(bytes));
      if (withHigh) {
        ControlFiles.write(high, highValue);
      }
    } else {
      if (withHigh) {
        ControlFiles.write(high, highValue);
      }
      ControlFiles.write(max, Long.toString(bytes));
    }
  }

  long highBytes(long maxBytes, long usageBytes) {
    long brake = (long) Math.floor(maxBytes * highFraction);
    long floor = usageBytes + guardBytes < 0 ? Long.MAX_VALUE : usageBytes + guardBytes;
    return Math.min(maxBytes, Math.max(brake, floor));
  }

  @Override
  public void setCpu(long millicores) {
    long period = period();
    long quota = CgroupLimits.quotaMicros(millicores, period);
    ControlFiles.write(dir.resolve("cpu.max"), (quota < 0 ? "max" : Long.toString(quota)) + " " + period);
  }

  private long period() {
    Path f = dir.resolve("cpu.max");
    String s = ControlFiles.read(f);
    return s.contains(" ") ? ControlFiles.parseLong(f, s, 1) : DEFAULT_PERIOD_MICROS;
  }

  @Override
  public ResourceProfile read() {
    Path f = dir.resolve("cpu.max");
    String s = ControlFiles.read(f);
    long quota = ControlFiles.parseLong(f, s, 0);
    long period = s.contains(" ") ? ControlFiles.parseLong(f, s, 1) : DEFAULT_PERIOD_MICROS;
    return ResourceProfile.of(CgroupLimits.millicores(quota, period), memoryLimitBytes());
  }

  @Override
  public String describe() {
    return dir.toString();
  }
}
