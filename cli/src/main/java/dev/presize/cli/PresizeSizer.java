package dev.presize.cli;

import dev.presize.local.run.Sizer;
import dev.presize.local.run.Step;
import dev.presize.spi.PresizeException;
import dev.presize.spi.predict.PredictionRequest;
import dev.presize.spi.predict.Predictor;
import dev.presize.spi.resources.Resource;
import dev.presize.spi.resources.ResourceProfile;
import dev.presize.trainer.features.FeatureExtractor;
import dev.presize.trainer.features.InvocationHistory;
import dev.presize.trainer.model.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Presize as the sizing method of a live run: after each step it computes the model's features from the steps so
 * far (exactly as the trainer does from a recorded trace: {@link FeatureExtractor} over a {@link Series} of the same
 * step) and asks the {@link Predictor} (embedded model, prediction service, or the fallback chain) for a forecast.
 * The function's earlier invocations, where known ({@code presize run --history}), give the history features, as
 * they do in training.
 */
final class PresizeSizer implements Sizer {

  private final Predictor predictor;
  private final String functionId;
  private final Duration step;
  private final ResourceProfile provisioned;
  private final double inputSize;
  private final InvocationHistory history;
  private InvocationHistory.Stats stats;
  private final FeatureExtractor extractor = FeatureExtractor.standard();
  private final float[] row;
  private final long startMillis = System.currentTimeMillis();

  /**
   * @throws PresizeException when the predictor's model expects another feature schema than this build computes
   */
  PresizeSizer(Predictor predictor, String functionId, Duration step, ResourceProfile provisioned, double inputSize,
      InvocationHistory history) {
    this.predictor = Objects.requireNonNull(predictor, "predictor");
    this.functionId = Objects.requireNonNull(functionId, "functionId");
    this.step = Objects.requireNonNull(step, "step");
    this.provisioned = Objects.requireNonNull(provisioned, "provisioned");
    this.inputSize = inputSize;
    this.history = Objects.requireNonNull(history, "history");
    String schema = extractor.schema().id();
    if (!schema.equals(predictor.featureSchemaId())) {
      throw new PresizeException("run", functionId, "the model expects features " + predictor.featureSchemaId()
          + " but this Presize computes " + schema + "; retrain the model with this version (presize train)");
    }
    row = new float[extractor.width()];
  }

  @Override
  public boolean keepsGuard() {
    return true;
  }

  @Override
  public String name() {
    return "presize";
  }

  @Override
  public Sizing next(List<Step> steps, ResourceProfile inForce) {
    int n = steps.size();
    Map<Resource, double[]> usage = new EnumMap<>(Resource.class);
    double[] cpu = new double[n];
    double[] memory = new double[n];
    double[] network = new double[n];
    double[] disk = new double[n];
    boolean hasNetwork = false;
    boolean hasDisk = false;
    for (int i = 0; i < n; i++) {
      Step s = steps.get(i);
      cpu[i] = s.cpuCores();
      memory[i] = s.memoryBytes();
      network[i] = s.networkBytesPerSecond();
      disk[i] = s.diskBytesPerSecond();
      hasNetwork |= !Double.isNaN(network[i]);
      hasDisk |= !Double.isNaN(disk[i]);
    }
    usage.put(Resource.CPU, cpu);
    usage.put(Resource.MEMORY, memory);
    if (hasNetwork) {
      usage.put(Resource.NETWORK, network);
    }
    if (hasDisk) {
      usage.put(Resource.DISK, disk);
    }
    Series series = new Series("live/" + functionId, "presize", startMillis, step, usage, true,
        Map.of(Resource.CPU, provisioned.cpuMillicores() / 1000.0, Resource.MEMORY,
            (double) provisioned.memoryBytes()), "", functionId, inputSize);
    if (stats == null) {
      stats = history.before(series); // the function's earlier invocations (all ended before this one started)
    }
    extractor.prepare(series, stats).extract(n - 1, row);
    return Sizing.of(predictor.forecast(new PredictionRequest(functionId, extractor.schema().id(), row,
        Instant.now())));
  }
}
