package dev.presize.workloads;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.spi.function.PresizeFunction;
import java.util.Arrays;

/**
 * A sort of {@code size} generated 64-bit keys (a quarter of them duplicated) with {@link Arrays#sort(long[])},
 * summarised by an order-sensitive checksum, the extremes, the median and the distinct count.
 */
public final class SortArrayFunction implements PresizeFunction {
  static final String NAME = "sort-array";
  static final int MAX_SIZE = 200_000_000;

  @Override
  public String invoke(String requestJson) {
    Request request = Request.parse(requestJson, MAX_SIZE, false);
    long[] keys = keys(request.intSize(), request.seed());
    Arrays.sort(keys);
    long checksum = 0;
    long distinct = 0;
    boolean sorted = true;
    for (int i = 0; i < keys.length; i++) {
      checksum = checksum * 31 + Rng.mix(keys[i]);
      if (i == 0 || keys[i] != keys[i - 1]) {
        distinct++;
      }
      if (i > 0 && keys[i] < keys[i - 1]) {
        sorted = false;
      }
    }
    ObjectNode response = Json.response(NAME, request);
    response.put("count", keys.length);
    response.put("sorted", sorted);
    response.put("distinct", distinct);
    response.put("min", keys[0]);
    response.put("median", keys[keys.length / 2]);
    response.put("max", keys[keys.length - 1]);
    response.put("checksum", Long.toHexString(checksum));
    return Json.write(response);
  }

  /** The keys a request sorts: random, with every fourth one a copy of an earlier key. */
  static long[] keys(int count, long seed) {
    Rng rng = Rng.derived(seed, 41);
    long[] keys = new long[count];
    for (int i = 0; i < count; i++) {
      keys[i] = (i % 4 == 3) ? keys[rng.nextInt(i)] : rng.nextLong();
    }
    return keys;
  }
}
