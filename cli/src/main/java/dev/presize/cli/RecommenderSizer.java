package dev.presize.cli;

import dev.presize.local.run.Sizer;
import dev.presize.local.run.Step;
import dev.presize.spi.resources.Resource;
import dev.presize.spi.resources.ResourceProfile;
import dev.presize.trainer.baseline.Recommender;
import dev.presize.trainer.baseline.RecommenderFactory;
import dev.presize.trainer.model.Series;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A baseline of the trainer's replay (the VPA recommender, Autopilot's moving window, ...) sizing a live run: it
 * observes each step's CPU and memory as the replay feeds it, and its recommendation becomes the limits, exactly
 * the allocation the replay scores. Only the usage guard and the run's bounds come after it.
 */
final class RecommenderSizer implements Sizer {

  private final Recommender recommender;
  private final long startMillis = System.currentTimeMillis();
  private final long stepMillis;
  private int observed;

  RecommenderSizer(RecommenderFactory factory, Duration step, ResourceProfile provisioned) {
    Series shape = new Series("live", "presize", startMillis, step, Map.of(Resource.CPU, new double[] {Double.NaN},
        Resource.MEMORY, new double[] {Double.NaN}), true, Map.of(Resource.CPU, provisioned.cpuMillicores() / 1000.0,
        Resource.MEMORY, (double) provisioned.memoryBytes()), "");
    this.recommender = factory.create(shape);
    this.stepMillis = step.toMillis();
  }

  @Override
  public String name() {
    return recommender.name();
  }

  @Override
  public Sizing next(List<Step> steps, ResourceProfile inForce) {
    for (; observed < steps.size(); observed++) {
      Step s = steps.get(observed);
      long t = startMillis + (observed + 1) * stepMillis;
      recommender.observe(Resource.CPU, t, s.cpuCores());
      recommender.observe(Resource.MEMORY, t, s.memoryBytes());
    }
    long next = startMillis + (observed + 1) * stepMillis;
    double memory = recommender.recommend(Resource.MEMORY, next);
    double cores = recommender.recommend(Resource.CPU, next);
    return Sizing.limits(Double.isFinite(memory) && memory > 0 ? (long) Math.ceil(memory) : 0,
        Double.isFinite(cores) && cores > 0 ? Math.max(1, (long) Math.ceil(cores * 1000)) : 0);
  }
}
