package dev.presize.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.presize.trainer.features.FeatureSchema;
import dev.presize.trainer.features.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A {@code presize-model/1} directory loaded for batch forecasting with XGBoost4J (the trainer's side; functions use
 * the in-process evaluator of {@code runtimes/core}): per target the booster, its transform and calibration.
 * Closing it frees the native boosters.
 */
public final class PresizeModel implements AutoCloseable {

  private final Path dir;
  private final JsonNode metadata;
  private final List<Double> quantiles;
  private final double allocationQuantile;
  private final Map<Target, Entry> entries = new EnumMap<>(Target.class);

  private record Entry(Booster booster, TargetTransform transform, Calibration calibration,
      Map<Double, Calibration> operatingPoints, Map<Double, Double> quantileSpread) {
  }

  private PresizeModel(Path dir, JsonNode metadata, List<Double> quantiles, double allocationQuantile) {
    this.dir = dir;
    this.metadata = metadata;
    this.quantiles = quantiles;
    this.allocationQuantile = allocationQuantile;
  }

  /**
   * Loads {@code dir}, checking its checksums and that its feature schema is {@code schema}.
   *
   * @throws ModelFiles.ModelFormatException when the directory is incomplete, corrupt, of another format or schema
   */
  public static PresizeModel load(Path dir, FeatureSchema schema) throws IOException {
    Objects.requireNonNull(schema, "schema");
    if (!Files.isDirectory(dir)) {
      throw new ModelFiles.ModelFormatException("model directory " + dir + " does not exist");
    }
    JsonNode meta = ModelFiles.verify(dir);
    ModelFiles.requireSchema(meta, schema, dir);
    List<Double> qs = new ArrayList<>();
    meta.path("quantiles").forEach(q -> qs.add(q.asDouble()));
    PresizeModel model = null;
    try {
      for (Target target : ModelFiles.targets(meta)) {
        JsonNode t = meta.path("targets").path(TargetModel.key(target));
        JsonNode tr = t.path("transform");
        String reference = tr.path("reference").asText();
        int column = schema.indexOf(reference);
        TargetTransform transform = new TargetTransform(tr.path("kind").asText(), reference, column,
            tr.path("offset").asDouble());
        JsonNode cal = t.path("calibration");
        double a = cal.path("allocationQuantile").asDouble();
        if (!qs.contains(a)) {
          throw new ModelFiles.ModelFormatException(dir.resolve(ModelFiles.METADATA) + ": allocationQuantile " + a
              + " of " + target + " is not one of the quantiles " + qs);
        }
        if (model == null) {
          model = new PresizeModel(dir, meta, List.copyOf(qs), a);
        }
        Booster booster;
        Path file = dir.resolve(t.path("model").asText());
        try {
          booster = XGBoost.loadModel(Files.readAllBytes(file));
        } catch (XGBoostError e) {
          throw new ModelFiles.ModelFormatException(file + " is not a model XGBoost can load: " + e.getMessage());
        }
        Calibration calibration;
        try {
          calibration = new Calibration(cal.path("rule").asText("scale"), cal.path("parameter").asDouble(Double.NaN),
              cal.path("validationUnderProvisioned").asDouble(Double.NaN), cal.path("validationSlack")
              .asDouble(Double.NaN));
        } catch (IllegalArgumentException e) {
          booster.dispose();
          throw new ModelFiles.ModelFormatException(dir.resolve(ModelFiles.METADATA) + ": calibration of " + target
              + ": " + e.getMessage());
        }
        Map<Double, Calibration> ops = new java.util.TreeMap<>();
        for (JsonNode op : t.path("operatingPoints")) {
          try {
            ops.put(op.path("targetUnderProvisioned").asDouble(), new Calibration(op.path("rule").asText(),
                op.path("parameter").asDouble(Double.NaN), op.path("validationUnderProvisioned").asDouble(Double.NaN),
                op.path("validationSlack").asDouble(Double.NaN)));
          } catch (IllegalArgumentException e) {
            booster.dispose();
            throw new ModelFiles.ModelFormatException(dir.resolve(ModelFiles.METADATA) + ": operating point of "
                + target + ": " + e.getMessage());
          }
        }
        Map<Double, Double> spread = new java.util.TreeMap<>();
        t.path("quantileSpread").fields().forEachRemaining(e -> spread.put(Double.parseDouble(e.getKey()),
            e.getValue().asDouble()));
        model.entries.put(target, new Entry(booster, transform, calibration, ops, spread));
      }
      if (model == null) {
        throw new ModelFiles.ModelFormatException(dir.resolve(ModelFiles.METADATA) + " lists no target");
      }
      return model;
    } catch (IOException | RuntimeException e) {
      if (model != null) {
        model.close();
      }
      throw e;
    }
  }

