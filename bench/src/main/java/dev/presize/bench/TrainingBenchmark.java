package dev.presize.bench;

import dev.presize.trainer.features.Target;
import dev.presize.trainer.input.BitbrainsReader;
import dev.presize.trainer.model.Series;
import dev.presize.trainer.train.TrainedModel;
import dev.presize.trainer.train.Trainer;
import dev.presize.trainer.train.TrainingListener;
import dev.presize.trainer.train.TrainingOptions;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training time on about one million windows of real data: the Bitbrains VMs read in setup, then one full training
 * (windows, split, one XGBoost p50/p90/p99 model per target with early stopping, calibration) per measurement, with
 * the trainer's defaults or the fast preset.
 *
 * <p>Run: {@code java -Xmx12g -jar bench/target/benchmarks.jar TrainingBenchmark -p data=../shared/data/bitbrains-rnd-2013-7}
 * (single shot, one fork, no warm-up: a training is minutes, not microseconds). {@code vms=190} gives about 1.5
 * million windows, 1.0 million of them for training.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "-XX:+UseTransparentHugePages"})
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class TrainingBenchmark {

  @Param("../shared/data/bitbrains-rnd-2013-7")
  public String data;

  @Param("190")
  public int vms;

  @Param({"MEMORY_PEAK", "CPU_MEAN"})
  public String target;

  @Param({"default", "fast"})
  public String preset;

  private List<Series> series;
  private TrainingOptions options;

  @Setup
  public void setup() throws Exception {
    series = BitbrainsReader.readDirectory(Path.of(data), vms);
    TrainingOptions d = TrainingOptions.defaults("bench", 1).withTargets(EnumSet.of(Target.valueOf(target)));
    options = preset.equals("fast") ? d.fast() : d;
  }

  @Benchmark
  public TrainedModel train() {
    TrainedModel m = new Trainer().train(series, options, new Trainer.Source("bitbrains", List.of(data), "-"),
        new TrainingListener() {
          @Override
          public void stage(String description) {
            System.out.println("  " + description);
          }

          @Override
          public void targetDone(Target t, String note) {
            System.out.println("  " + t + ": " + note);
          }
        });
    return m;
  }
}
