package dev.presize.core.predict;

import dev.presize.core.json.Json;

import dev.presize.core.model.ModelBundle;
import dev.presize.core.model.QuantileModel;
import dev.presize.core.registry.VerifiedModel;
import dev.presize.spi.PresizeException;
import dev.presize.spi.resources.Forecast;
import dev.presize.spi.resources.Quantiles;
import dev.presize.spi.resources.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model bundle loaded for forecasting, with the name and version it is known by (a registry version such as
 * {@code v3}, or {@code dir-<digest>} for a bare model directory). Immutable and safe to share between threads;
 * a predictor or the service swaps whole instances when the registry's {@code current} pointer moves.
 */
public final class LoadedModel {

  /** The registry's own file in a version directory; not part of the model ({@code ModelBundle} refuses it). */
  private static final double[] SPI_LEVELS = {0.5, 0.9, 0.99};

  private final String name;
  private final String version;
  private final ModelBundle bundle;
  private final String[] targetKeys;
  private final QuantileModel[] targets;
  private final double[] quantiles;
  private final Duration horizon;
  // For forecast(): per target, its SPI resource (or null when the unit is unknown), the factor from the model's
  // unit to the SPI unit, and the output index of p50, p90, p99 (or -1).
  private final Resource[] resources;
  private final double[] toSpiUnit;
  private final int[] spiIndex;

  private LoadedModel(String name, String version, ModelBundle bundle) {
    this.name = Objects.requireNonNull(name, "name");
    this.version = Objects.requireNonNull(version, "version");
    this.bundle = bundle;
    int n = bundle.targets().size();
    this.targetKeys = bundle.targets().keySet().toArray(new String[0]);
    this.targets = bundle.targets().values().toArray(new QuantileModel[0]);
    this.quantiles = bundle.quantiles();
    this.horizon = bundle.step().multipliedBy(bundle.horizonSteps());
    this.resources = new Resource[n];
    this.toSpiUnit = new double[n];
    for (int t = 0; t < n; t++) {
      Resource r = resourceOf(targets[t].resource());
      double f = r == null ? Double.NaN : unitFactor(r, targets[t].unit());
      resources[t] = Double.isNaN(f) ? null : r;
      toSpiUnit[t] = f;
    }
    this.spiIndex = new int[SPI_LEVELS.length];
    for (int k = 0; k < SPI_LEVELS.length; k++) {
      spiIndex[k] = -1;
      for (int i = 0; i < quantiles.length; i++) {
        if (Math.abs(quantiles[i] - SPI_LEVELS[k]) < 1e-9) {
          spiIndex[k] = i;
        }
      }
    }
  }

  /**
   * Loads a verified registry version (its directory also holds the registry's {@code state.json}, which
   * {@link ModelBundle} leaves out of its checks); the model files are verified against {@code SHA256SUMS} again.
   *
   * @throws PresizeException naming the version when the model cannot be loaded
   */
  public static LoadedModel load(VerifiedModel model) {
    String ref = model.version().ref();
    try {
      ModelBundle bundle = ModelBundle.load(model.directory(), model.version().model().featureSchemaId());
      return new LoadedModel(model.version().name(), model.version().version().toString(), bundle);
    } catch (IOException | RuntimeException e) {
      throw PresizeException.launder("load model", ref, e);
    }
  }

