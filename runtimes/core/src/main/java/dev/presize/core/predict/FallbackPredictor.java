package dev.presize.core.predict;

import dev.presize.spi.PresizeException;
import dev.presize.spi.Ticker;
import dev.presize.spi.predict.PredictionRequest;
import dev.presize.spi.predict.Predictor;
import dev.presize.spi.resources.Forecast;
import dev.presize.spi.resources.Quantiles;
import dev.presize.spi.resources.Resource;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A decorator that asks its predictors in order (typically remote, then embedded) and returns the first forecast;
 * when all fail, the function's last good forecast widened by a margin stands in, if it is recent enough. Each
 * step that falls through is logged (throttled) with why. A widened forecast is attributed to model
 * {@code fallback}, version {@code <name>/<version>x<margin>}, so feedback on it is not counted for the model.
 */
public final class FallbackPredictor implements Predictor {

  /** The model name of a widened last-known-good forecast. */
  public static final String FALLBACK_MODEL = "fallback";
  private static final System.Logger LOG = System.getLogger(FallbackPredictor.class.getName());
  private static final int MAX_FUNCTIONS = 4096;

  private final List<Named> chain;
  private final double margin;
  private final long maxAgeNanos;
  private final Ticker ticker;
  private final ThrottledLog log;
  private final Map<String, Good> lastGood = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Good> eldest) {
      return size() > MAX_FUNCTIONS;
    }
  };

  /** One link of the chain with the name it is logged by. */
  public record Named(String name, Predictor predictor) {
    public Named {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(predictor, "predictor");
    }
  }

  private record Good(Forecast forecast, long atNanos) {}

  public FallbackPredictor(List<Named> chain, double margin, Duration maxAge, Duration logInterval, Ticker ticker) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a fallback chain needs at least one predictor");
    }
    if (!(margin >= 1) || Double.isInfinite(margin)) {
      throw new IllegalArgumentException("margin must be finite and >= 1, was " + margin);
    }
    this.chain = List.copyOf(chain);
    this.margin = margin;
    this.maxAgeNanos = maxAge.toNanos();
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.log = new ThrottledLog(LOG, ticker, logInterval);
  }

  @Override
  public String featureSchemaId() {
    return chain.get(0).predictor().featureSchemaId();
  }

  @Override
  public Forecast forecast(PredictionRequest request) {
    List<RuntimeException> failures = new ArrayList<>(0);
    for (Named n : chain) {
      try {
        Forecast f = n.predictor().forecast(request);
        synchronized (lastGood) {
          lastGood.put(request.functionId(), new Good(f, ticker.read()));
        }
        return f;
      } catch (RuntimeException e) {
        failures.add(e);
        log.log(Level.WARNING, n.name(), "predictor=" + n.name() + " function=" + request.functionId()
            + " failed, falling back: " + e.getMessage());
      }
    }
    Good good;
    synchronized (lastGood) {
      good = lastGood.get(request.functionId());
    }
    long now = ticker.read();
    if (good != null && now - good.atNanos() <= maxAgeNanos) {
      Forecast f = good.forecast();
      Map<Resource, Quantiles> widened = new EnumMap<>(Resource.class);
      f.quantiles().forEach((r, q) -> widened.put(r, q.scaled(margin)));
      log.log(Level.WARNING, "last-known-good", "function=" + request.functionId() + " every predictor failed; "
          + "using the forecast of " + f.modelName() + "/" + f.modelVersion() + " from "
          + Duration.ofNanos(now - good.atNanos()).toMillis() + " ms ago widened x" + margin);
      return new Forecast(request.functionId(), request.at(), f.horizon(), widened, FALLBACK_MODEL,
          f.modelName() + "/" + f.modelVersion() + "x" + margin);
    }
    PresizeException e = new PresizeException("forecast", request.functionId(), "every predictor failed ("
        + String.join(", ", chain.stream().map(Named::name).toList()) + ") and there is no last good forecast"
        + (good == null ? "" : " younger than " + Duration.ofNanos(maxAgeNanos)));
    failures.forEach(e::addSuppressed);
    throw e;
  }

  @Override
  public void close() {
    for (Named n : chain) {
      n.predictor().close();
    }
  }
}
