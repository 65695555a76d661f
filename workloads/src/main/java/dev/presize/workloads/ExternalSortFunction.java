package dev.presize.workloads;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.spi.function.PresizeFunction;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * An external merge sort through temporary files: writes {@code size} MiB of random 64-bit keys to an input file,
 * sorts it in 1 MiB runs written to run files, k-way merges the runs into a fsynced output file, re-reads the
 * output to verify it is sorted and complete, and deletes every file, also on failure.
 */
public final class ExternalSortFunction implements PresizeFunction {
  static final String NAME = "external-sort";
  static final int RUN_KEYS = (1 << 20) / 8;
  private static final int IO_BUFFER = 64 * 1024;
  static final int MAX_SIZE = 16_384;

  @Override
  public String invoke(String requestJson) throws IOException {
    Request request = Request.parse(requestJson, MAX_SIZE, false);
    long keys = (long) request.intSize() * RUN_KEYS;
    Path dir = Files.createTempDirectory("presize-external-sort-");
    try {
      Path input = dir.resolve("input.bin");
      long inputHash = 0;
      Rng rng = Rng.derived(request.seed(), 81);
      try (DataOutputStream out = output(input)) {
        for (long i = 0; i < keys; i++) {
          long key = rng.nextLong();
          inputHash += Rng.mix(key);
          out.writeLong(key);
        }
      }

      List<Path> runs = new ArrayList<>();
      long[] run = new long[RUN_KEYS];
      try (DataInputStream in = input(input)) {
        for (long done = 0; done < keys; ) {
          int n = (int) Math.min(RUN_KEYS, keys - done);
          for (int i = 0; i < n; i++) {
            run[i] = in.readLong();
          }
          Arrays.sort(run, 0, n);
          Path file = dir.resolve(String.format("run-%05d.bin", runs.size()));
          try (DataOutputStream out = output(file)) {
            for (int i = 0; i < n; i++) {
              out.writeLong(run[i]);
            }
          }
          runs.add(file);
          done += n;
        }
      }
      Files.delete(input);

      Path sorted = dir.resolve("sorted.bin");
      merge(runs, sorted);
      for (Path file : runs) {
        Files.delete(file);
      }

      long count = 0;
      long outputHash = 0;
      long orderHash = 0;
      boolean ordered = true;
      long previous = Long.MIN_VALUE;
      try (DataInputStream in = input(sorted)) {
        for (long i = 0; i < keys; i++) {
          long key = in.readLong();
          ordered &= key >= previous;
          previous = key;
          outputHash += Rng.mix(key);
          orderHash = orderHash * 31 + key;
          count++;
        }
        if (in.read() >= 0) {
          throw new IOException("sorted output has more than the " + keys + " keys written");
        }
      }
      ObjectNode response = Json.response(NAME, request);
      response.put("keys", count);
      response.put("runs", runs.size());
      response.put("sorted", ordered);
      response.put("sameKeys", outputHash == inputHash);
      response.put("checksum", Long.toHexString(orderHash));
      return Json.write(response);
    } finally {
      DiskFsyncFunction.deleteTree(dir);
    }
  }

  private static void merge(List<Path> runs, Path target) throws IOException {
    List<DataInputStream> inputs = new ArrayList<>(runs.size());
    try {
      PriorityQueue<long[]> heads = new PriorityQueue<>(Math.max(1, runs.size()),
          (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
      for (int r = 0; r < runs.size(); r++) {
        DataInputStream in = input(runs.get(r));
        inputs.add(in);
        heads.add(new long[] {in.readLong(), r});
      }
      FileOutputStream file = new FileOutputStream(target.toFile());
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file, IO_BUFFER))) {
        while (!heads.isEmpty()) {
          long[] head = heads.poll();
          out.writeLong(head[0]);
          try {
            head[0] = inputs.get((int) head[1]).readLong();
            heads.add(head);
          } catch (EOFException endOfRun) {
            // This run is exhausted: its head leaves the queue, which is how a k-way merge ends.
          }
        }
        out.flush();
        file.getFD().sync();
      }
    } finally {
      IOException failure = null;
      for (DataInputStream in : inputs) {
        try {
          in.close();
        } catch (IOException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  private static DataOutputStream output(Path file) throws IOException {
    return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), IO_BUFFER));
  }

  private static DataInputStream input(Path file) throws IOException {
    return new DataInputStream(new BufferedInputStream(Files.newInputStream(file), IO_BUFFER));
  }
}
