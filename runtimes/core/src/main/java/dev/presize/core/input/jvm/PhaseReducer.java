package dev.presize.core.input.jvm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reduces execution samples to a code-phase id: per time window, the hottest stack key (the top application
 * frames of a sample) wins, and its stable 16-bit hash is the window's phase.
 *
 * <p>Pure logic, fed by one thread (the JFR stream's); {@link #phase()} and {@link #phaseNames()} may be read from
 * any thread. Id 0 means idle or unknown (no application samples in the window).
 */
final class PhaseReducer {

  /** Frames of these packages are skipped when building a stack key: they say nothing about the function. */
  static final List<String> DEFAULT_EXCLUDED_PREFIXES = List.of(
      "java.", "javax.", "jdk.", "sun.", "com.sun.", "dev.presize.core.", "dev.presize.spi.");

  /** Frames per stack key: the hottest method and its caller distinguish phases that share a helper. */
  static final int FRAMES_PER_KEY = 2;

  /** Most ids remembered with their description; beyond it new ids still work but are not described. */
  static final int MAX_NAMES = 4096;

  private final long windowNanos;
  private final List<String> excludedPrefixes;
  private final Map<String, int[]> counts = new HashMap<>();
  private final Map<Long, String> names = new ConcurrentHashMap<>();
  private long window = Long.MIN_VALUE;
  private long samplesSinceFlush;
  private volatile long phase;
  private volatile long collisions;

  PhaseReducer(long windowNanos, List<String> excludedPrefixes) {
    if (windowNanos <= 0) {
      throw new IllegalArgumentException("windowNanos must be positive, was " + windowNanos);
    }
    this.windowNanos = windowNanos;
    this.excludedPrefixes = List.copyOf(excludedPrefixes);
  }

  /**
   * The stack key of one sample: the first {@link #FRAMES_PER_KEY} frames, from the top, that are not excluded,
   * joined by {@code " < "} (callee first), or {@code null} when every frame is excluded.
   *
   * @param methods fully qualified method names ({@code pkg.Class.method}), top of stack first
   */
  String stackKey(List<String> methods) {
    StringBuilder key = null;
    int taken = 0;
    for (String m : methods) {
      if (isExcluded(m)) {
        continue;
      }
      if (key == null) {
        key = new StringBuilder(m);
      } else {
        key.append(" < ").append(m);
      }
      if (++taken == FRAMES_PER_KEY) {
        break;
      }
    }
    return key == null ? null : key.toString();
  }

  private boolean isExcluded(String method) {
    for (String p : excludedPrefixes) {
      if (method.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Counts one sample taken at {@code timeNanos} (any clock, as long as it is the same for every sample). A
   * sample in a later window than the current one closes the current window and publishes its phase.
   *
   * @param key the sample's {@link #stackKey}, or {@code null} for a sample without application frames
   */
  void add(long timeNanos, String key) {
    long w = Math.floorDiv(timeNanos, windowNanos);
    if (w > window) {
      if (window != Long.MIN_VALUE) {
        closeWindow();
      }
      window = w;
    }
    samplesSinceFlush++;
    if (key != null) {
      counts.computeIfAbsent(key, k -> new int[1])[0]++;
    }
  }

  /**
   * Called when the sample source has delivered everything it had (a JFR flush): publishes the current window's
   * phase, or 0 when nothing at all was sampled since the previous flush (no Java thread was running).
   */
  void flush() {
    if (samplesSinceFlush == 0) {
      phase = 0;
    } else {
      closeWindow();
    }
    samplesSinceFlush = 0;
  }

  private void closeWindow() {
    String hottest = null;
    int best = 0;
    for (Map.Entry<String, int[]> e : counts.entrySet()) {
      int n = e.getValue()[0];
      if (n > best || (n == best && hottest != null && e.getKey().compareTo(hottest) < 0)) {
        best = n;
        hottest = e.getKey();
      }
    }
    counts.clear();
    if (hottest == null) {
      phase = 0;
      return;
    }
    long id = phaseId(hottest);
    String known = names.get(id);
    if (known == null) {
      if (names.size() < MAX_NAMES) {
        names.put(id, hottest);
      }
    } else if (!known.equals(hottest)) {
      collisions++; // two keys share a 16-bit id: the first description is kept
    }
    phase = id;
  }

  /** A stable id in 1..65535 for a stack key: a 16-bit fold of its FNV-1a hash (0 is reserved for idle). */
  static long phaseId(String key) {
    int h = 0x811c9dc5;
    for (int i = 0; i < key.length(); i++) {
      h ^= key.charAt(i);
      h *= 0x01000193;
    }
    int folded = (h >>> 16) ^ (h & 0xffff);
    return folded == 0 ? 1 : folded;
  }

  /** The phase of the latest closed window (0 = idle or unknown). */
  long phase() {
    return phase;
  }

  /** What each phase id seen so far stands for: its stack key. */
  Map<Long, String> phaseNames() {
    return Map.copyOf(names);
  }

  /** Ids that turned out to stand for two different stack keys. */
  long collisions() {
    return collisions;
  }
}
