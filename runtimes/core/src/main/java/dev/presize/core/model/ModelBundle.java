package dev.presize.core.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A trained model directory in format {@code presize-model/1} ({@code docs/model-format.md}), loaded and
 * verified: every file checked against {@code SHA256SUMS}, {@code metadata.json} read, the feature schema
 * matched against the caller's, and one {@link QuantileModel} per target. Loading either returns a complete
 * bundle or throws; a bundle is immutable and safe to share between threads.
 */
public final class ModelBundle {

  /** The format this code reads. */
  public static final String FORMAT = "presize-model/1";
  /** The file a filesystem registry adds to a stored version; not part of the model, so not checked here. */
  public static final String REGISTRY_STATE = "state.json";
  static final String SUMS = "SHA256SUMS";
  static final String METADATA = "metadata.json";

  private final Path directory;
  private final String name;
  private final Instant createdAt;
  private final String featureSchemaId;
  private final List<String> featureNames;
  private final double[] quantiles;
  private final Duration step;
  private final int horizonSteps;
  private final Map<String, QuantileModel> targets;

  private ModelBundle(Path directory, String name, Instant createdAt, String featureSchemaId,
                      List<String> featureNames, double[] quantiles, Duration step, int horizonSteps,
                      Map<String, QuantileModel> targets) {
    this.directory = directory;
    this.name = name;
    this.createdAt = createdAt;
    this.featureSchemaId = featureSchemaId;
    this.featureNames = featureNames;
    this.quantiles = quantiles;
    this.step = step;
    this.horizonSteps = horizonSteps;
    this.targets = targets;
  }

  /**
   * Loads and verifies a model directory.
   *
   * @param expectedFeatureSchemaId the id of the feature extractor the caller uses; the model must have been
   *     trained on the same schema
   * @throws FeatureSchemaMismatchException the model was trained on another feature schema (both ids named)
   * @throws ModelFormatException {@code SHA256SUMS} is missing, a file is missing, unlisted or does not match
   *     its checksum, or a file is damaged or unsupported (the file and the problem named)
   * @throws IOException a file cannot be read
   */
  public static ModelBundle load(Path directory, String expectedFeatureSchemaId) throws IOException {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(expectedFeatureSchemaId, "expectedFeatureSchemaId");
    if (!Files.isDirectory(directory)) {
      throw new ModelFormatException(directory, "not a directory");
    }
    Map<String, byte[]> files = readVerified(directory);
    Path metadataFile = directory.resolve(METADATA);
    byte[] metadataBytes = files.get(METADATA);
    if (metadataBytes == null) {
      throw new ModelFormatException(metadataFile, "missing: the model directory has no " + METADATA);
    }
    JsonReader reader = new JsonReader(metadataFile, metadataBytes);
    Object root = reader.readValue();
    reader.endDocument();
    Meta meta = new Meta(metadataFile, root, "");

    String format = meta.string("format");
    if (!format.equals(FORMAT)) {
      throw new ModelFormatException(metadataFile, "format '" + format + "' is not " + FORMAT);
    }
    Meta schema = meta.object("featureSchema");
    String schemaId = schema.string("id");
    if (!schemaId.equals(expectedFeatureSchemaId)) {
      throw new FeatureSchemaMismatchException(metadataFile, expectedFeatureSchemaId, schemaId);
    }
    List<String> names = schema.stringList("names");
    Map<String, Integer> columns = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      if (columns.put(names.get(i), i) != null) {
        throw meta.refuse("featureSchema.names lists '" + names.get(i) + "' twice");
      }
    }
    double[] quantiles = meta.doubleArray("quantiles");
    if (quantiles.length == 0) {
      throw meta.refuse("quantiles is empty");
    }
    for (int k = 0; k < quantiles.length; k++) {
      if (!(quantiles[k] > 0 && quantiles[k] < 1) || (k > 0 && !(quantiles[k] > quantiles[k - 1]))) {
        throw meta.refuse("quantiles must be increasing and in (0, 1): " + java.util.Arrays.toString(quantiles));
      }
    }
    String bundleName = meta.string("name");
    Instant createdAt = meta.instant("createdAt");
    long stepMillis = meta.positiveLong("stepMillis");
    int horizonSteps = Math.toIntExact(meta.positiveLong("horizonSteps"));

