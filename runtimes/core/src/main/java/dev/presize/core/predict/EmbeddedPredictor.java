package dev.presize.core.predict;

import dev.presize.core.registry.FileSystemModelRegistry;
import dev.presize.core.registry.ModelRegistry;
import dev.presize.core.registry.ModelSummary;
import dev.presize.core.registry.Version;
import dev.presize.spi.PresizeException;
import dev.presize.spi.Ticker;
import dev.presize.spi.predict.PredictionRequest;
import dev.presize.spi.predict.Predictor;
import dev.presize.spi.resources.Forecast;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Forecasts in process with the pure-Java tree evaluator: the current model of a filesystem registry (followed
 * by a daemon thread that polls the {@code current} pointer and swaps the model atomically), or a fixed model
 * directory. Never blocks: a forecast reads one immutable {@link LoadedModel} reference.
 */
public final class EmbeddedPredictor implements Predictor {

  private static final System.Logger LOG = System.getLogger(EmbeddedPredictor.class.getName());

  private final AtomicReference<LoadedModel> model;
  private final Optional<String> expectedSchema;
  private final ScheduledExecutorService reloader;

  private EmbeddedPredictor(LoadedModel initial, Optional<String> expectedSchema, ScheduledExecutorService reloader) {
    this.model = new AtomicReference<>(initial);
    this.expectedSchema = expectedSchema;
    this.reloader = reloader;
  }

  /** A predictor over a fixed model directory (no reload). */
  public static EmbeddedPredictor ofDirectory(String name, Path dir, Optional<String> featureSchemaId) {
    return new EmbeddedPredictor(LoadedModel.loadDirectory(name, dir, featureSchemaId), featureSchemaId, null);
  }

  /**
   * A predictor over the current version of {@code name} in {@code registry}, checking the pointer every
   * {@code config.reloadInterval()} and switching to a newly promoted or rolled back version.
   *
   * @throws PresizeException when the name has no current version or it cannot be loaded
   */
  public static EmbeddedPredictor ofRegistry(ModelRegistry registry, PredictorConfig config, Ticker ticker) {
    String name = config.model();
    LoadedModel initial = LoadedModel.load(registry.current(name).orElseThrow(() -> new PresizeException(
        "load model", name, "nothing was promoted in the registry; promote a version first")));
    checkSchema(initial, config.featureSchemaId());
    ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "presize-model-reload-" + name);
      t.setDaemon(true);
      return t;
    });
    EmbeddedPredictor p = new EmbeddedPredictor(initial, config.featureSchemaId(), reloader);
    ThrottledLog log = new ThrottledLog(LOG, ticker, config.logInterval());
    long every = config.reloadInterval().toNanos();
    reloader.scheduleWithFixedDelay(() -> p.reloadOnce(registry, name, log), every, every, TimeUnit.NANOSECONDS);
    return p;
  }

  /** From config: the model directory if set, else the registry. */
  public static EmbeddedPredictor create(PredictorConfig config, Ticker ticker) {
    if (config.modelDir().isPresent()) {
      return ofDirectory(config.model(), config.modelDir().get(), config.featureSchemaId());
    }
    Path root = config.registryDir().orElseThrow(() -> new PresizeException("create predictor", "embedded",
        "neither " + PredictorConfig.MODEL_DIR + " nor " + PredictorConfig.REGISTRY_DIR + " is set"));
    return ofRegistry(new FileSystemModelRegistry(root), config, ticker);
  }

  /** One poll of the pointer; a tick never throws (it would stop the schedule). */
  private void reloadOnce(ModelRegistry registry, String name, ThrottledLog log) {
    try {
      Optional<Version> current = registry.list().stream().filter(s -> s.name().equals(name)).findFirst()
          .flatMap(ModelSummary::current);
      LoadedModel in = model.get();
      if (current.isEmpty() || current.get().toString().equals(in.version())) {
        return;
      }
      LoadedModel next = LoadedModel.load(registry.open(name, current.get()));
      checkSchema(next, expectedSchema);
      if (!next.step().equals(in.step())) {
        // The caller computes its features every step of the model it started with; another step would make the
        // new model read rows it never saw. Keep the one in use; a new caller (a new run) picks the new one up.
        throw new PresizeException("reload model", name + "/" + next.version(), "trained at a step of "
            + next.step().toMillis() + " ms, but the caller computes its features every " + in.step().toMillis()
            + " ms (the step of " + in.version() + ")");
      }
      model.set(next);
      LOG.log(Level.INFO, "model=" + name + " from=" + in.version() + " to=" + next.version() + " reloaded");
    } catch (Throwable t) {
      log.log(Level.WARNING, "reload", "model=" + name + " reload failed, keeping version=" + model.get().version()
          + ": " + t);
    }
  }

  private static void checkSchema(LoadedModel m, Optional<String> expected) {
    if (expected.isPresent() && !expected.get().equals(m.featureSchemaId())) {
      throw new PresizeException("load model", m.name() + "/" + m.version(), "feature schema mismatch: the caller"
          + " extracts '" + expected.get() + "' but the model was trained on '" + m.featureSchemaId() + "'");
    }
  }

  /** The model in use now. */
  public LoadedModel model() {
    return model.get();
  }

  @Override
  public String featureSchemaId() {
    return model.get().featureSchemaId();
  }

  @Override
  public Forecast forecast(PredictionRequest request) {
    LoadedModel m = model.get();
    if (!request.featureSchemaId().equals(m.featureSchemaId())) {
      throw new PresizeException("forecast", request.functionId(), "feature schema mismatch: the row follows '"
          + request.featureSchemaId() + "' but model " + m.name() + "/" + m.version() + " was trained on '"
          + m.featureSchemaId() + "'");
    }
    return m.forecast(request.functionId(), request.features(), request.at());
  }

  @Override
  public void close() {
    if (reloader != null) {
      reloader.shutdownNow();
    }
  }
}
