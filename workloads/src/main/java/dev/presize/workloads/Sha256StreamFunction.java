package dev.presize.workloads;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A SHA-256 over a generated payload of {@code size} MiB held in memory (as a function handed an object would
 * hold it), hashed in 1 MiB chunks; checkpointable between chunks (the state is the running hash).
 */
public final class Sha256StreamFunction extends SteppedFunction {
  static final String NAME = "sha256-stream";
  static final int CHUNK_BYTES = 1 << 20;
  static final int MAX_SIZE = 1024;

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
    int chunks = request.intSize();
    byte[] payload = payload(request.seed(), chunks);
    Sha256 sha = new Sha256();
    int chunk = 0;
    if (resume != null) {
      chunk = Math.toIntExact(header.step());
      if (chunk > chunks) {
        throw new IllegalArgumentException("corrupt snapshot: chunk " + chunk + " > " + chunks);
      }
      sha = Sha256.readState(resume);
    }
    while (chunk < chunks) {
      sha.update(payload, chunk * CHUNK_BYTES, CHUNK_BYTES);
      chunk++;
      int done = chunk;
      Sha256 running = sha;
      gate.boundary(out -> writeState(out, request, done, running));
    }
    Sha256 last = sha;
    gate.finish(out -> writeState(out, request, chunks, last));

    ObjectNode response = Json.response(NAME, request);
    response.put("bytes", sha.totalBytes());
    response.put("sha256", Json.hex(sha.digest()));
    return Json.write(response);
  }

  /** The payload a request hashes: the first {@code mib} MiB of the deterministic stream for {@code seed}. */
  static byte[] payload(long seed, int mib) {
    return DeterministicBytes.generate(seed, mib * CHUNK_BYTES);
  }

  private static void writeState(DataOutputStream out, Request request, int nextChunk, Sha256 sha)
      throws IOException {
    CheckpointHeader.of(NAME, 1, request, nextChunk).write(out);
    sha.writeState(out);
  }
}
