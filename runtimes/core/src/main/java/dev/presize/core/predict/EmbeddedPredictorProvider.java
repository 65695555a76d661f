package dev.presize.core.predict;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.predict.Predictor;
import dev.presize.spi.predict.PredictorProvider;
import java.nio.file.Files;
import java.nio.file.Path;

/** Provides the {@code embedded} predictor: the in-process evaluator over a model directory or a registry. */
public final class EmbeddedPredictorProvider implements PredictorProvider {

  @Override
  public String name() {
    return "embedded";
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public Support probe(ProviderContext context) {
    return probe(PredictorConfig.from(context.config()));
  }

  static Support probe(PredictorConfig c) {
    if (c.modelDir().isPresent()) {
      Path dir = c.modelDir().get();
      return Files.isRegularFile(dir.resolve("metadata.json")) ? Support.yes("model directory " + dir)
          : Support.no(PredictorConfig.MODEL_DIR + "=" + dir + " has no metadata.json");
    }
    if (c.registryDir().isPresent()) {
      Path pointer = c.registryDir().get().resolve("models").resolve(c.model()).resolve("current");
      return Files.isRegularFile(pointer) ? Support.yes("registry " + c.registryDir().get() + " model " + c.model())
          : Support.no("no current version of model '" + c.model() + "' in registry " + c.registryDir().get()
              + " (" + pointer + " is missing; promote a version or set " + PredictorConfig.MODEL + ")");
    }
    return Support.no("set " + PredictorConfig.MODEL_DIR + " or " + PredictorConfig.REGISTRY_DIR);
  }

  @Override
  public Predictor create(ProviderContext context) {
    return EmbeddedPredictor.create(PredictorConfig.from(context.config()), context.ticker());
  }
}
