package dev.presize.spi.predict;

import dev.presize.spi.Provider;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;

/** Creates a {@link Predictor} (embedded evaluator, remote service, ...). Discovered with ServiceLoader. */
public interface PredictorProvider extends Provider {

  /** Whether this provider can run with this config (e.g. a model is there, a service URL is set). Cheap. */
  Support probe(ProviderContext context);

  /** Creates the predictor; throws {@link dev.presize.spi.PresizeException} naming what failed. */
  Predictor create(ProviderContext context);
}
