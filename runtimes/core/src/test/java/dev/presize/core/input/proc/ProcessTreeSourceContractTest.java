package dev.presize.core.input.proc;

import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import dev.presize.testkit.MetricSourceContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The procfs source keeps the metric-source contract, sampling a busy child process. */
class ProcessTreeSourceContractTest extends MetricSourceContract {

  private static Children busy;

  @BeforeAll
  static void startChild() throws Exception {
    busy = Children.sh("while :; do :; done");
  }

  @AfterAll
  static void stopChild() throws Exception {
    busy.close();
  }

  @Override
  protected MetricSourceProvider provider() {
    return new ProcessTreeSourceProvider();
  }

  @Override
  protected SamplingTarget target() {
    return SamplingTarget.processTree(busy.pid());
  }
}
