package dev.presize.trainer.gate;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.baseline.Recommender;
import dev.presize.trainer.baseline.RecommenderFactory;
import dev.presize.trainer.evaluate.EvaluationResult;
import dev.presize.trainer.evaluate.PresizeMethod;
import dev.presize.trainer.evaluate.Replay;
import dev.presize.trainer.evaluate.ResourceMetrics;
import dev.presize.trainer.features.FeatureExtractor;
import dev.presize.trainer.model.Series;
import dev.presize.trainer.train.ModelFiles;
import dev.presize.trainer.train.PresizeModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The validation gate: replays validation series through a candidate model, the current model (if any) and the
 * baselines, and decides whether the candidate may be promoted under a {@link GateObjective}.
 */
public final class ValidationGate {

  /** The candidate's method name in the replay. */
  public static final String CANDIDATE = "candidate";
  /** The current model's method name in the replay. */
  public static final String CURRENT = "current";

  private final GateObjective objective;

  public ValidationGate(GateObjective objective) {
    this.objective = Objects.requireNonNull(objective, "objective");
  }

  /**
   * The gate's decision.
   *
   * @param accepted whether the candidate may be promoted
   * @param reason one sentence with the numbers: why accepted, or the first rule it failed
   * @param bestBaseline the name of the baseline it was compared with
   * @param result every method's metrics on the validation series
   */
  public record Decision(boolean accepted, String reason, String bestBaseline, EvaluationResult result) {
    public Decision {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(bestBaseline, "bestBaseline");
      Objects.requireNonNull(result, "result");
    }
  }

  /**
   * Judges the model in {@code candidateDir} against the model in {@code currentDir} (if present) and the baselines
   * on {@code validation}.
   *
   * <p>A current model trained on another feature schema cannot run in this build (nor anywhere this build forecasts),
   * so it cannot be compared: the candidate is then judged against the baselines only, and the reason says so. A
   * candidate of another schema, or a current model that is corrupt, is an error.
   *
   * @throws IOException when a model cannot be loaded (corrupt, a candidate of another schema): the message names it
   */
  public Decision judge(Path candidateDir, Optional<Path> currentDir, String dataset, List<Series> validation)
      throws IOException {
    if (validation.isEmpty()) {
      throw new IllegalArgumentException("no validation series to judge the candidate on");
    }
    var schema = FeatureExtractor.standard().schema();
    String outdated = null;
    if (currentDir.isPresent()) {
      String currentSchema = ModelFiles.schemaId(ModelFiles.verify(currentDir.get())); // checksums verified first
      if (!currentSchema.equals(schema.id())) {
        outdated = currentSchema;
        currentDir = Optional.empty();
      }
    }
    try (PresizeModel candidate = PresizeModel.load(candidateDir, schema);
        PresizeModel current = currentDir.isPresent() ? PresizeModel.load(currentDir.get(), schema) : null) {
      List<RecommenderFactory> methods = new ArrayList<>();
      // every validation run that ended before a run started is its history, as in training and evaluate
      methods.add(renamed(CANDIDATE, new PresizeMethod(candidate).withHistory(validation)));
      if (current != null) {
        methods.add(renamed(CURRENT, new PresizeMethod(current).withHistory(validation)));
      }
      List<RecommenderFactory> baselines = Replay.baselines();
      methods.addAll(baselines);
      EvaluationResult result = new Replay(methods).run(dataset, validation);
      Decision d = decide(result, current != null, baselines.stream().map(RecommenderFactory::name).toList());
      if (outdated == null) {
        return d;
      }
      return new Decision(d.accepted(), d.reason() + "; the current model (feature schema " + outdated
          + ") cannot run in this build (" + schema.id() + "), so it was not compared", d.bestBaseline(), d.result());
    }
  }

