package dev.presize.adapter.cgroups.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presize.spi.PresizeException;
import dev.presize.spi.actuate.ActuationResult;
import dev.presize.spi.resources.ResourceProfile;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How the actuator maps kernel refusals. The real EBUSY is shown by {@code CgroupV1ActuatorRealTest} at the
 * limits layer; here the race it stands for (usage rising between the check and the write) is staged, which a
 * real kernel cannot be made to do on demand.
 */
class CgroupActuatorTest {

  /** Limits whose memory write fails the way cgroupfs does. */
  static final class Refusing implements CgroupLimits {
    final String errno;
    long cpu = 1000;

    Refusing(String errno) {
      this.errno = errno;
    }

    @Override
    public long usageBytes() {
      return 100;
    }

    @Override
    public long memoryLimitBytes() {
      return 1000;
    }

    @Override
    public void setMemory(long bytes, long limitInForce, long usageBytes) {
      throw new PresizeException("write", "memory.limit_in_bytes", "value " + bytes + ": " + errno,
          new FileSystemException("memory.limit_in_bytes", null, errno));
    }

    @Override
    public void setCpu(long millicores) {
      cpu = millicores;
    }

    @Override
    public ResourceProfile read() {
      return ResourceProfile.of(cpu, 1000);
    }

    @Override
    public String describe() {
      return "fake";
    }
  }

  @Test
  @DisplayName("EBUSY is Failed, retryable, says the limit in force (read back); CPU is not touched after a memory "
      + "failure")
  void ebusy() {
    Refusing limits = new Refusing("Device or resource busy");
    ActuationResult r = new CgroupActuator("fn", limits, 0, () -> 0).apply(ResourceProfile.of(500, 800));
    assertThat(r).isInstanceOfSatisfying(ActuationResult.Failed.class, f -> {
      assertThat(f.retryable()).isTrue();
      assertThat(f.message()).contains("EBUSY").contains("the limit in force is 1000").contains("Device or resource "
          + "busy");
      assertThat(f.cause()).isInstanceOf(PresizeException.class);
    });
    assertThat(limits.cpu).isEqualTo(1000);
  }

  @Test
  @DisplayName("EINVAL is Failed and not retryable")
  void einval() {
    ActuationResult r = new CgroupActuator("fn", new Refusing("Invalid argument"), 0, () -> 0)
        .apply(ResourceProfile.of(500, 2000));
    assertThat(r).isInstanceOfSatisfying(ActuationResult.Failed.class, f -> {
      assertThat(f.retryable()).isFalse();
      assertThat(f.message()).contains("Invalid argument").contains("fn");
    });
  }
}
