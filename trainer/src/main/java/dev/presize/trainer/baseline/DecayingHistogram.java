package dev.presize.trainer.baseline;

/**
 * A histogram whose sample weights decay exponentially with age, a port of the VPA's {@code util/histogram.go} and
 * {@code util/decaying_histogram.go}.
 *
 * <p>Instead of shrinking old weights, a sample at time {@code t} is added with weight
 * {@code w * 2^((t - reference) / halfLife)}: newer samples weigh more, and a sample one half-life older weighs half.
 * When {@code t} exceeds the reference by more than 100 half-lives the weights would overflow, so the reference is
 * moved to {@code t} (rounded to a multiple of the half-life) and all weights are multiplied by
 * {@code 2^(old - new reference)/halfLife}, which leaves every percentile unchanged. Percentiles return the
 * <em>end</em> of the bucket where the cumulative weight reaches the percentile (the start of the last bucket if it is
 * the last one), and {@code 0} for an empty histogram, as the VPA does.
 */
final class DecayingHistogram {

  private static final int MAX_DECAY_EXPONENT = 100;

  private final ExponentialBuckets buckets;
  private final int numBuckets;
  private final long halfLifeMillis;
  private final double[] weight;
  private double totalWeight;
  private int minBucket;
  private int maxBucket;
  private long referenceMillis;

  DecayingHistogram(ExponentialBuckets buckets, long halfLifeMillis) {
    if (halfLifeMillis <= 0) {
      throw new IllegalArgumentException("halfLifeMillis must be positive, was " + halfLifeMillis);
    }
    this.buckets = buckets;
    this.numBuckets = buckets.numBuckets();
    this.halfLifeMillis = halfLifeMillis;
    this.weight = new double[numBuckets];
    this.minBucket = numBuckets - 1;
    this.maxBucket = 0;
  }

  /** Adds {@code value} with {@code weight}, decayed as of {@code timeMillis}. */
  void addSample(double value, double sampleWeight, long timeMillis) {
    if (!(sampleWeight >= 0)) {
      throw new IllegalArgumentException("sample weight must be non-negative, was " + sampleWeight);
    }
    double w = sampleWeight * decayFactor(timeMillis);
    int bucket = buckets.findBucket(value);
    weight[bucket] += w;
    totalWeight += w;
    if (bucket < minBucket && weight[bucket] >= buckets.epsilon()) {
      minBucket = bucket;
    }
    if (bucket > maxBucket && weight[bucket] >= buckets.epsilon()) {
      maxBucket = bucket;
    }
  }

  /** Removes {@code value} with {@code weight} as of {@code timeMillis}; a bucket's weight never goes negative. */
  void subtractSample(double value, double sampleWeight, long timeMillis) {
    if (!(sampleWeight >= 0)) {
      throw new IllegalArgumentException("sample weight must be non-negative, was " + sampleWeight);
    }
    double w = sampleWeight * decayFactor(timeMillis);
    int bucket = buckets.findBucket(value);
    if (w > weight[bucket] - buckets.epsilon()) {
      w = weight[bucket];
    }
    totalWeight -= w;
    weight[bucket] -= w;
    updateMinAndMaxBucket();
  }

  /** The {@code percentile} (in [0, 1]) of the weighted samples, {@code 0} if empty. */
  double percentile(double percentile) {
    if (isEmpty()) {
      return 0.0;
    }
    double partialSum = 0.0;
    double threshold = percentile * totalWeight;
    int bucket = minBucket;
    for (; bucket < maxBucket; bucket++) {
      partialSum += weight[bucket];
      if (partialSum >= threshold) {
        break;
      }
    }
    return bucket < numBuckets - 1 ? buckets.bucketStart(bucket + 1) : buckets.bucketStart(bucket);
  }

  boolean isEmpty() {
    return weight[minBucket] < buckets.epsilon();
  }

  /** The sum of the (reference-relative) weights. */
  double totalWeight() {
    return totalWeight;
  }

  /** The (reference-relative) weight in {@code bucket}. */
  double bucketWeight(int bucket) {
    return weight[bucket];
  }

  long referenceMillis() {
    return referenceMillis;
  }

  private double decayFactor(long timeMillis) {
    long maxAllowed = referenceMillis + halfLifeMillis * MAX_DECAY_EXPONENT;
    if (timeMillis > maxAllowed) {
      shiftReference(timeMillis);
    }
    return Math.pow(2, (double) (timeMillis - referenceMillis) / halfLifeMillis);
  }

  private void shiftReference(long timeMillis) {
    // Go's Time.Round: to the nearest multiple of the half-life, halves away from zero.
    long newReference = Math.floorDiv(timeMillis + halfLifeMillis / 2, halfLifeMillis) * halfLifeMillis;
    long exponent = Math.round((double) (referenceMillis - newReference) / halfLifeMillis);
    scale(Math.scalb(1.0, (int) Math.max(exponent, Integer.MIN_VALUE)));
    referenceMillis = newReference;
  }

  private void scale(double factor) {
    for (int b = minBucket; b <= maxBucket; b++) {
      weight[b] *= factor;
    }
    totalWeight *= factor;
    updateMinAndMaxBucket();
  }

  private void updateMinAndMaxBucket() {
    double epsilon = buckets.epsilon();
    while (weight[minBucket] < epsilon && minBucket < numBuckets - 1) {
      minBucket++;
    }
    while (weight[maxBucket] < epsilon && maxBucket > 0) {
      maxBucket--;
    }
  }
}
