package dev.presize.trainer.baseline;

/**
 * Exponential histogram buckets as in the VPA's {@code util/histogram_options.go}: bucket 0 is
 * {@code [0, firstBucketSize)}, bucket {@code i >= 1} starts at {@code firstBucketSize * (ratio^i - 1) / (ratio - 1)}
 * (so each bucket is {@code ratio} times wider than the previous), and the last bucket is unbounded.
 *
 * @param maxValue values at or above the last bucket's start fall into the last bucket
 * @param firstBucketSize the width of bucket 0
 * @param ratio the growth of bucket widths, e.g. 1.05
 * @param epsilon a bucket with less weight than this is empty
 */
record ExponentialBuckets(double maxValue, double firstBucketSize, double ratio, double epsilon) {

  /** VPA's CPU buckets: cores, first bucket 0.01, max 1000, ratio 1.05, epsilon 1e-4. */
  static final ExponentialBuckets VPA_CPU = new ExponentialBuckets(1000.0, 0.01, 1.05, 1e-4);
  /** VPA's memory buckets: bytes, first bucket 1e7, max 1e12, ratio 1.05, epsilon 1e-4. */
  static final ExponentialBuckets VPA_MEMORY = new ExponentialBuckets(1e12, 1e7, 1.05, 1e-4);
  /** Buckets for rates (bytes per second): first bucket 1, max 1e13, ratio 1.05 (not in the VPA). */
  static final ExponentialBuckets RATES = new ExponentialBuckets(1e13, 1.0, 1.05, 1e-4);

  ExponentialBuckets {
    if (!(maxValue > 0) || !(firstBucketSize > 0) || !(ratio > 1) || !(epsilon > 0)) {
      throw new IllegalArgumentException("bad exponential buckets: maxValue=" + maxValue + " firstBucketSize="
          + firstBucketSize + " ratio=" + ratio + " epsilon=" + epsilon);
    }
  }

  /** The number of buckets: {@code ceil(log(maxValue * (ratio - 1) / firstBucketSize + 1) / log(ratio)) + 1}. */
  int numBuckets() {
    return (int) Math.ceil(Math.log(maxValue * (ratio - 1) / firstBucketSize + 1) / Math.log(ratio)) + 1;
  }

  /** The bucket {@code value} falls into. */
  int findBucket(double value) {
    if (value < firstBucketSize) {
      return 0;
    }
    int bucket = (int) (Math.log(value * (ratio - 1) / firstBucketSize + 1) / Math.log(ratio));
    return Math.min(bucket, numBuckets() - 1);
  }

  /** The (inclusive) start of {@code bucket}. */
  double bucketStart(int bucket) {
    if (bucket < 0 || bucket >= numBuckets()) {
      throw new IllegalArgumentException("bucket " + bucket + " out of [0, " + numBuckets() + ")");
    }
    return bucket == 0 ? 0.0 : firstBucketSize * (Math.pow(ratio, bucket) - 1) / (ratio - 1);
  }
}
