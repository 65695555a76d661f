package dev.presize.workloads;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.spi.function.PresizeFunction;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An in-memory LRU cache of 1 KiB values with a capacity of {@code size} entries: filled to capacity, then serving
 * a skewed stream of twice as many lookups over twice as many keys (misses load and evict), then trimmed to a
 * tenth of its capacity, as a function would before going idle.
 */
public final class CacheFillEvictFunction implements PresizeFunction {
  static final String NAME = "cache-fill-evict";
  static final int VALUE_BYTES = 1024;
  static final int MAX_SIZE = 4_000_000;

  @Override
  public String invoke(String requestJson) {
    Request request = Request.parse(requestJson, MAX_SIZE, false);
    int capacity = request.intSize();
    long seed = request.seed();
    long[] evictions = {0};
    LinkedHashMap<Long, byte[]> cache = new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
        boolean evict = size() > capacity;
        if (evict) {
          evictions[0]++;
        }
        return evict;
      }
    };
    for (long key = 0; key < capacity; key++) {
      cache.put(key, load(seed, key));
    }
    Rng rng = Rng.derived(seed, 71);
    long hits = 0;
    long misses = 0;
    long checksum = 0;
    int keySpace = 2 * capacity;
    for (int i = 0; i < 2 * capacity; i++) {
      long key = rng.nextSkewed(keySpace);
      byte[] value = cache.get(key);
      if (value == null) {
        misses++;
        value = load(seed, key);
        cache.put(key, value);
      } else {
        hits++;
      }
      checksum = checksum * 31 + value[i & (VALUE_BYTES - 1)];
    }
    int peakEntries = cache.size();
    long trimmed = 0;
    Iterator<Map.Entry<Long, byte[]>> eldestFirst = cache.entrySet().iterator();
    while (cache.size() > capacity / 10 && eldestFirst.hasNext()) {
      eldestFirst.next();
      eldestFirst.remove();
      trimmed++;
    }
    long retainedKeys = 0;
    for (Long key : cache.keySet()) {
      retainedKeys = retainedKeys * 31 + key;
    }
    ObjectNode response = Json.response(NAME, request);
    response.put("capacity", capacity);
    response.put("peakEntries", peakEntries);
    response.put("hits", hits);
    response.put("misses", misses);
    response.put("hitRatio", Math.round(10_000.0 * hits / (hits + misses)) / 10_000.0);
    response.put("evictions", evictions[0]);
    response.put("trimmed", trimmed);
    response.put("retained", cache.size());
    response.put("retainedKeysHash", Long.toHexString(retainedKeys));
    response.put("checksum", Long.toHexString(checksum));
    return Json.write(response);
  }

  /** The value "loaded" for {@code key}: 1 KiB derived from it, as a backing store would return. */
  private static byte[] load(long seed, long key) {
    byte[] value = new byte[VALUE_BYTES];
    DeterministicBytes.fill(seed ^ Rng.mix(key), 0, value, 0, VALUE_BYTES);
    return value;
  }
}
