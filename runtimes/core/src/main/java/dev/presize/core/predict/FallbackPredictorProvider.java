package dev.presize.core.predict;

import dev.presize.spi.PresizeException;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.predict.Predictor;
import dev.presize.spi.predict.PredictorProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * Provides the {@code fallback} chain: remote (if a service URL is set), then embedded (if a model is there),
 * then the last good forecast widened by {@code presize.predictor.fallback.margin}. The highest priority, so it is
 * chosen whenever one of its links can run.
 */
public final class FallbackPredictorProvider implements PredictorProvider {

  @Override
  public String name() {
    return "fallback";
  }

  @Override
  public int priority() {
    return 30;
  }

  @Override
  public Support probe(ProviderContext context) {
    PredictorConfig c = PredictorConfig.from(context.config());
    Support remote = RemotePredictorProvider.probe(c);
    Support embedded = EmbeddedPredictorProvider.probe(c);
    if (!remote.supported() && !embedded.supported()) {
      return Support.no("neither link can run: remote: " + remote.reason() + "; embedded: " + embedded.reason());
    }
    return Support.yes((remote.supported() ? "remote " : "") + (embedded.supported() ? "embedded " : "")
        + "then last-known-good x" + c.margin());
  }

  @Override
  public Predictor create(ProviderContext context) {
    PredictorConfig c = PredictorConfig.from(context.config());
    List<FallbackPredictor.Named> chain = new ArrayList<>();
    if (RemotePredictorProvider.probe(c).supported()) {
      chain.add(new FallbackPredictor.Named("remote", RemotePredictor.create(c)));
    }
    if (EmbeddedPredictorProvider.probe(c).supported()) {
      try {
        chain.add(new FallbackPredictor.Named("embedded", EmbeddedPredictor.create(c, context.ticker())));
      } catch (PresizeException e) {
        if (chain.isEmpty()) {
          throw e;
        }
        System.getLogger(FallbackPredictorProvider.class.getName()).log(System.Logger.Level.WARNING,
            "predictor=fallback embedded link left out, the chain is remote only: " + e.getMessage());
      }
    }
    if (chain.isEmpty()) {
      throw new PresizeException("create predictor", "fallback", probe(context).reason());
    }
    return new FallbackPredictor(chain, c.margin(), c.lastGoodMaxAge(), c.logInterval(), context.ticker());
  }
}
