package dev.presize.core.model;

import dev.presize.core.checkpoint.CrossingFeatures;
import dev.presize.core.json.Json;
import dev.presize.core.registry.AtomicFiles;
import dev.presize.core.registry.ModelChecksums;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A model of the limit crossing: XGBoost {@code binary:logistic} trees over {@link CrossingFeatures}, giving the
 * probability that a function's memory need crosses what is available in the next step. The checkpoint schedule
 * takes it as its raw exceedance probability ({@code CheckpointSchedule.Input#withExceedance}) in place of the one
 * read off the memory forecast's quantiles.
 *
 * <p>On disk, a directory ({@code presize train-crossing --out DIR}): {@code crossing.json} (the XGBoost model),
 * {@code metadata.json} ({@value #FORMAT}: the feature schema and names, the step, how the training limit was set,
 * the validation and held-out scores and the held-out series) and {@code SHA256SUMS} over both. {@link #write}
 * builds it in a temporary directory beside the target (files fsynced), then renames it into place; {@link #load}
 * verifies every checksum and refuses a model of another feature schema or of another objective, naming what
 * differs. Immutable and safe to share between threads.
 */
public final class CrossingModel {

  /** The {@code format} of {@code metadata.json}. */
  public static final String FORMAT = "presize-crossing-model/1";
  /** The XGBoost model file. */
  public static final String MODEL_FILE = "crossing.json";
  static final String METADATA = "metadata.json";
  private static final String OBJECTIVE = "binary:logistic";

  private final Path directory;
  private final TreeEnsemble trees;
  private final Duration step;
  private final double capacityQuantile;
  private final int sizingSteps;
  private final Instant createdAt;
  private final Map<String, Object> scores;
  private final Set<String> testSeries;
  private final Optional<Fold> fold;

  private CrossingModel(Path directory, TreeEnsemble trees, Duration step, double capacityQuantile,
      int sizingSteps, Instant createdAt, Map<String, Object> scores, Set<String> testSeries, Optional<Fold> fold) {
    this.directory = directory;
    this.fold = fold;
    this.trees = trees;
    this.step = step;
    this.capacityQuantile = capacityQuantile;
    this.sizingSteps = sizingSteps;
    this.createdAt = createdAt;
    this.scores = scores;
    this.testSeries = testSeries;
  }

  /**
   * What a trained crossing model records beside its trees.
   *
   * @param step the step of the series it was trained on (the features' windows are in steps)
   * @param capacityQuantile the quantile of each training series' memory taken as its limit
   * @param sizingSteps the steps of each series the limit was set from (0: its whole length), the rest trained on
   * @param scores validation and held-out scores, by name (numbers)
   * @param testSeries the series held out of training, for an honest evaluation
   * @param fold which fold of a cross-validation held them out, when recorded
   */
  public record Info(Duration step, double capacityQuantile, int sizingSteps, Map<String, Double> scores,
      Set<String> testSeries, Optional<Fold> fold) {
    public Info {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(fold, "fold");
      if (step.toMillis() < 1 || step.toNanos() % 1_000_000 != 0) {
        throw new IllegalArgumentException("step must be a whole number of milliseconds, at least 1 ms, was " + step);
      }
      if (!(capacityQuantile > 0 && capacityQuantile < 1)) {
        throw new IllegalArgumentException("capacityQuantile must be in (0, 1), was " + capacityQuantile);
      }
      if (sizingSteps < 0) {
        throw new IllegalArgumentException("sizingSteps must be >= 0, was " + sizingSteps);
      }
      scores = Map.copyOf(scores);
      testSeries = Set.copyOf(testSeries);
    }

    /** Without a fold recorded. */
    public Info(Duration step, double capacityQuantile, int sizingSteps, Map<String, Double> scores,
        Set<String> testSeries) {
      this(step, capacityQuantile, sizingSteps, scores, testSeries, Optional.empty());
    }
  }

  /**
   * The fold of a cross-validation whose series a model held out: the {@code k}-th of {@code n} groups of the series
   * by a hash seeded with {@code seed} ({@code presize train-crossing --fold K/N}), so the models of one
   * cross-validation can be told apart and checked to be complete.
   */
  public record Fold(int k, int n, long seed) {
    public Fold {
      if (n < 2 || k < 1 || k > n) {
        throw new IllegalArgumentException("a fold is K/N with 1 <= K <= N and N >= 2, was " + k + "/" + n);
      }
    }

    @Override
    public String toString() {
      return k + "/" + n;
    }
  }

  /**
   * Writes a model directory at {@code target}, which must not exist yet (or be an empty directory): built beside
   * it under a temporary name, every file fsynced, {@code SHA256SUMS} written, then renamed into place.
   *
   * @param xgboostJson the trees as XGBoost's {@code saveModel("….json")} wrote them; checked to load here first
   */
  public static void write(Path target, byte[] xgboostJson, Info info) throws IOException {
    TreeEnsemble trees = TreeEnsemble.parse(target.resolve(MODEL_FILE), xgboostJson);
    check(target.resolve(MODEL_FILE), trees);
    boolean replaceEmpty = false;
    if (Files.exists(target)) {
      try (var entries = Files.list(target)) {
        replaceEmpty = entries.findAny().isEmpty();
      } catch (IOException e) {
        replaceEmpty = false; // not a directory, or unreadable: refused below
      }
      if (!replaceEmpty) {
        throw new IOException(target + " already exists: a crossing model is written to a new directory");
      }
    }
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = AtomicFiles.tempIn(parent, "crossing");
    Files.createDirectory(tmp);
    try {
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("format", FORMAT);
      meta.put("createdAt", Instant.now().toString());
      meta.put("objective", OBJECTIVE);
      meta.put("featureSchema", Map.of("id", CrossingFeatures.SCHEMA, "names", CrossingFeatures.NAMES));
      meta.put("stepMillis", info.step().toMillis());
      meta.put("capacityQuantile", info.capacityQuantile());
      meta.put("sizingSteps", info.sizingSteps());
      meta.put("scores", new java.util.TreeMap<>(info.scores()));
      meta.put("testSeries", new ArrayList<>(new TreeSet<>(info.testSeries())));
      info.fold().ifPresent(f -> {
        Map<String, Object> fold = new LinkedHashMap<>();
        fold.put("k", f.k());
        fold.put("n", f.n());
        fold.put("seed", f.seed());
        meta.put("fold", fold);
      });
      byte[] metaBytes = (Json.write(meta) + "\n").getBytes(StandardCharsets.UTF_8);
      AtomicFiles.writeAtomically(tmp.resolve(MODEL_FILE), xgboostJson, tmp);
      AtomicFiles.writeAtomically(tmp.resolve(METADATA), metaBytes, tmp);
      // the sums of the bytes validated here, not of what is read back: a corrupted write fails the load below
      Map<String, String> sums = new java.util.TreeMap<>();
      sums.put(MODEL_FILE, ModelChecksums.sha256(xgboostJson));
      sums.put(METADATA, ModelChecksums.sha256(metaBytes));
      AtomicFiles.writeAtomically(tmp.resolve(ModelChecksums.FILE), ModelChecksums.format(sums)
          .getBytes(StandardCharsets.UTF_8), tmp);
      AtomicFiles.fsyncDirectory(tmp);
      load(tmp);
      if (replaceEmpty) {
        Files.delete(target); // the user's empty directory goes only now, when the model is complete
      }
      AtomicFiles.moveAtomically(tmp, target);
    } finally {
      if (Files.exists(tmp)) {
        AtomicFiles.deleteRecursively(tmp);
      }
    }
    load(target);
  }

  /**
   * A crossing model held in memory, not written (the trainer's gate plays it before deciding to write it).
   *
   * @param source names it in messages
   */
  public static CrossingModel of(Path source, byte[] xgboostJson, Info info) throws ModelFormatException {
    TreeEnsemble trees = TreeEnsemble.parse(source, xgboostJson);
    check(source, trees);
    return new CrossingModel(source, trees, info.step(), info.capacityQuantile(), info.sizingSteps(), Instant.now(),
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(info.scores())), info.testSeries(), info.fold());
  }

  /**
   * Loads and verifies a crossing model directory.
   *
   * @throws ModelFormatException not a directory, a checksum or file problem, another format, feature schema or
   *     objective (what differs named)
   */
  public static CrossingModel load(Path directory) throws IOException {
    Objects.requireNonNull(directory, "directory");
    if (!Files.isDirectory(directory)) {
      throw new ModelFormatException(directory, "not a directory");
    }
    Map<String, byte[]> files = ModelBundle.readVerified(directory);
    Path metaFile = directory.resolve(METADATA);
    byte[] metaBytes = files.get(METADATA);
    if (metaBytes == null) {
      throw new ModelFormatException(metaFile, "missing: a crossing model directory has " + METADATA);
    }
    Map<?, ?> meta;
    try {
      Object root = Json.parse(new String(metaBytes, StandardCharsets.UTF_8));
      if (!(root instanceof Map<?, ?> m)) {
        throw new ModelFormatException(metaFile, "not a JSON object");
      }
      meta = m;
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(metaFile, e.getMessage());
    }
    String format = string(metaFile, meta, "format");
    if (!format.equals(FORMAT)) {
      throw new ModelFormatException(metaFile, "format '" + format + "' is not " + FORMAT
          + (format.startsWith("presize-model/") ? " (this is a forecast model; pass it as --model)" : ""));
    }
    if (!(meta.get("featureSchema") instanceof Map<?, ?> schema)) {
      throw new ModelFormatException(metaFile, "featureSchema must be an object");
    }
    String schemaId = string(metaFile, schema, "id");
    if (!schemaId.equals(CrossingFeatures.SCHEMA)) {
      throw new FeatureSchemaMismatchException(metaFile, CrossingFeatures.SCHEMA, schemaId);
    }
    if (!CrossingFeatures.NAMES.equals(schema.get("names"))) {
      throw new ModelFormatException(metaFile, "featureSchema.names differ from " + CrossingFeatures.SCHEMA
          + "'s: " + schema.get("names"));
    }
    long stepMillis;
    int sizing;
    try {
      stepMillis = number(metaFile, meta, "stepMillis").longValueExact();
      sizing = number(metaFile, meta, "sizingSteps").intValueExact();
    } catch (ArithmeticException e) {
      throw new ModelFormatException(metaFile, "stepMillis and sizingSteps must be whole numbers (" + e.getMessage()
          + ")");
    }
    if (stepMillis <= 0) {
      throw new ModelFormatException(metaFile, "stepMillis must be > 0, was " + stepMillis);
    }
    double q = number(metaFile, meta, "capacityQuantile").doubleValue();
    if (!(q > 0 && q < 1) || sizing < 0) {
      throw new ModelFormatException(metaFile, "capacityQuantile must be in (0, 1) and sizingSteps >= 0, were "
          + q + " and " + sizing);
    }
    Instant created;
    try {
      created = Instant.parse(string(metaFile, meta, "createdAt"));
    } catch (java.time.format.DateTimeParseException e) {
      throw new ModelFormatException(metaFile, "createdAt is not an ISO-8601 instant");
    }
    Map<String, Object> scores = new LinkedHashMap<>();
    if (meta.get("scores") instanceof Map<?, ?> s) {
      s.forEach((k, v) -> scores.put(String.valueOf(k), v instanceof BigDecimal b ? b.doubleValue() : v));
    }
    Set<String> test = new TreeSet<>();
    if (meta.get("testSeries") instanceof List<?> list) {
      for (Object o : list) {
        test.add(String.valueOf(o));
      }
    }
    Optional<Fold> fold = Optional.empty();
    if (meta.containsKey("fold")) {
      if (!(meta.get("fold") instanceof Map<?, ?> f)) {
        throw new ModelFormatException(metaFile, "fold must be an object {k, n, seed}");
      }
      try {
        fold = Optional.of(new Fold(number(metaFile, f, "k").intValueExact(), number(metaFile, f, "n")
            .intValueExact(), number(metaFile, f, "seed").longValueExact()));
      } catch (ArithmeticException | IllegalArgumentException e) {
        throw new ModelFormatException(metaFile, "fold: " + e.getMessage());
      }
    }
    Path modelFile = directory.resolve(MODEL_FILE);
    byte[] modelBytes = files.get(MODEL_FILE);
    if (modelBytes == null) {
      throw new ModelFormatException(modelFile, "missing: a crossing model directory has " + MODEL_FILE);
    }
    TreeEnsemble trees = TreeEnsemble.parse(modelFile, modelBytes);
    check(modelFile, trees);
    return new CrossingModel(directory, trees, Duration.ofMillis(stepMillis), q, sizing, created,
        java.util.Collections.unmodifiableMap(scores), java.util.Collections.unmodifiableSet(test), fold);
  }

  private static void check(Path file, TreeEnsemble trees) throws ModelFormatException {
    if (!trees.objective().equals(OBJECTIVE)) {
      throw new ModelFormatException(file, "objective '" + trees.objective() + "' is not " + OBJECTIVE);
    }
    if (trees.featureCount() != CrossingFeatures.WIDTH || trees.outputCount() != 1) {
      throw new ModelFormatException(file, "has " + trees.featureCount() + " features and " + trees.outputCount()
          + " outputs; " + CrossingFeatures.SCHEMA + " has " + CrossingFeatures.WIDTH + " and one probability");
    }
  }

  private static String string(Path file, Map<?, ?> m, String key) throws ModelFormatException {
    if (!(m.get(key) instanceof String s)) {
      throw new ModelFormatException(file, key + " must be a string");
    }
    return s;
  }

  private static BigDecimal number(Path file, Map<?, ?> m, String key) throws ModelFormatException {
    if (!(m.get(key) instanceof BigDecimal b)) {
      throw new ModelFormatException(file, key + " must be a number");
    }
    return b;
  }

  /**
   * The probability that the next step crosses the limit the features were computed for, in [0, 1].
   *
   * @param features {@link CrossingFeatures#features} output, {@link CrossingFeatures#WIDTH} values
   */
  public double probability(float[] features) {
    float[] out = OUT.get();
    trees.predict(features, out);
    double p = out[0];
    return p != p ? 0 : Math.min(1, Math.max(0, p));
  }

  /** Each thread's one-value output buffer, so a decision allocates nothing. */
  private static final ThreadLocal<float[]> OUT = ThreadLocal.withInitial(() -> new float[1]);

  /** Where it was loaded from. */
  public Path directory() {
    return directory;
  }

  /** The step of the series it was trained on. */
  public Duration step() {
    return step;
  }

  /** The quantile of each training series' memory taken as its limit. */
  public double capacityQuantile() {
    return capacityQuantile;
  }

  /** The steps of each training series its limit was set from (0: the whole series). */
  public int sizingSteps() {
    return sizingSteps;
  }

  /** When it was trained. */
  public Instant createdAt() {
    return createdAt;
  }

  /** The validation scores recorded at training. */
  public Map<String, Object> scores() {
    return scores;
  }

  /** The series held out of training. */
  public Set<String> testSeries() {
    return testSeries;
  }

  /** The fold of a cross-validation that held them out; empty when not recorded (models of before 2026-11-25). */
  public Optional<Fold> fold() {
    return fold;
  }

  @Override
  public String toString() {
    return "CrossingModel[" + directory + ", step=" + step + ", trees=" + trees.treeCount() + "]";
  }
}
