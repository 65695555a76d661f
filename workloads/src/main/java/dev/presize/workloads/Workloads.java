package dev.presize.workloads;

import static dev.presize.spi.resources.Resource.CPU;
import static dev.presize.spi.resources.Resource.DISK;
import static dev.presize.spi.resources.Resource.MEMORY;
import static dev.presize.spi.resources.Resource.NETWORK;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.spi.function.PresizeFunction;
import dev.presize.spi.resources.Resource;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The catalogue of the workload suite: every workload in a stable order, lookup by name, and request building. */
public final class Workloads {
  private static final List<Workload> ALL = List.of(
      cpu(ImageThumbnailFunction.NAME, "cpu", false, ImageThumbnailFunction::new, ImageThumbnailFunction.MAX_SIZE,
          "Generates a size x size px image, PNG-encodes and decodes it, writes 320/160/64 px JPEG thumbnails. "
              + "Size unit: source image side in pixels.",
          List.of(CPU, MEMORY), 512, 1024, 2048, 4096),
      cpu(JsonTransformFunction.NAME, "cpu", false, JsonTransformFunction::new, JsonTransformFunction.MAX_SIZE,
          "Generates a JSON orders document, parses it with Jackson, aggregates revenue by customer and region, "
              + "writes an enriched subset. Size unit: orders in the document.",
          List.of(CPU, MEMORY), 2_000, 5_000, 40_000, 160_000),
      cpu(GzipCorpusFunction.NAME, "cpu", false, GzipCorpusFunction::new, GzipCorpusFunction.MAX_SIZE,
          "Generates a text corpus in memory, gzips it, and verifies the round trip. Size unit: MiB of corpus.",
          List.of(CPU, MEMORY), 2, 4, 16, 64),
      cpu(LogRegexFunction.NAME, "cpu", false, LogRegexFunction::new, LogRegexFunction.MAX_SIZE,
          "Generates access-log lines and parses each with a regex into status, path, bytes and latency "
              + "aggregates. Size unit: log lines.",
          List.of(CPU, MEMORY), 10_000, 20_000, 100_000, 400_000),
      cpu(MatrixMultiplyFunction.NAME, "cpu", true, MatrixMultiplyFunction::new, MatrixMultiplyFunction.MAX_SIZE,
          "Multiplies two generated dense n x n double matrices in blocks of 8 rows; checkpointable between "
              + "blocks. Size unit: n (matrix dimension).",
          List.of(CPU, MEMORY), 128, 256, 512, 1024, 1536),
      cpu(SortArrayFunction.NAME, "cpu", false, SortArrayFunction::new, SortArrayFunction.MAX_SIZE,
          "Sorts an array of generated 64-bit keys (a quarter duplicated) and summarises it. "
              + "Size unit: keys.",
          List.of(CPU, MEMORY), 250_000, 1_000_000, 4_000_000, 16_000_000),
      cpu(PageRankFunction.NAME, "cpu", true, PageRankFunction::new, PageRankFunction.MAX_SIZE,
          "BFS and 30 PageRank iterations over a generated graph with ~8 out-edges per vertex; checkpointable "
              + "between iterations. Size unit: vertices.",
          List.of(CPU, MEMORY), 10_000, 50_000, 200_000, 800_000, 2_000_000),
      cpu(Sha256StreamFunction.NAME, "cpu", true, Sha256StreamFunction::new, Sha256StreamFunction.MAX_SIZE,
          "SHA-256 (a checkpointable implementation) over a generated payload held in memory, in 1 MiB chunks; "
              + "checkpointable between chunks. Size unit: MiB of payload.",
          List.of(CPU, MEMORY), 8, 16, 64, 256),
      cpu(CsvAggregateFunction.NAME, "cpu", false, CsvAggregateFunction::new, CsvAggregateFunction.MAX_SIZE,
          "Generates a sales CSV and aggregates units and revenue per region/product and per month. "
              + "Size unit: CSV rows.",
          List.of(CPU, MEMORY), 20_000, 50_000, 200_000, 800_000),
      cpu(ParallelSieveFunction.NAME, "cpu", false, ParallelSieveFunction::new, ParallelSieveFunction.MAX_SIZE,
          "Multi-threaded (one thread per core) segmented sieve of Eratosthenes; counts and sums the primes. "
              + "Size unit: millions (the sieve's upper bound is size x 1,000,000).",
          List.of(CPU, MEMORY), 5, 20, 100, 500, 1500),
      cpu(CacheFillEvictFunction.NAME, "memory", false, CacheFillEvictFunction::new, CacheFillEvictFunction.MAX_SIZE,
          "An LRU cache of 1 KiB values filled to capacity, serving 2x capacity skewed lookups with evictions, "
              + "then trimmed to a tenth. Size unit: cache capacity in entries.",
          List.of(MEMORY, CPU), 10_000, 25_000, 100_000, 300_000),
      cpu(MemoryPhasesFunction.NAME, "memory", false, MemoryPhasesFunction::new, MemoryPhasesFunction.MAX_SIZE,
          "Grows to its peak in 8 steps of 1 MiB blocks, holds it for 3 checksum passes, releases it in 4 steps "
              + "and collects (a leak-like shape). Size unit: MiB at the peak.",
          List.of(MEMORY, CPU), 32, 64, 256, 512),
      cpu(MemoryRampFunction.NAME, "memory", true, MemoryRampFunction::new, MemoryRampFunction.MAX_SIZE,
          "Loads a table of 4 MiB records into memory, digesting each, and holds it to the end (a join's hash side);"
              + " memory grows steadily to the peak; checkpointable between records. Size unit: MiB at the peak.",
          List.of(MEMORY, CPU), 64, 128, 256, 512, 768),
      server(NetworkTransferFunction.NAME, NetworkTransferFunction::new, NetworkTransferFunction.MAX_SIZE,
          "Downloads a payload from the loopback server, XOR-encrypts it, uploads it, and checks the server's "
              + "digest. Size unit: MiB each way.",
          List.of(NETWORK, MEMORY, CPU), 4, 16, 64, 192),
      server(ObjectSyncFunction.NAME, ObjectSyncFunction::new, ObjectSyncFunction.MAX_SIZE,
          "Uploads 256 KiB chunks to the loopback server checking each digest, then downloads them all back "
              + "and verifies them against its manifest. Size unit: MiB synced (4 chunks per MiB).",
          List.of(NETWORK, CPU), 4, 8, 32, 96),
      cpu(DiskFsyncFunction.NAME, "disk", false, DiskFsyncFunction::new, DiskFsyncFunction.MAX_SIZE,
          "Writes 4 MiB temp files with an fsync each, re-reads and verifies them, deletes them. "
              + "Size unit: MiB written.",
          List.of(DISK), 8, 16, 256, 1024),
      cpu(ExternalSortFunction.NAME, "disk", false, ExternalSortFunction::new, ExternalSortFunction.MAX_SIZE,
          "External merge sort of 64-bit keys through temp files: input file, 1 MiB sorted runs, k-way merge "
              + "into a fsynced output, verification; all deleted. Size unit: MiB of keys.",
          List.of(DISK, CPU), 4, 8, 32, 128));

