package dev.presize.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.presize.spi.function.PresizeFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Checks that the workloads compute the right answer, not just a stable one. */
class CorrectnessTest {
  private static LoopbackHttpServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = LoopbackHttpServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static JsonNode invoke(PresizeFunction function, long size, long seed) throws Exception {
    return Json.MAPPER.readTree(function.invoke(
        "{\"size\":" + size + ",\"seed\":" + seed + ",\"server\":\"" + server.uri() + "\"}"));
  }

  @Test
  @DisplayName("sort-array sorts: the median, extremes and distinct count match a reference sort")
  void sortIsSorted() throws Exception {
    JsonNode r = invoke(new SortArrayFunction(), 10_000, 3);
    long[] reference = SortArrayFunction.keys(10_000, 3).clone();
    java.util.Arrays.sort(reference);
    assertThat(r.get("sorted").booleanValue()).isTrue();
    assertThat(r.get("min").longValue()).isEqualTo(reference[0]);
    assertThat(r.get("median").longValue()).isEqualTo(reference[5_000]);
    assertThat(r.get("max").longValue()).isEqualTo(reference[9_999]);
    assertThat(r.get("distinct").longValue()).isEqualTo(java.util.Arrays.stream(reference).distinct().count());
  }

  @Test
  @DisplayName("matrix-multiply's product is bit-identical to a naive triple loop on a 13 x 13 matrix")
  void matrixMatchesNaive() throws Exception {
    int n = 13;
    double[] a = MatrixMultiplyFunction.matrix(5, 1, n);
    double[] b = MatrixMultiplyFunction.matrix(5, 2, n);
    double[] c = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
          sum += a[i * n + k] * b[k * n + j];
        }
        c[i * n + j] = sum;
      }
    }
    JsonNode r = invoke(new MatrixMultiplyFunction(), n, 5);
    assertThat(r.get("sha256").textValue()).isEqualTo(SteppedFunction.sha256OfDoubles(c));
  }

  @Test
  @DisplayName("sha256-stream's digest equals MessageDigest's over the same generated payload")
  void sha256MatchesMessageDigest() throws Exception {
    JsonNode r = invoke(new Sha256StreamFunction(), 3, 11);
    byte[] payload = Sha256StreamFunction.payload(11, 3);
    assertThat(r.get("bytes").longValue()).isEqualTo(payload.length);
    assertThat(r.get("sha256").textValue()).isEqualTo(Json.sha256Hex(payload));
  }

  @Test
  @DisplayName("the checkpointable SHA-256 equals MessageDigest for every length and chunking, and after a state round trip")
  void sha256Implementation() throws Exception {
    Rng rng = new Rng(1);
    for (int length = 0; length < 300; length++) {
      byte[] data = DeterministicBytes.generate(length, length);
      Sha256 sha = new Sha256();
      int off = 0;
      while (off < length) {
        int len = Math.min(length - off, 1 + rng.nextInt(70));
        sha.update(data, off, len);
        off += len;
        if (rng.nextInt(4) == 0) {
          java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
          sha.writeState(new java.io.DataOutputStream(bytes));
          sha = Sha256.readState(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
        }
      }
      assertThat(Json.hex(sha.digest())).as("length %d", length)
          .isEqualTo(Json.hex(MessageDigest.getInstance("SHA-256").digest(data)));
    }
  }

  @Test
  @DisplayName("graph-pagerank's ranks sum to 1, the top vertices are in descending rank, and BFS reaches most of the graph")
  void pageRankSumsToOne() throws Exception {
    JsonNode r = invoke(new PageRankFunction(), 2_000, 9);
    assertThat(r.get("rankSum").doubleValue()).isCloseTo(1.0, within(1e-9));
    List<Double> top = Stream.of(r.get("top")).flatMap(t -> java.util.stream.StreamSupport.stream(t.spliterator(), false))
        .map(t -> t.get("rank").doubleValue()).collect(Collectors.toList());
    assertThat(top).hasSize(5).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(top.get(0)).isGreaterThan(1.0 / 2_000);
    assertThat(r.get("reachableFrom0").longValue()).isGreaterThan(1_500).isLessThanOrEqualTo(2_000);
  }

  @Test
  @DisplayName("gzip-corpus compresses the text corpus to well under its size and round-trips it")
  void gzipCompresses() throws Exception {
    JsonNode r = invoke(new GzipCorpusFunction(), 1, 2);
    assertThat(r.get("inputBytes").longValue()).isEqualTo(1 << 20);
    assertThat(r.get("gzipBytes").longValue()).isLessThan((1 << 20) / 2);
  }

  @Test
  @DisplayName("parallel-sieve counts the primes below 10^6 and 10^7 exactly")
  void sieveCountsPrimes() throws Exception {
    JsonNode million = invoke(new ParallelSieveFunction(), 1, 0);
    assertThat(million.get("primes").longValue()).isEqualTo(78_498);
    assertThat(million.get("largest").longValue()).isEqualTo(999_983);
    assertThat(million.get("sumMod2e64").textValue()).isEqualTo("37550402023");
    assertThat(invoke(new ParallelSieveFunction(), 10, 0).get("primes").longValue()).isEqualTo(664_579);
  }

  @Test
  @DisplayName("log-regex parses every intact line and reports the torn ones (one in 500) as malformed")
  void logRegexParses() throws Exception {
    JsonNode r = invoke(new LogRegexFunction(), 5_000, 4);
    assertThat(r.get("lines").longValue()).isEqualTo(5_000);
    assertThat(r.get("malformed").longValue()).isEqualTo(10);
    long byStatus = 0;
    for (JsonNode count : r.get("byStatus")) {
      byStatus += count.longValue();
    }
    assertThat(byStatus).isEqualTo(4_990);
    assertThat(r.get("p50Millis").intValue()).isLessThanOrEqualTo(r.get("p95Millis").intValue());
  }

  @Test
  @DisplayName("csv-aggregate and json-transform account for every row and order they generated")
  void aggregationsAreComplete() throws Exception {
    JsonNode csv = invoke(new CsvAggregateFunction(), 3_000, 1);
    assertThat(csv.get("rows").longValue()).isEqualTo(3_000);
    long monthly = 0;
    for (JsonNode revenue : csv.get("revenueCentsByMonth")) {
      monthly += revenue.longValue();
    }
    assertThat(monthly).isEqualTo(csv.get("totalRevenueCents").longValue());

    JsonNode json = invoke(new JsonTransformFunction(), 500, 1);
    assertThat(json.get("orders").longValue()).isEqualTo(500);
    assertThat(json.get("keptOrders").longValue()).isPositive().isLessThan(500);
  }

  @Test
  @DisplayName("cache-fill-evict serves 2x capacity lookups, evicts beyond capacity, and keeps a tenth")
  void cacheFillsAndEvicts() throws Exception {
    JsonNode r = invoke(new CacheFillEvictFunction(), 1_000, 1);
    assertThat(r.get("hits").longValue() + r.get("misses").longValue()).isEqualTo(2_000);
    assertThat(r.get("peakEntries").longValue()).isEqualTo(1_000);
    assertThat(r.get("evictions").longValue()).isEqualTo(r.get("misses").longValue());
    assertThat(r.get("retained").longValue()).isEqualTo(100);
  }

  @Test
  @DisplayName("memory-phases grows in 8 steps to its peak, holds, then releases to nothing")
  void memoryPhases() throws Exception {
    JsonNode r = invoke(new MemoryPhasesFunction(), 16, 1);
    assertThat(r.get("peakBytes").longValue()).isEqualTo(16L << 20);
    assertThat(r.get("phases").toString()).isEqualTo(
        "[\"grow:2\",\"grow:4\",\"grow:6\",\"grow:8\",\"grow:10\",\"grow:12\",\"grow:14\",\"grow:16\",\"hold:16\","
            + "\"release:12\",\"release:8\",\"release:4\",\"release:0\"]");
  }

  @Test
  @DisplayName("image-thumbnail writes 320, 160 and 64 px wide JPEG thumbnails of the square source")
  void thumbnails() throws Exception {
    JsonNode r = invoke(new ImageThumbnailFunction(), 400, 1);
    assertThat(r.get("thumbnails")).hasSize(3);
    int i = 0;
    for (JsonNode t : r.get("thumbnails")) {
      assertThat(t.get("width").intValue()).isEqualTo(ImageThumbnailFunction.WIDTHS[i++]);
      assertThat(t.get("height").intValue()).isEqualTo(t.get("width").intValue());
      assertThat(t.get("jpegBytes").longValue()).isPositive();
    }
  }

  @Test
  @DisplayName("disk-fsync and external-sort verify what they wrote and leave no temporary files behind")
  void diskWorkloadsCleanUp() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    long before = presizeTempDirs(tmp);
    JsonNode fsync = invoke(new DiskFsyncFunction(), 6, 1);
    assertThat(fsync.get("verified").booleanValue()).isTrue();
    assertThat(fsync.get("files").intValue()).isEqualTo(2);
    assertThat(fsync.get("readBytes").longValue()).isEqualTo(6L << 20);
    JsonNode sort = invoke(new ExternalSortFunction(), 3, 1);
    assertThat(sort.get("sorted").booleanValue()).isTrue();
    assertThat(sort.get("sameKeys").booleanValue()).isTrue();
    assertThat(sort.get("keys").longValue()).isEqualTo(3L * ExternalSortFunction.RUN_KEYS);
    assertThat(sort.get("runs").intValue()).isEqualTo(3);
    assertThat(presizeTempDirs(tmp)).isEqualTo(before);
  }

  @Test
  @DisplayName("network-transfer downloads the server's stream and the server confirms the upload's digest")
  void networkTransfer() throws Exception {
    JsonNode r = invoke(new NetworkTransferFunction(), 2, 5);
    assertThat(r.get("downloadSha256").textValue())
        .isEqualTo(Json.sha256Hex(DeterministicBytes.generate(5, 2 << 20)));
    assertThat(r.get("uploadedBytes").longValue()).isEqualTo(2 << 20);
    assertThat(r.get("uploadSha256").textValue()).isNotEqualTo(r.get("downloadSha256").textValue());
  }

  @Test
  @DisplayName("object-sync uploads and verifies 4 chunks per MiB both ways")
  void objectSync() throws Exception {
    JsonNode r = invoke(new ObjectSyncFunction(), 2, 5);
    assertThat(r.get("chunks").intValue()).isEqualTo(8);
    assertThat(r.get("verified").intValue()).isEqualTo(8);
    assertThat(r.get("uploadedBytes").longValue()).isEqualTo(2 << 20);
    assertThat(r.get("downloadedBytes").longValue()).isEqualTo(2 << 20);
  }

  private static long presizeTempDirs(Path tmp) throws Exception {
    try (Stream<Path> entries = Files.list(tmp)) {
      return entries.filter(p -> p.getFileName().toString().startsWith("presize-disk-fsync-")
          || p.getFileName().toString().startsWith("presize-external-sort-")).count();
    }
  }
}