    Meta targetsMeta = meta.object("targets");
    if (targetsMeta.keys().isEmpty()) {
      throw meta.refuse("targets is empty");
    }
    Map<String, QuantileModel> targets = new LinkedHashMap<>();
    for (String key : targetsMeta.keys()) {
      Meta t = targetsMeta.object(key);
      String modelName = t.string("model");
      Path modelFile = directory.resolve(modelName);
      byte[] modelBytes = files.get(modelName);
      if (modelBytes == null || modelName.equals(METADATA)) {
        throw t.refuse("model '" + modelName + "' is not a model file of the directory");
      }
      TreeEnsemble ensemble = TreeEnsemble.parse(modelFile, modelBytes);
      if (!ensemble.objective().equals("reg:quantileerror")) {
        throw new ModelFormatException(modelFile, "objective '" + ensemble.objective()
            + "': a target model must be reg:quantileerror");
      }
      double[] alphas = ensemble.quantileAlphas();
      if (alphas.length != quantiles.length) {
        throw new ModelFormatException(modelFile, "has " + alphas.length + " quantiles "
            + java.util.Arrays.toString(alphas) + " but metadata.json lists " + quantiles.length);
      }
      for (int k = 0; k < alphas.length; k++) {
        if (Math.abs(alphas[k] - quantiles[k]) > 1e-6) {
          throw new ModelFormatException(modelFile, "quantile_alpha " + java.util.Arrays.toString(alphas)
              + " differs from metadata.json quantiles " + java.util.Arrays.toString(quantiles));
        }
      }
      if (ensemble.featureCount() != names.size()) {
        throw new ModelFormatException(modelFile, "has " + ensemble.featureCount() + " features but the"
            + " feature schema '" + schemaId + "' has " + names.size());
      }
      Meta tr = t.object("transform");
      String kind = tr.string("kind");
      QuantileModel.Transform transform = switch (kind) {
        case "identity" -> new QuantileModel.Identity();
        case "log-ratio" -> {
          String reference = tr.string("reference");
          Integer index = columns.get(reference);
          if (index == null) {
            throw tr.refuse("reference '" + reference + "' is not a column of the feature schema");
          }
          double offset = tr.number("offset");
          if (!Double.isFinite(offset) || offset < 0) {
            throw tr.refuse("offset must be finite and >= 0, found " + offset);
          }
          yield new QuantileModel.LogRatio(reference, index, offset);
        }
        default -> throw tr.refuse("kind '" + kind + "' is not one of identity, log-ratio");
      };
      QuantileModel.Calibration calibration = null;
      if (t.has("calibration")) {
        Meta c = t.object("calibration");
        try {
          // presize-model/1 as first written had only "factor" (the scale rule)
          String rule = c.has("rule") ? c.string("rule") : "scale";
          double parameter = c.has("parameter") ? c.number("parameter") : c.number("factor");
          calibration = new QuantileModel.Calibration(c.number("allocationQuantile"), rule, parameter,
              c.number("targetUnderProvisioned"));
        } catch (IllegalArgumentException e) {
          throw c.refuse(e.getMessage());
        }
      }
      targets.put(key, new QuantileModel(key, t.string("target"), t.string("resource"), t.string("unit"),
          quantiles, ensemble, transform, calibration));
    }
    return new ModelBundle(directory, bundleName, createdAt, schemaId, List.copyOf(names), quantiles,
        Duration.ofMillis(stepMillis), horizonSteps, Collections.unmodifiableMap(targets));
  }

  /**
   * Reads every file listed in {@code SHA256SUMS} and checks it; refuses a missing {@code SHA256SUMS}, a
   * malformed line, a listed file that is missing, a file not listed, and a checksum mismatch.
   */
  static Map<String, byte[]> readVerified(Path directory) throws IOException {
    Path sumsFile = directory.resolve(SUMS);
    byte[] sums;
    try {
      sums = Files.readAllBytes(sumsFile);
    } catch (NoSuchFileException e) {
      throw new ModelFormatException(sumsFile, "missing: a model directory without " + SUMS + " is refused");
    }
    Map<String, String> expected = new TreeMap<>();
    String[] lines = new String(sums, StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty() && i == lines.length - 1) {
        continue;
      }
      // sha256sum format: 64 hex digits, a space, a space (text) or '*' (binary), the file name.
      if (line.length() < 67 || line.charAt(64) != ' ' || (line.charAt(65) != ' ' && line.charAt(65) != '*')
          || !line.substring(0, 64).matches("[0-9a-fA-F]{64}")) {
        throw new ModelFormatException(sumsFile, "line " + (i + 1) + " is not '<64 hex>  <file name>': '"
            + line + "'");
      }
      String fileName = line.substring(66);
      if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\") || fileName.equals(".")
          || fileName.equals("..") || fileName.equals(SUMS)) {
        throw new ModelFormatException(sumsFile, "line " + (i + 1) + " names '" + fileName
            + "', not a file of the model directory");
      }
      if (expected.put(fileName, line.substring(0, 64).toLowerCase(java.util.Locale.ROOT)) != null) {
        throw new ModelFormatException(sumsFile, "lists '" + fileName + "' twice");
      }
    }
    TreeSet<String> present = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        present.add(entry.getFileName().toString());
      }
    }
    present.remove(SUMS);
    // the registry keeps a version's state next to its files (docs/registry.md); it is not part of the model
    present.remove(REGISTRY_STATE);
    for (String file : present) {
      if (!expected.containsKey(file)) {
        throw new ModelFormatException(directory.resolve(file), "not listed in " + SUMS
            + ": a model directory holds only the files it lists");
      }
    }
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    Map<String, byte[]> contents = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Path file = directory.resolve(e.getKey());
      if (!present.contains(e.getKey())) {
        throw new ModelFormatException(file, "missing: listed in " + SUMS + " but not in the directory");
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new ModelFormatException(file, "not a regular file");
      }
      byte[] bytes = Files.readAllBytes(file);
      String actual = HexFormat.of().formatHex(sha256.digest(bytes));
      if (!actual.equals(e.getValue())) {
        throw new ModelFormatException(file, "checksum mismatch: " + SUMS + " says " + e.getValue()
            + ", the file's SHA-256 is " + actual + " (" + bytes.length + " bytes)");
      }
      contents.put(e.getKey(), bytes);
    }
    return contents;
  }

  /** The model directory. */
  public Path directory() {
    return directory;
  }

  /** The model's name ({@code name}). */
  public String name() {
    return name;
  }

  /** When it was trained. */
  public Instant createdAt() {
    return createdAt;
  }

  /** The feature schema id the model was trained on (equal to the caller's, or loading failed). */
  public String featureSchemaId() {
    return featureSchemaId;
  }

  /** The columns of a feature row, in order. */
  public List<String> featureNames() {
    return featureNames;
  }

  /** The quantile levels every target predicts, in order. */
  public double[] quantiles() {
    return quantiles.clone();
  }

  /** The length of one step of the series the model forecasts. */
  public Duration step() {
    return step;
  }

  /** How many steps ahead it forecasts. */
  public int horizonSteps() {
    return horizonSteps;
  }

  /** The models by target key ({@code memory}, {@code cpu}, …), in file order. */
  public Map<String, QuantileModel> targets() {
    return targets;
  }

  /**
   * The model of one target.
   *
   * @throws IllegalArgumentException the bundle has no such target (the known ones named)
   */
  public QuantileModel target(String key) {
    QuantileModel m = targets.get(key);
    if (m == null) {
      throw new IllegalArgumentException("model " + directory + " has no target '" + key + "'; it has "
          + targets.keySet());
    }
    return m;
  }

  @Override
  public String toString() {
    return "ModelBundle[" + name + ", " + directory + ", schema=" + featureSchemaId + ", targets="
        + targets.keySet() + "]";
  }

  /** Typed, path-aware access to a parsed {@code metadata.json} object; errors name the field. */
  private record Meta(Path file, Object value, String path) {

    Meta object(String key) throws ModelFormatException {
      Object v = get(key);
      if (!(v instanceof Map)) {
        throw refuse(where(key) + " must be an object, found " + describe(v));
      }
      return new Meta(file, v, where(key));
    }

    boolean has(String key) throws ModelFormatException {
      return map().containsKey(key);
    }

    List<String> keys() throws ModelFormatException {
      List<String> keys = new ArrayList<>();
      for (Object k : map().keySet()) {
        keys.add((String) k);
      }
      return keys;
    }

    String string(String key) throws ModelFormatException {
      Object v = get(key);
      if (!(v instanceof String s)) {
        throw refuse(where(key) + " must be a string, found " + describe(v));
      }
      return s;
    }

    double number(String key) throws ModelFormatException {
      Object v = get(key);
      if (!(v instanceof Double d)) {
        throw refuse(where(key) + " must be a number, found " + describe(v));
      }
      return d;
    }

    long positiveLong(String key) throws ModelFormatException {
      double d = number(key);
      if (!(d >= 1) || d != Math.rint(d) || d > Integer.MAX_VALUE) {
        throw refuse(where(key) + " must be a positive integer, found " + d);
      }
      return (long) d;
    }

    Instant instant(String key) throws ModelFormatException {
      String s = string(key);
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        throw refuse(where(key) + " must be an ISO-8601 instant, found '" + s + "'");
      }
    }

    List<String> stringList(String key) throws ModelFormatException {
      Object v = get(key);
      if (!(v instanceof List<?> list)) {
        throw refuse(where(key) + " must be an array of strings, found " + describe(v));
      }
      List<String> out = new ArrayList<>(list.size());
      for (Object o : list) {
        if (!(o instanceof String s)) {
          throw refuse(where(key) + " must be an array of strings, found an element " + describe(o));
        }
        out.add(s);
      }
      return out;
    }

    double[] doubleArray(String key) throws ModelFormatException {
      Object v = get(key);
      if (!(v instanceof List<?> list)) {
        throw refuse(where(key) + " must be an array of numbers, found " + describe(v));
      }
      double[] out = new double[list.size()];
      for (int i = 0; i < out.length; i++) {
        if (!(list.get(i) instanceof Double d)) {
          throw refuse(where(key) + " must be an array of numbers, found an element " + describe(list.get(i)));
        }
        out[i] = d;
      }
      return out;
    }

    ModelFormatException refuse(String problem) {
      return new ModelFormatException(file, problem);
    }

    private Object get(String key) throws ModelFormatException {
      Map<?, ?> m = map();
      if (!m.containsKey(key)) {
        throw refuse("missing field " + where(key));
      }
      return m.get(key);
    }

    private Map<?, ?> map() throws ModelFormatException {
      if (!(value instanceof Map<?, ?> m)) {
        throw refuse((path.isEmpty() ? "the document" : path) + " must be an object, found " + describe(value));
      }
      return m;
    }

    private String where(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(Object v) {
      if (v == null) {
        return "null";
      }
      if (v instanceof String s) {
        return "the string \"" + s + "\"";
      }
      if (v instanceof Map) {
        return "an object";
      }
      if (v instanceof List) {
        return "an array";
      }
      return v.toString();
    }
  }
}