  private Workloads() {}

  /** Every workload of the suite, in a stable order. */
  public static List<Workload> all() {
    return ALL;
  }

  /**
   * The workload called {@code name}.
   *
   * @throws IllegalArgumentException listing the known names when there is none
   */
  public static Workload byName(String name) {
    for (Workload w : ALL) {
      if (w.name().equals(name)) {
        return w;
      }
    }
    throw new IllegalArgumentException("unknown workload '" + name + "'; known: "
        + ALL.stream().map(Workload::name).collect(Collectors.joining(", ")));
  }

  /**
   * The JSON request for one run; {@code server} is the loopback HTTP server's base URI for needsServer workloads.
   *
   * @throws IllegalArgumentException if {@code size} is not positive or a needsServer workload gets no server
   */
  public static String request(Workload w, long size, long seed, Optional<URI> server) {
    Objects.requireNonNull(w, "w");
    Objects.requireNonNull(server, "server");
    w.checkSize(size);
    if (w.needsServer() && server.isEmpty()) {
      throw new IllegalArgumentException("workload " + w.name() + " needs the loopback server's URI");
    }
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.put("size", size);
    request.put("seed", seed);
    server.ifPresent(uri -> request.put("server", uri.toString()));
    return Json.write(request);
  }

  private static Workload cpu(String name, String category, boolean checkpointable,
      Supplier<PresizeFunction> factory, long maxSize, String description, List<Resource> resources,
      long... sizes) {
    return new Workload(name, category, new LinkedHashSet<>(resources), checkpointable, description,
        java.util.Arrays.stream(sizes).boxed().collect(Collectors.toList()), maxSize, false, factory);
  }

  private static Workload server(String name, Supplier<PresizeFunction> factory, long maxSize, String description,
      List<Resource> resources, long... sizes) {
    return new Workload(name, "network", new LinkedHashSet<>(resources), false, description,
        java.util.Arrays.stream(sizes).boxed().collect(Collectors.toList()), maxSize, true, factory);
  }
}
