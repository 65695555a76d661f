package dev.presize.core.predict;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.predict.Predictor;
import dev.presize.spi.predict.PredictorProvider;

/** Provides the {@code remote} predictor: forecasts from the prediction service at {@code presize.predictor.service.url}. */
public final class RemotePredictorProvider implements PredictorProvider {

  @Override
  public String name() {
    return "remote";
  }

  @Override
  public int priority() {
    return 20;
  }

  @Override
  public Support probe(ProviderContext context) {
    return probe(PredictorConfig.from(context.config()));
  }

  static Support probe(PredictorConfig c) {
    return c.serviceUrl().map(u -> Support.yes("service " + u))
        .orElseGet(() -> Support.no(PredictorConfig.SERVICE_URL + " is not set"));
  }

  @Override
  public Predictor create(ProviderContext context) {
    return RemotePredictor.create(PredictorConfig.from(context.config()));
  }
}
