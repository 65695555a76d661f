package dev.presize.workloads;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.spi.function.PresizeFunction;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * A multi-threaded segmented sieve of Eratosthenes over {@code [2, size x 1,000,000]}: one thread per available
 * core sieves disjoint segments of a shared odd-number bitmap, then each segment's primes are counted and summed
 * in parallel.
 */
public final class ParallelSieveFunction implements PresizeFunction {
  static final String NAME = "parallel-sieve";
  static final int SEGMENT_WORDS = 4096; // 262,144 odd numbers per segment
  static final int MAX_SIZE = 20_000;

  @Override
  public String invoke(String requestJson) throws InterruptedException, ExecutionException {
    Request request = Request.parse(requestJson, MAX_SIZE, false);
    long limit = request.size() * 1_000_000L;
    // Bit i stands for the odd number 2i+1; a set bit means composite.
    long oddCount = (limit + 1) / 2;
    long[] composite = new long[(int) ((oddCount + 63) / 64)];
    int[] basePrimes = basePrimes((int) Math.sqrt((double) limit) + 1);
    int segments = (composite.length + SEGMENT_WORDS - 1) / SEGMENT_WORDS;
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "parallel-sieve");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<long[]>> parts = new ArrayList<>(segments);
      for (int s = 0; s < segments; s++) {
        int segment = s;
        parts.add(pool.submit(() -> sieveSegment(composite, segment, oddCount, basePrimes)));
      }
      long count = limit >= 2 ? 1 : 0; // the prime 2
      long sum = limit >= 2 ? 2 : 0;
      long largest = limit >= 2 ? 2 : 0;
      for (Future<long[]> part : parts) {
        long[] r = part.get();
        count += r[0];
        sum += r[1];
        largest = Math.max(largest, r[2]);
      }
      ObjectNode response = Json.response(NAME, request);
      response.put("limit", limit);
      response.put("segments", segments);
      response.put("primes", count);
      response.put("sumMod2e64", Long.toUnsignedString(sum));
      response.put("largest", largest);
      return Json.write(response);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Marks composites in one segment's words and returns {count, sum, largest} of its primes. */
  private static long[] sieveSegment(long[] composite, int segment, long oddCount, int[] basePrimes) {
    long loBit = (long) segment * SEGMENT_WORDS * 64;
    long hiBit = Math.min(oddCount, loBit + (long) SEGMENT_WORDS * 64);
    for (int p : basePrimes) {
      long first = ((long) p * p - 1) / 2; // bit of p*p
      if (first >= hiBit) {
        break;
      }
      if (first < loBit) {
        first += ((loBit - first + p - 1) / p) * p;
      }
      for (long bit = first; bit < hiBit; bit += p) {
        composite[(int) (bit >>> 6)] |= 1L << bit;
      }
    }
    long count = 0;
    long sum = 0;
    long largest = 0;
    for (long bit = Math.max(1, loBit); bit < hiBit; bit++) {
      if ((composite[(int) (bit >>> 6)] & (1L << bit)) == 0) {
        long prime = 2 * bit + 1;
        count++;
        sum += prime;
        largest = prime;
      }
    }
    return new long[] {count, sum, largest};
  }

  /** The odd primes below {@code bound}, by a plain sieve. */
  static int[] basePrimes(int bound) {
    boolean[] composite = new boolean[bound + 1];
    List<Integer> primes = new ArrayList<>();
    for (int i = 3; i <= bound; i += 2) {
      if (!composite[i]) {
        primes.add(i);
        for (long j = (long) i * i; j <= bound; j += 2L * i) {
          composite[(int) j] = true;
        }
      }
    }
    return primes.stream().mapToInt(Integer::intValue).toArray();
  }
}
