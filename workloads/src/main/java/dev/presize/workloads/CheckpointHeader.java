package dev.presize.workloads;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The header every workload snapshot starts with: a magic number, the workload's name and state-format version,
 * the request's size and seed, and the index of the next step to run.
 */
record CheckpointHeader(String workload, int version, long size, long seed, long step) {
  private static final int MAGIC = 0x50525a31; // "PRZ1"

  CheckpointHeader {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, was " + step);
    }
  }

  static CheckpointHeader of(String workload, int version, Request request, long step) {
    return new CheckpointHeader(workload, version, request.size(), request.seed(), step);
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeUTF(workload);
    out.writeInt(version);
    out.writeLong(size);
    out.writeLong(seed);
    out.writeLong(step);
  }

  /**
   * Reads a header and checks it belongs to {@code expectedWorkload} at {@code expectedVersion}.
   *
   * @throws IllegalArgumentException if the snapshot is of another workload or state format
   */
  static CheckpointHeader read(DataInputStream in, String expectedWorkload, int expectedVersion) throws IOException {
    int magic = in.readInt();
    if (magic != MAGIC) {
      throw new IllegalArgumentException("not a Presize workload snapshot: magic was 0x" + Integer.toHexString(magic));
    }
    String workload = in.readUTF();
    if (!workload.equals(expectedWorkload)) {
      throw new IllegalArgumentException(
          "snapshot is of workload " + workload + ", cannot restore it into " + expectedWorkload);
    }
    int version = in.readInt();
    if (version != expectedVersion) {
      throw new IllegalArgumentException("snapshot of " + workload + " has state format version " + version
          + ", this build reads version " + expectedVersion);
    }
    return new CheckpointHeader(workload, version, in.readLong(), in.readLong(), in.readLong());
  }

  /**
   * Refuses to resume this snapshot with a request other than the one it was taken for.
   *
   * @throws IllegalArgumentException naming both requests' size and seed
   */
  void requireSameRequest(Request request) {
    if (request.size() != size || request.seed() != seed) {
      throw new IllegalArgumentException("snapshot of " + workload + " was taken for size=" + size + " seed=" + seed
          + ", cannot resume it with size=" + request.size() + " seed=" + request.seed());
    }
  }
}
