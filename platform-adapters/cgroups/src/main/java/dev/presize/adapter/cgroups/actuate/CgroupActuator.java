package dev.presize.adapter.cgroups.actuate;

import dev.presize.spi.Ticker;
import dev.presize.spi.actuate.ActuationResult;
import dev.presize.spi.actuate.Actuator;
import dev.presize.spi.resources.ResourceProfile;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies resource profiles to one function's cgroup (v1 or v2) and reads back what took effect.
 *
 * <p>Each {@link #apply}: reads usage and the limit in force; refuses ({@link ActuationResult.Rejected}) a
 * request that would <em>lower</em> memory below usage plus the guard (a raise is always applied, even when it
 * is still below that: it can only help); writes memory first (in the order the kernel needs), then CPU; reads
 * the limits back and returns them, with the time taken by the injected ticker, as
 * {@link ActuationResult.Applied}. A kernel refusal comes back {@link ActuationResult.Failed} with the errno
 * text and the memory limit read back after it; {@code EBUSY} (usage rose above the asked limit between the check
 * and the write) is retryable. If memory was written but CPU then failed, the message says which memory limit
 * is in force. The network is not managed by cgroups: the profile in force has
 * {@link ResourceProfile#NOT_MANAGED}.
 */
final class CgroupActuator implements Actuator {

  private static final System.Logger LOG = System.getLogger(CgroupActuator.class.getName());

  private final String functionId;
  private final CgroupLimits limits;
  private final long guardBytes;
  private final Ticker ticker;

  CgroupActuator(String functionId, CgroupLimits limits, long guardBytes, Ticker ticker) {
    this.functionId = Objects.requireNonNull(functionId, "functionId");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.guardBytes = guardBytes;
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  @Override
  public ActuationResult apply(ResourceProfile requested) {
    Objects.requireNonNull(requested, "requested");
    long start = ticker.read();
    long usage;
    long limitInForce;
    try {
      usage = limits.usageBytes();
      limitInForce = limits.memoryLimitBytes();
    } catch (RuntimeException e) {
      return failed(requested, "read usage of " + limits.describe(), e, false);
    }
    long asked = requested.memoryBytes();
    long floor = usage + guardBytes < 0 ? Long.MAX_VALUE : usage + guardBytes;
    if (asked < limitInForce && asked < floor) {
      return new ActuationResult.Rejected(requested, "function=" + functionId + ": memory " + asked
          + " would lower the limit below usage " + usage + " + guard " + guardBytes + " = " + floor
          + "; limit in force " + limitInForce + " left unchanged");
    }
    try {
      limits.setMemory(asked, limitInForce, usage);
    } catch (RuntimeException e) {
      boolean busy = ControlFiles.EBUSY.equals(ControlFiles.errno(e));
      return failed(requested, (busy ? "memory " + asked + " refused with EBUSY: usage rose above it between the "
          + "check and the write" : "set memory " + asked) + "; " + limitNow(), e, busy);
    }
    try {
      limits.setCpu(requested.cpuMillicores());
    } catch (RuntimeException e) {
      return failed(requested, "set cpu " + requested.cpuMillicores() + "m (memory limit " + asked
          + " is already in force)", e, false);
    }
    ResourceProfile inForce;
    try {
      inForce = limits.read();
    } catch (RuntimeException e) {
      return failed(requested, "read back limits (written as asked)", e, false);
    }
    return new ActuationResult.Applied(inForce, Duration.ofNanos(ticker.read() - start));
  }

  /**
   * What memory limit is in force after a failed write, read back: v1 writes two files when swap is accounted, and
   * one may have been written before the other was refused.
   */
  private String limitNow() {
    try {
      return "the limit in force is " + limits.memoryLimitBytes();
    } catch (RuntimeException e) {
      return "the limit in force could not be read back: " + e.getMessage();
    }
  }

  private ActuationResult.Failed failed(ResourceProfile requested, String what, RuntimeException e,
      boolean retryable) {
    String errno = ControlFiles.errno(e);
    String message = "function=" + functionId + ": " + what + ": " + e.getMessage();
    LOG.log(System.Logger.Level.DEBUG, () -> message + " errno=\"" + errno + "\"");
    return new ActuationResult.Failed(requested, message, e, retryable || isTransient(errno));
  }

  private static boolean isTransient(String errno) {
    String e = errno.toLowerCase(Locale.ROOT);
    return e.contains("resource temporarily unavailable") || e.contains("interrupted");
  }

  @Override
  public Optional<ResourceProfile> current() {
    try {
      return Optional.of(limits.read());
    } catch (RuntimeException e) {
      // the contract: empty when it cannot be read; the reason is logged, not lost
      LOG.log(System.Logger.Level.DEBUG, () -> "function=" + functionId + " read limits failed: " + e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "CgroupActuator[" + functionId + " " + limits.describe() + "]";
  }
}