  /** The decision on a replay's {@code result} (pure: the rules only). */
  Decision decide(EvaluationResult result, boolean hasCurrent, List<String> baselines) {
    Resource r = objective.resource();
    String res = r.name().toLowerCase(Locale.ROOT);
    ResourceMetrics cand = result.metrics(CANDIDATE, r);
    String best = bestBaseline(result, baselines);
    ResourceMetrics base = result.metrics(best, r);
    double cov = cand.coverageP90();
    if (!(cov >= objective.minCoverageP90() && cov <= objective.maxCoverageP90())) {
      return new Decision(false, String.format(Locale.ROOT, "candidate %s p90 coverage %.3f is outside [%.2f, %.2f]",
          res, cov, objective.minCoverageP90(), objective.maxCoverageP90()), best, result);
    }
    String vsBase = compare(cand, base, best, res, objective.underTolerance());
    if (vsBase != null) {
      return new Decision(false, vsBase, best, result);
    }
    if (hasCurrent) {
      String vsCurrent = compare(cand, result.metrics(CURRENT, r), "the current model", res,
          objective.underTolerance());
      if (vsCurrent != null) {
        return new Decision(false, vsCurrent, best, result);
      }
    }
    return new Decision(true, String.format(Locale.ROOT, "candidate %s slack %.3f at %.4f under-provisioned beats"
        + " %s (%.3f at %.4f)%s; p90 coverage %.3f", res, cand.slack(), cand.underProvisioned(), best, base.slack(),
        base.underProvisioned(), hasCurrent ? String.format(Locale.ROOT, " and the current model (%.3f at %.4f)",
            result.metrics(CURRENT, r).slack(), result.metrics(CURRENT, r).underProvisioned()) : "", cov),
        best, result);
  }

  /** Null when {@code cand} is better than {@code other}; else the reason it is not. */
  private static String compare(ResourceMetrics cand, ResourceMetrics other, String otherName, String res,
      double tolerance) {
    if (cand.underProvisioned() > other.underProvisioned() + tolerance) {
      return String.format(Locale.ROOT, "candidate %s under-provisioned share %.4f is higher than %s's %.4f", res,
          cand.underProvisioned(), otherName, other.underProvisioned());
    }
    if (!(cand.slack() < other.slack())) {
      return String.format(Locale.ROOT, "candidate %s slack %.3f is not lower than %s's %.3f", res, cand.slack(),
          otherName, other.slack());
    }
    return null;
  }

  private String bestBaseline(EvaluationResult result, List<String> baselines) {
    Resource r = objective.resource();
    String best = null;
    for (String b : baselines) {
      ResourceMetrics m = result.methods().get(b).get(r);
      if (m == null || m.underProvisioned() > objective.maxBaselineUnder()) {
        continue;
      }
      if (best == null || m.slack() < result.metrics(best, r).slack()) {
        best = b;
      }
    }
    if (best == null) {
      for (String b : baselines) {
        ResourceMetrics m = result.methods().get(b).get(r);
        if (m != null && (best == null || m.underProvisioned() < result.metrics(best, r).underProvisioned())) {
          best = b;
        }
      }
    }
    if (best == null) {
      throw new IllegalStateException("no baseline sized " + r);
    }
    return best;
  }

  private static RecommenderFactory renamed(String name, RecommenderFactory f) {
    return RecommenderFactory.of(name, s -> {
      Recommender inner = f.create(s);
      if (inner instanceof dev.presize.trainer.baseline.QuantileRecommender q) {
        return new dev.presize.trainer.baseline.QuantileRecommender() {
          @Override
          public String name() {
            return name;
          }

          @Override
          public void observe(Resource resource, long timeMillis, double value) {
            q.observe(resource, timeMillis, value);
          }

          @Override
          public double recommend(Resource resource, long timeMillis) {
            return q.recommend(resource, timeMillis);
          }

          @Override
          public double quantile(Resource resource, double quantile) {
            return q.quantile(resource, quantile);
          }
        };
      }
      return inner;
    });
  }

  /** The metrics of the decision as key/value lines, for a rejection record. */
  public static Map<String, Object> summary(Decision d, Resource r) {
    ResourceMetrics c = d.result().metrics(CANDIDATE, r);
    ResourceMetrics b = d.result().metrics(d.bestBaseline(), r);
    return Map.of("candidateSlack", c.slack(), "candidateUnder", c.underProvisioned(), "candidateCoverageP90",
        c.coverageP90(), "bestBaseline", d.bestBaseline(), "baselineSlack", b.slack(), "baselineUnder",
        b.underProvisioned());
  }
}
