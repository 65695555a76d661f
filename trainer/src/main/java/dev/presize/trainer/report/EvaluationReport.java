package dev.presize.trainer.report;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.evaluate.EvaluationResult;
import dev.presize.trainer.evaluate.SeriesTrace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/**
 * The evaluation report of {@code presize evaluate --report DIR}: a self-contained HTML page ({@code index.html}: inline
 * CSS, no script, no external URL) with the metric tables of every method per dataset and resource, and PNG charts
 * next to it: per dataset and resource the slack vs under-provisioned trade-off of every method, and per
 * {@link SeriesTrace} usage, allocations and quantile forecast over time.
 *
 * <p>Charts are drawn with JFreeChart into images, headless: {@link #write} sets {@code java.awt.headless=true}
 * unless the property was set already (set it on the command line, {@code -Djava.awt.headless=true}, if AWT is
 * loaded before). Every file is written to a temporary file and renamed into place, the PNGs first and
 * {@code index.html} last, so the page never points at a missing image. Files of an earlier report in {@code DIR}
 * that this one does not write are left alone.
 */
public final class EvaluationReport {

  /** The page's file name in the report directory. */
  public static final String INDEX = "index.html";

  private EvaluationReport() {
  }

  /**
   * Writes {@code dir/index.html} and {@code dir/*.png}, creating {@code dir}; returns the path of the page.
   *
   * @param dir the report directory
   * @param title the page's heading, e.g. {@code Presize evaluation — bitbrains}
   * @param results the replays to report, at least one, each with at least one method
   * @param traces series to plot (a few: each is one chart), possibly none
   * @param facts key/value lines shown at the top, in order (model name and version, schema id, command, date)
   * @throws IllegalArgumentException when there is no result, a result has no method, or a trace cannot be plotted
   *     (no step, time going backwards, no finite value, a quantile outside (0, 1))
   */
  public static Path write(Path dir, String title, List<EvaluationResult> results, List<SeriesTrace> traces,
      Map<String, String> facts) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(results, "results");
    Objects.requireNonNull(traces, "traces");
    Objects.requireNonNull(facts, "facts");
    validate(results, traces, facts);
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true"); // before the first chart loads AWT; no display needed
    }
    Files.createDirectories(dir);

    List<ReportPage.Dataset> datasets = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      EvaluationResult r = results.get(i);
      List<ReportPage.Chart> charts = new ArrayList<>();
      for (Resource resource : resources(r)) {
        String file = tradeOffFile(i, resource);
        png(dir.resolve(file), TradeOffChart.chart(r, resource), TradeOffChart.WIDTH, TradeOffChart.HEIGHT);
        charts.add(new ReportPage.Chart(resource, file, TradeOffChart.unplotted(r, resource)));
      }
      datasets.add(new ReportPage.Dataset(i, r, charts));
    }
    List<ReportPage.Trace> traceCharts = new ArrayList<>();
    for (int j = 0; j < traces.size(); j++) {
      SeriesTrace t = traces.get(j);
      String file = traceFile(j, t);
      png(dir.resolve(file), TraceChart.chart(t), TraceChart.WIDTH, TraceChart.HEIGHT);
      traceCharts.add(new ReportPage.Trace(t, file, TraceChart.unit(t)));
    }
    Path index = dir.resolve(INDEX);
    String html = ReportPage.render(title, facts, datasets, traceCharts);
    AtomicFiles.write(index, html.getBytes(StandardCharsets.UTF_8));
    return index;
  }

  /** The resources any method of {@code result} has, in {@link Resource} order. */
  static Set<Resource> resources(EvaluationResult result) {
    Set<Resource> out = EnumSet.noneOf(Resource.class);
    result.methods().values().forEach(byResource -> out.addAll(byResource.keySet()));
    return out;
  }

  /** The trade-off chart's file name of result {@code i} (from 0) and {@code resource}. */
  static String tradeOffFile(int i, Resource resource) {
    return String.format(java.util.Locale.ROOT, "tradeoff-%02d-%s.png", i + 1, Text.name(resource));
  }

  /** The chart's file name of trace {@code j} (from 0). */
  static String traceFile(int j, SeriesTrace trace) {
    return String.format(java.util.Locale.ROOT, "trace-%02d-%s-%s.png", j + 1, Text.fileSafe(trace.seriesId(), 60),
        Text.name(trace.resource()));
  }

  private static void png(Path file, JFreeChart chart, int width, int height) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    ChartUtils.writeChartAsPNG(out, chart, width, height);
    AtomicFiles.write(file, out.toByteArray());
  }

  private static void validate(List<EvaluationResult> results, List<SeriesTrace> traces, Map<String, String> facts) {
    if (results.isEmpty()) {
      throw new IllegalArgumentException("a report needs at least one evaluation result, got none");
    }
    for (int i = 0; i < results.size(); i++) {
      EvaluationResult r = Objects.requireNonNull(results.get(i), "results[" + i + "]");
      if (r.methods().isEmpty()) {
        throw new IllegalArgumentException("evaluation result " + i + " (dataset " + r.dataset() + ") has no method");
      }
      if (resources(r).isEmpty()) {
        throw new IllegalArgumentException("evaluation result " + i + " (dataset " + r.dataset()
            + ") has no metrics for any resource; methods " + r.methods().keySet());
      }
    }
    for (int j = 0; j < traces.size(); j++) {
      validate(j, Objects.requireNonNull(traces.get(j), "traces[" + j + "]"));
    }
    facts.forEach((k, v) -> {
      Objects.requireNonNull(k, "a fact's key");
      Objects.requireNonNull(v, "the value of fact " + k);
    });
  }

  private static void validate(int j, SeriesTrace t) {
    String name = "trace " + j + " (" + t.dataset() + " " + t.seriesId() + " " + Text.name(t.resource()) + ")";
    int n = t.length();
    if (n == 0) {
      throw new IllegalArgumentException(name + " has no step");
    }
    // SeriesTrace checks the lengths on construction; checked again since a report is the last place to notice
    check(name, "used", t.used().length, n);
    t.allocations().forEach((m, a) -> check(name, "allocation of " + m, a.length, n));
    t.forecasts().forEach((q, f) -> {
      if (!(q > 0 && q < 1)) {
        throw new IllegalArgumentException(name + ": forecast quantile must be in (0, 1), was " + q);
      }
      check(name, "forecast " + q, f.length, n);
    });
    long[] time = t.timeMillis();
    for (int i = 1; i < n; i++) {
      if (time[i] < time[i - 1]) {
        throw new IllegalArgumentException(name + ": timeMillis goes backwards at step " + i + ": " + time[i - 1]
            + " then " + time[i]);
      }
    }
    boolean any = hasFinite(t.used());
    for (double[] a : t.allocations().values()) {
      any |= hasFinite(a);
    }
    if (!any) {
      throw new IllegalArgumentException(name + " has no finite usage or allocation to plot");
    }
  }

  private static void check(String name, String what, int length, int steps) {
    if (length != steps) {
      throw new IllegalArgumentException(name + ": " + what + " has " + length + " steps, timeMillis " + steps);
    }
  }

  private static boolean hasFinite(double[] values) {
    for (double v : values) {
      if (Double.isFinite(v)) {
        return true;
      }
    }
    return false;
  }
}
