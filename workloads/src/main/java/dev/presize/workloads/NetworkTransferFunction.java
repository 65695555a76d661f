package dev.presize.workloads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.spi.function.PresizeFunction;
import java.io.IOException;
import java.util.Arrays;

/**
 * A download-transform-upload function against the loopback server: downloads {@code size} MiB, checks them
 * against the stream it expects, encrypts them with a keyed XOR stream, uploads the result, and checks the
 * server's digest of what it received.
 */
public final class NetworkTransferFunction implements PresizeFunction {
  static final String NAME = "network-transfer";
  static final int MAX_SIZE = 1024;

  @Override
  public String invoke(String requestJson) throws IOException, InterruptedException {
    Request request = Request.parse(requestJson, MAX_SIZE, true);
    int bytes = request.intSize() << 20;
    LoopbackClient client = new LoopbackClient(request.requireServer());
    byte[] data = client.download(bytes, request.seed());
    String downloadSha = Json.sha256Hex(data);

    byte[] key = new byte[64 * 1024];
    for (int off = 0; off < bytes; off += key.length) {
      int len = Math.min(key.length, bytes - off);
      DeterministicBytes.fill(~request.seed(), off, key, 0, len);
      for (int i = 0; i < len; i++) {
        data[off + i] ^= key[i];
      }
    }
    String uploadSha = Json.sha256Hex(data);
    JsonNode answer = client.upload(data, 0, bytes);
    if (!uploadSha.equals(answer.path("sha256").asText())) {
      throw new IOException("server's digest of the upload " + answer.path("sha256") + " differs from " + uploadSha);
    }
    Arrays.fill(data, (byte) 0);
    ObjectNode response = Json.response(NAME, request);
    response.put("downloadedBytes", bytes);
    response.put("downloadSha256", downloadSha);
    response.put("uploadedBytes", answer.path("bytes").asLong());
    response.put("uploadSha256", uploadSha);
    return Json.write(response);
  }
}
