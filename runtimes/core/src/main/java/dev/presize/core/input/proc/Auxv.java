package dev.presize.core.input.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's auxiliary vector of this process: the page size and clock-tick rate procfs values are in.
 *
 * @param pageSizeBytes {@code AT_PAGESZ}
 * @param clockTicksPerSecond {@code AT_CLKTCK} (USER_HZ, the unit of CPU times in /proc/pid/stat)
 */
record Auxv(long pageSizeBytes, long clockTicksPerSecond) {

  private static final int AT_PAGESZ = 6;
  private static final int AT_CLKTCK = 17;

  /** Reads {@code /proc/self/auxv}; falls back to 4096 and 100 (the Linux defaults) if absent. */
  static Auxv read() {
    try {
      return parse(Files.readAllBytes(Path.of("/proc/self/auxv")));
    } catch (IOException e) {
      return new Auxv(4096, 100); // no auxv (not Linux procfs): the probe reports the sources unsupported anyway
    }
  }

  /** Parses a native-endian 64-bit auxv: pairs of (type, value) ending with type 0. */
  static Auxv parse(byte[] raw) {
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
    long page = 4096;
    long ticks = 100;
    while (b.remaining() >= 16) {
      long type = b.getLong();
      long value = b.getLong();
      if (type == 0) {
        break;
      }
      if (type == AT_PAGESZ && value > 0) {
        page = value;
      } else if (type == AT_CLKTCK && value > 0) {
        ticks = value;
      }
    }
    return new Auxv(page, ticks);
  }
}
