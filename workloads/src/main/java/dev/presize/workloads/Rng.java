package dev.presize.workloads;

/**
 * A SplitMix64 pseudo-random generator: tiny, fast, and the same sequence for the same seed on every JVM, which
 * is what makes every workload deterministic given its request.
 */
final class Rng {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;

  Rng(long seed) {
    this.state = seed;
  }

  /** A generator for one derived stream, so sub-tasks of a workload do not share (or depend on) one sequence. */
  static Rng derived(long seed, long stream) {
    return new Rng(mix(seed ^ mix(stream + GOLDEN)));
  }

  /** The SplitMix64 finalizer: a bijective, well-mixed function of {@code z}. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** Uniform in {@code [0, bound)}; {@code bound} must be positive. */
  int nextInt(int bound) {
    return (int) (((nextLong() >>> 33) * bound) >>> 31);
  }

  /** Uniform in {@code [0, 1)}. */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** A skewed index in {@code [0, bound)}: small indices are much more likely (roughly Zipf-like). */
  int nextSkewed(int bound) {
    double u = nextDouble();
    return (int) (bound * u * u * u);
  }
}
