package dev.presize.workloads;

import dev.presize.spi.checkpoint.Checkpointable;
import dev.presize.spi.function.PresizeFunction;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The base of the checkpointable workloads: parses the request, resumes from a restored snapshot when there is
 * one (refusing one taken for another request), and runs the work in steps through a {@link StepGate}.
 *
 * <p>A subclass's {@link #run} reports every step boundary with {@code gate.boundary(...)} and its final state
 * with {@code gate.finish(...)}; each state it writes starts with a {@link CheckpointHeader}.
 */
abstract class SteppedFunction implements PresizeFunction, Checkpointable {
  final StepGate gate = new StepGate();
  private volatile byte[] restored;

  /** The workload's name, written into (and checked in) every snapshot. */
  abstract String name();

  /** The version of this workload's state format. */
  abstract int stateVersion();

  abstract long maxSize();

  /**
   * Runs one invocation. {@code resume} is positioned after the header of a restored snapshot (taken for this very
   * request), or is {@code null} for a fresh start.
   */
  abstract String run(Request request, CheckpointHeader header, DataInputStream resume) throws Exception;

  @Override
  public final String invoke(String requestJson) throws Exception {
    Request request = Request.parse(requestJson, maxSize(), false);
    byte[] state = restored;
    CheckpointHeader header = null;
    DataInputStream resume = null;
    if (state != null) {
      resume = new DataInputStream(new ByteArrayInputStream(state));
      header = CheckpointHeader.read(resume, name(), stateVersion());
      header.requireSameRequest(request);
      restored = null;
    }
    gate.begin();
    try {
      return run(request, header, resume);
    } catch (Exception | Error e) {
      gate.fail(e);
      throw e;
    }
  }

  /** Writes the state at the running invocation's next step boundary, or the last final or restored state. */
  @Override
  public final void snapshot(OutputStream out) throws IOException {
    gate.snapshot(out);
  }

  /**
   * Reads a snapshot (to the end of {@code in}) to resume from in the next invocation.
   *
   * @throws IllegalArgumentException if it is not a snapshot of this workload in this state format
   */
  @Override
  public final void restore(InputStream in) throws IOException {
    byte[] state = in.readAllBytes();
    CheckpointHeader.read(new DataInputStream(new ByteArrayInputStream(state)), name(), stateVersion());
    restored = state;
    gate.settle(state);
  }

  /** Writes {@code values[off, off+len)} as big-endian IEEE 754 bits, in bulk. */
  static void writeDoubles(java.io.DataOutputStream out, double[] values, int off, int len) throws IOException {
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 * 4096);
    for (int i = off; i < off + len; ) {
      int n = Math.min(4096, off + len - i);
      buf.clear();
      buf.asDoubleBuffer().put(values, i, n);
      out.write(buf.array(), 0, 8 * n);
      i += n;
    }
  }

  /** Reads what {@link #writeDoubles} wrote into {@code values[off, off+len)}. */
  static void readDoubles(DataInputStream in, double[] values, int off, int len) throws IOException {
    byte[] bytes = new byte[8 * 4096];
    for (int i = off; i < off + len; ) {
      int n = Math.min(4096, off + len - i);
      in.readFully(bytes, 0, 8 * n);
      java.nio.ByteBuffer.wrap(bytes, 0, 8 * n).asDoubleBuffer().get(values, i, n);
      i += n;
    }
  }

  /** The SHA-256 of {@code values} as big-endian IEEE 754 bits: a digest of a numeric result, exact to the bit. */
  static String sha256OfDoubles(double[] values) {
    java.security.MessageDigest sha = Json.sha256();
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 * 4096);
    for (int i = 0; i < values.length; ) {
      int n = Math.min(4096, values.length - i);
      buf.clear();
      buf.asDoubleBuffer().put(values, i, n);
      sha.update(buf.array(), 0, 8 * n);
      i += n;
    }
    return Json.hex(sha.digest());
  }
}
