package dev.presize.workloads;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.spi.function.PresizeFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip compressor: generates a text corpus of {@code size} MiB (words drawn with a skewed distribution, so it
 * compresses like prose), gzips it in memory, then decompresses the result and checks it round-trips.
 */
public final class GzipCorpusFunction implements PresizeFunction {
  static final String NAME = "gzip-corpus";
  static final int MAX_SIZE = 1024;
  private static final String[] WORDS = (
      "the of and to in is that for it as was with be by on not he this are or his from at which but have an they "
      + "you were her she there been one all we their has would when if so no will what more can out up about into "
      + "function memory sample trace predict cgroup invocation serverless container latency throughput")
      .split(" ");

  @Override
  public String invoke(String requestJson) throws IOException {
    Request request = Request.parse(requestJson, MAX_SIZE, false);
    byte[] corpus = corpus(request.intSize() << 20, request.seed());
    CRC32 crc = new CRC32();
    crc.update(corpus);

    ByteArrayOutputStream compressed = new ByteArrayOutputStream(corpus.length / 3);
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed, 64 * 1024)) {
      gzip.write(corpus);
    }
    byte[] gz = compressed.toByteArray();

    CRC32 roundTrip = new CRC32();
    long restored = 0;
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 64 * 1024)) {
      for (int r; (r = in.read(buf)) >= 0; ) {
        roundTrip.update(buf, 0, r);
        restored += r;
      }
    }
    if (restored != corpus.length || roundTrip.getValue() != crc.getValue()) {
      throw new IOException("gzip round trip changed the corpus: " + restored + " bytes, crc32 "
          + Long.toHexString(roundTrip.getValue()) + " vs " + Long.toHexString(crc.getValue()));
    }
    ObjectNode response = Json.response(NAME, request);
    response.put("inputBytes", corpus.length);
    response.put("inputCrc32", Long.toHexString(crc.getValue()));
    response.put("gzipBytes", gz.length);
    response.put("ratio", Math.round(1000.0 * gz.length / corpus.length) / 1000.0);
    response.put("gzipSha256", Json.sha256Hex(gz));
    return Json.write(response);
  }

  /** {@code length} bytes of generated ASCII text. */
  static byte[] corpus(int length, long seed) {
    Rng rng = Rng.derived(seed, 31);
    byte[] out = new byte[length];
    int pos = 0;
    int wordsInLine = 0;
    while (pos < length) {
      String word = rng.nextInt(20) == 0 ? Long.toString(rng.nextLong() & 0xffff) : WORDS[rng.nextSkewed(WORDS.length)];
      for (int i = 0; i < word.length() && pos < length; i++) {
        out[pos++] = (byte) word.charAt(i);
      }
      if (pos < length) {
        out[pos++] = (byte) (++wordsInLine % 12 == 0 ? '\n' : ' ');
      }
    }
    return out;
  }
}
