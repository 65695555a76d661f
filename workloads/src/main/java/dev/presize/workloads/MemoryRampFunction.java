package dev.presize.workloads;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * A function that loads a table into memory record by record, as a join building its hash side does: it reads
 * {@code size} MiB in 4 MiB records (generated from the seed, every page touched), digests each one, and holds them
 * all to the end, where it digests the whole table once more. Memory grows steadily to the peak, so a forecaster can
 * see it coming. Checkpointable between records: the state is the records loaded and the running digest, not the
 * records themselves (the input can be read again: on restore the records loaded so far are re-read and their
 * digest must match the snapshot's, so a snapshot of another input is refused).
 */
public final class MemoryRampFunction extends SteppedFunction {
  static final String NAME = "memory-ramp";
  static final int RECORD_BYTES = 4 << 20;
  static final int MAX_SIZE = 8_192;

  @Override
  String name() {
    return NAME;
  }

  @Override
  int stateVersion() {
    return 1;
  }

  @Override
  long maxSize() {
    return MAX_SIZE;
  }

  @Override
  String run(Request request, CheckpointHeader header, DataInputStream resume) throws Exception {
    int records = Math.max(1, (int) ((long) request.intSize() * (1 << 20) / RECORD_BYTES));
    List<byte[]> held = new ArrayList<>(records);
    MessageDigest running = Json.sha256();
    if (resume != null) {
      int done = Math.toIntExact(header.step());
      if (done > records) {
        throw new IllegalArgumentException("corrupt snapshot: record " + done + " > " + records);
      }
      byte[] expected = new byte[32];
      resume.readFully(expected);
      for (int i = 0; i < done; i++) {
        held.add(load(request.seed(), i, running));
      }
      byte[] digest = ((MessageDigest) running.clone()).digest();
      if (!MessageDigest.isEqual(digest, expected)) {
        throw new IllegalArgumentException("snapshot digest does not match the first " + done + " records");
      }
    }
    while (held.size() < records) {
      held.add(load(request.seed(), held.size(), running));
      int done = held.size();
      MessageDigest state = running;
      gate.boundary(out -> writeState(out, request, done, state));
    }
    MessageDigest last = running;
    gate.finish(out -> writeState(out, request, records, last));
    MessageDigest table = Json.sha256();
    for (byte[] r : held) {
      table.update(r);
    }
    ObjectNode response = Json.response(NAME, request);
    response.put("records", held.size());
    response.put("bytes", (long) held.size() * RECORD_BYTES);
    response.put("digest", Json.hex(((MessageDigest) running.clone()).digest()));
    response.put("table", Json.hex(table.digest()));
    return Json.write(response);
  }

  /** Reads record {@code i} of the input (every page written) and adds it to {@code digest}. */
  private static byte[] load(long seed, int i, MessageDigest digest) {
    byte[] record = new byte[RECORD_BYTES];
    DeterministicBytes.fill(seed + i, 0, record, 0, 4096);
    for (int off = 4096; off < RECORD_BYTES; off += 4096) {
      System.arraycopy(record, 0, record, off, 4096);
      record[off] ^= (byte) (off >>> 12);
    }
    digest.update(record);
    return record;
  }

  private static void writeState(DataOutputStream out, Request request, int done, MessageDigest running)
      throws IOException {
    CheckpointHeader.of(NAME, 1, request, done).write(out);
    try {
      out.write(((MessageDigest) running.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IOException("the JDK's SHA-256 cannot be cloned", e);
    }
  }
}