  /**
   * Loads a bare {@code presize-model/1} directory under {@code name} (under the name in its metadata when
   * {@code name} is the default, {@code default}); its version is {@code dir-} and the first 12 hex digits of the
   * SHA-256 of its {@code SHA256SUMS}.
   *
   * @param featureSchemaId the schema the caller extracts, or empty to accept the model's
   * @throws PresizeException naming the directory when the model cannot be loaded or has another schema
   */
  public static LoadedModel loadDirectory(String name, Path dir, Optional<String> featureSchemaId) {
    try {
      String schema = featureSchemaId.isPresent() ? featureSchemaId.get() : schemaIdOf(dir);
      ModelBundle bundle = ModelBundle.load(dir, schema);
      byte[] sums = Files.readAllBytes(dir.resolve("SHA256SUMS"));
      String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sums));
      // A directory names its model (metadata "name"); a name the caller set (presize.predictor.model) wins.
      String named = name.equals(PredictorConfig.defaults().model()) && !bundle.name().isBlank() ? bundle.name()
          : name;
      return new LoadedModel(named, "dir-" + digest.substring(0, 12), bundle);
    } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
      throw PresizeException.launder("load model", dir.toString(), e);
    }
  }

  /** The {@code featureSchema.id} of a model directory's {@code metadata.json} (not verified). */
  static String schemaIdOf(Path dir) throws IOException {
    Path file = dir.resolve("metadata.json");
    Object root;
    try {
      root = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    if (root instanceof Map<?, ?> m && m.get("featureSchema") instanceof Map<?, ?> fs
        && fs.get("id") instanceof String id) {
      return id;
    }
    throw new IOException(file + ": has no featureSchema.id");
  }

  /** The model name forecasts are attributed to. */
  public String name() {
    return name;
  }

  /** The version forecasts are attributed to, e.g. {@code v3}. */
  public String version() {
    return version;
  }

  /** The loaded bundle. */
  public ModelBundle bundle() {
    return bundle;
  }

  /** The feature schema id of the model. */
  public String featureSchemaId() {
    return bundle.featureSchemaId();
  }

  /** How many values a feature row has. */
  public int featureCount() {
    return bundle.featureNames().size();
  }

  /** The quantile levels every target predicts, in output order. */
  public double[] quantiles() {
    return quantiles.clone();
  }

  /** How many quantiles every target predicts. */
  public int quantileCount() {
    return quantiles.length;
  }

  /** The target keys ({@code memory}, {@code cpu}, …), in the order of {@link #target(int)}. */
  public List<String> targetKeys() {
    return List.of(targetKeys);
  }

  /** How many targets. */
  public int targetCount() {
    return targets.length;
  }

  /** Target {@code t} in the order of {@link #targetKeys()}. */
  public QuantileModel target(int t) {
    return targets[t];
  }

  /** The window a forecast covers: step × horizon steps. */
  public Duration horizon() {
    return horizon;
  }

  /** The decision step the model was trained at: its features are computed over steps of this length. */
  public Duration step() {
    return bundle.step();
  }

  /**
   * Evaluates one row into SPI units: the forecast of every target whose resource and unit are known, attributed
   * to this model's name and version.
   *
   * @throws PresizeException the row is the wrong length, the model lacks p50/p90/p99 or a CPU or memory target,
   *     or a quantile is not a number (a missing reference feature)
   */
  public Forecast forecast(String functionId, float[] features, Instant at) {
    if (features.length != featureCount()) {
      throw new PresizeException("forecast", functionId, "the row has " + features.length + " features; model "
          + name + "/" + version + " (schema " + featureSchemaId() + ") needs " + featureCount());
    }
    for (int k = 0; k < spiIndex.length; k++) {
      if (spiIndex[k] < 0) {
        throw new PresizeException("forecast", name + "/" + version, "the model's quantiles "
            + java.util.Arrays.toString(quantiles) + " do not include " + SPI_LEVELS[k]);
      }
    }
    double[] out = new double[quantiles.length];
    Map<Resource, Quantiles> q = new EnumMap<>(Resource.class);
    for (int t = 0; t < targets.length; t++) {
      if (resources[t] == null) {
        continue;
      }
      targets[t].predict(features, out);
      double f = toSpiUnit[t];
      double p50 = out[spiIndex[0]] * f;
      double p90 = out[spiIndex[1]] * f;
      double p99 = out[spiIndex[2]] * f;
      if (!Double.isFinite(p50) || !Double.isFinite(p90) || !Double.isFinite(p99)) {
        throw new PresizeException("forecast", functionId, "model " + name + "/" + version + " target "
            + targetKeys[t] + " gave no number (is its reference feature missing?)");
      }
      q.put(resources[t], Quantiles.sorted(p50, p90, p99));
    }
    if (!q.containsKey(Resource.CPU) || !q.containsKey(Resource.MEMORY)) {
      throw new PresizeException("forecast", name + "/" + version, "the model has no CPU or no MEMORY target it "
          + "can express (targets " + List.of(targetKeys) + ")");
    }
    return new Forecast(functionId, at, horizon, q, name, version);
  }

  /** The SPI resource of a target's {@code resource} field, or null. */
  static Resource resourceOf(String resource) {
    try {
      return Resource.valueOf(resource.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null; // a target the SPI cannot express: left out of SPI forecasts, still served by the service
    }
  }

  /** The factor from a model unit to the SPI unit of {@code r}, or NaN when the unit is not known. */
  static double unitFactor(Resource r, String unit) {
    String u = unit.toLowerCase(Locale.ROOT);
    return switch (r) {
      case CPU -> switch (u) {
        case "cores" -> 1000.0;
        case "millicores" -> 1.0;
        default -> Double.NaN;
      };
      case MEMORY -> u.equals("bytes") ? 1.0 : Double.NaN;
      case NETWORK -> switch (u) {
        case "bytes/s" -> 8e-6;
        case "mbit/s" -> 1.0;
        default -> Double.NaN;
      };
      case DISK -> u.equals("bytes/s") ? 1.0 : Double.NaN;
    };
  }


  @Override
  public String toString() {
    return "LoadedModel[" + name + "/" + version + ", schema=" + featureSchemaId() + ", targets="
        + List.of(targetKeys) + "]";
  }
}
