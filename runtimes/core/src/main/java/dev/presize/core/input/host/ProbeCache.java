package dev.presize.core.input.host;

import dev.presize.spi.Support;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * A host-capability probe result computed once per JVM and host boot.
 *
 * <p>The answer is keyed by the kernel's boot id: a JVM restored from a snapshot (CRaC, Lambda SnapStart) on
 * another machine sees a different boot id and probes again instead of trusting a frozen answer.
 */
final class ProbeCache {

  private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

  private final Supplier<Support> probe;
  private String bootId;
  private Support answer;

  ProbeCache(Supplier<Support> probe) {
    this.probe = probe;
  }

  /** The cached answer for this boot, probing first if there is none. */
  synchronized Support get() {
    String now = bootId();
    if (answer == null || !now.equals(bootId)) {
      answer = probe.get();
      bootId = now;
    }
    return answer;
  }

  private static String bootId() {
    try {
      return Files.readString(BOOT_ID, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      return "unknown"; // no boot id (not Linux, or /proc hidden): one answer per JVM is the best we can do
    }
  }
}
