package dev.presize.workloads;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.spi.function.PresizeFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A leak-like memory shape: grows to {@code size} MiB in eight steps (each allocating and filling 1 MiB blocks,
 * then re-checksumming everything held), holds the peak for three full passes, then releases it in four steps and
 * asks the JVM to collect, as a function trimming itself before going idle would.
 */
public final class MemoryPhasesFunction implements PresizeFunction {
  static final String NAME = "memory-phases";
  static final int BLOCK_BYTES = 1 << 20;
  static final int GROW_STEPS = 8;
  static final int HOLD_PASSES = 3;
  static final int RELEASE_STEPS = 4;
  static final int MAX_SIZE = 16_384;

  @Override
  public String invoke(String requestJson) {
    Request request = Request.parse(requestJson, MAX_SIZE, false);
    int blocks = request.intSize();
    List<byte[]> held = new ArrayList<>(blocks);
    List<String> phases = new ArrayList<>();
    long checksum = 0;
    for (int step = 1; step <= GROW_STEPS; step++) {
      int target = (int) ((long) blocks * step / GROW_STEPS);
      while (held.size() < target) {
        byte[] block = new byte[BLOCK_BYTES];
        DeterministicBytes.fill(request.seed() + held.size(), 0, block, 0, 4096);
        for (int off = 4096; off < BLOCK_BYTES; off += 4096) {
          System.arraycopy(block, 0, block, off, 4096); // touch every page
          block[off] ^= (byte) off;
        }
        held.add(block);
      }
      checksum = checksum * 31 + crc(held);
      phases.add("grow:" + held.size());
    }
    for (int pass = 0; pass < HOLD_PASSES; pass++) {
      checksum = checksum * 31 + crc(held);
    }
    phases.add("hold:" + held.size());
    for (int step = RELEASE_STEPS - 1; step >= 0; step--) {
      int keep = (int) ((long) blocks * step / RELEASE_STEPS);
      held.subList(keep, held.size()).clear();
      checksum = checksum * 31 + crc(held);
      phases.add("release:" + held.size());
    }
    // Deliberate: the shape this workload exists to produce ends with the heap given back, not merely unreachable.
    System.gc();
    ObjectNode response = Json.response(NAME, request);
    response.put("peakBytes", (long) blocks * BLOCK_BYTES);
    phases.forEach(response.putArray("phases")::add);
    response.put("checksum", Long.toHexString(checksum));
    return Json.write(response);
  }

  private static long crc(List<byte[]> blocks) {
    CRC32C crc = new CRC32C();
    for (byte[] block : blocks) {
      crc.update(block);
    }
    return crc.getValue();
  }
}