  /** The directory loaded. */
  public Path dir() {
    return dir;
  }

  /** The parsed {@code metadata.json}. */
  public JsonNode metadata() {
    return metadata;
  }

  /** The model's name. */
  public String name() {
    return metadata.path("name").asText();
  }

  /** The quantiles forecast, increasing. */
  public List<Double> quantiles() {
    return quantiles;
  }

  /** The quantile allocations are read from. */
  public double allocationQuantile() {
    return allocationQuantile;
  }

  /** The targets the model forecasts. */
  public java.util.Set<Target> targets() {
    return Collections.unmodifiableSet(entries.keySet());
  }

  /** The under-provisioned shares {@code target} has calibrations for (besides its default). */
  public java.util.Set<Double> operatingPoints(Target target) {
    return entry(target).operatingPoints.keySet();
  }

  /**
   * How {@code target}'s forecast becomes an allocation at the operating point {@code targetUnder}; NaN for the
   * default calibration.
   */
  public Calibration calibration(Target target, double targetUnder) {
    if (Double.isNaN(targetUnder)) {
      return calibration(target);
    }
    Calibration c = entry(target).operatingPoints.get(targetUnder);
    if (c == null) {
      throw new IllegalArgumentException("model " + dir + " has no " + target + " calibration for "
          + targetUnder + " under-provisioned; it has " + entry(target).operatingPoints.keySet());
    }
    return c;
  }

  /**
   * The reported forecasts of one row ({@code raw}, as {@link #forecast} gives them): each quantile above the median
   * moved to {@code q50 + k · (q − q50)} with its stored {@code quantileSpread} {@code k} (as is without one), kept
   * non-decreasing. The allocation is calibrated on the raw forecasts; these are the quantiles a caller reports.
   */
  public double[] reported(Target target, double[] raw) {
    Map<Double, Double> spread = entry(target).quantileSpread;
    int median = quantiles.indexOf(0.5);
    double[] out = raw.clone();
    for (int k = 0; k < out.length; k++) {
      Double s = spread.get(quantiles.get(k));
      if (s != null && median >= 0 && k > median && !Double.isNaN(raw[k])) {
        out[k] = raw[median] + s * Math.max(0, raw[k] - raw[median]);
      }
      if (k > 0 && out[k] < out[k - 1]) {
        out[k] = out[k - 1];
      }
    }
    return out;
  }

  /** How {@code target}'s forecast becomes an allocation. */
  public Calibration calibration(Target target) {
    return entry(target).calibration;
  }

  /** The horizon in steps the model was trained for. */
  public int horizonSteps() {
    return metadata.path("horizonSteps").asInt(1);
  }

  /** The held-out series ids of its training data. */
  public java.util.Set<String> testSeries() {
    java.util.Set<String> out = new java.util.HashSet<>();
    metadata.path("training").path("testSeries").forEach(s -> out.add(s.asText()));
    return out;
  }

  /**
   * The quantile forecasts of {@code target} for {@code rows} feature rows (row-major in {@code features}), in the
   * target's units, non-decreasing across quantiles: {@code out[row][k]} for quantile {@code k}; {@code NaN} for a
   * row whose reference level is missing.
   */
  public double[][] forecast(Target target, float[] features, int rows, int width) {
    Entry e = entry(target);
    if (rows == 0) {
      return new double[0][];
    }
    float[][] raw;
    DMatrix m = null;
    try {
      m = new DMatrix(features, rows, width, Float.NaN);
      raw = e.booster.predict(m);
    } catch (XGBoostError x) {
      throw new TrainingException("XGBoost failed predicting " + target + " with model " + dir + ": "
          + x.getMessage(), x);
    } finally {
      if (m != null) {
        m.dispose();
      }
    }
    int ref = e.transform.referenceColumn();
    double[][] out = new double[rows][quantiles.size()];
    for (int i = 0; i < rows; i++) {
      double r = features[i * width + ref];
      for (int k = 0; k < quantiles.size(); k++) {
        double q = Double.isNaN(r) ? Double.NaN : e.transform.inverse(raw[i][k], r);
        out[i][k] = k > 0 ? Math.max(q, out[i][k - 1]) : q;
      }
    }
    return out;
  }

  private Entry entry(Target target) {
    Entry e = entries.get(target);
    if (e == null) {
      throw new IllegalArgumentException("model " + dir + " has no " + target + " target; it has "
          + entries.keySet());
    }
    return e;
  }

  @Override
  public void close() {
    for (Entry e : entries.values()) {
      e.booster.dispose();
    }
  }
}
