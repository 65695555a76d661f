package dev.presize.workloads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.spi.function.PresizeFunction;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * An object sync against the loopback server: uploads {@code size} MiB as 256 KiB chunks, checking the server's
 * digest of each, then downloads every chunk back and verifies it against the manifest of digests it built.
 */
public final class ObjectSyncFunction implements PresizeFunction {
  static final String NAME = "object-sync";
  static final int CHUNK_BYTES = 256 * 1024;
  static final int MAX_SIZE = 1024;

  @Override
  public String invoke(String requestJson) throws IOException, InterruptedException {
    Request request = Request.parse(requestJson, MAX_SIZE, true);
    int chunks = request.intSize() * 4;
    LoopbackClient client = new LoopbackClient(request.requireServer());
    String[] manifest = new String[chunks];
    byte[] chunk = new byte[CHUNK_BYTES];
    long uploaded = 0;
    for (int i = 0; i < chunks; i++) {
      DeterministicBytes.fill(chunkSeed(request.seed(), i), 0, chunk, 0, CHUNK_BYTES);
      manifest[i] = Json.sha256Hex(chunk);
      JsonNode answer = client.upload(chunk, 0, CHUNK_BYTES);
      if (!manifest[i].equals(answer.path("sha256").asText())) {
        throw new IOException("chunk " + i + " arrived corrupted: server digest " + answer.path("sha256")
            + ", manifest " + manifest[i]);
      }
      uploaded += CHUNK_BYTES;
    }
    long downloaded = 0;
    for (int i = 0; i < chunks; i++) {
      byte[] back = client.download(CHUNK_BYTES, chunkSeed(request.seed(), i));
      String digest = Json.sha256Hex(back);
      if (!digest.equals(manifest[i])) {
        throw new IOException("chunk " + i + " came back as " + digest + ", manifest has " + manifest[i]);
      }
      downloaded += back.length;
    }
    MessageDigest manifestSha = Json.sha256();
    for (String digest : manifest) {
      manifestSha.update(digest.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    Arrays.fill(chunk, (byte) 0);
    ObjectNode response = Json.response(NAME, request);
    response.put("chunks", chunks);
    response.put("uploadedBytes", uploaded);
    response.put("downloadedBytes", downloaded);
    response.put("verified", chunks);
    response.put("manifestSha256", Json.hex(manifestSha.digest()));
    return Json.write(response);
  }

  /** The seed of chunk {@code index}'s bytes; the server generates the same stream from it. */
  static long chunkSeed(long seed, int index) {
    return Rng.mix(seed * 1_000_003L + index);
  }
}
