package dev.presize.trainer.baseline;

import dev.presize.trainer.model.Series;
import java.util.Objects;
import java.util.function.Function;

/** A sizing method: builds a fresh {@link Recommender} for each series an evaluator replays. */
public interface RecommenderFactory {

  /** The method's stable name; the same as its recommenders' {@link Recommender#name()}. */
  String name();

  /** A fresh recommender for {@code series} (it may read the series' step and provisioned sizes, never its usage). */
  Recommender create(Series series);

  /** A factory named {@code name} that builds recommenders with {@code create}. */
  static RecommenderFactory of(String name, Function<Series, Recommender> create) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(create, "create");
    return new RecommenderFactory() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Recommender create(Series series) {
        return create.apply(Objects.requireNonNull(series, "series"));
      }

      @Override
      public String toString() {
        return "RecommenderFactory[" + name + "]";
      }
    };
  }
}
