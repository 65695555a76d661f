package dev.presize.cli;

import dev.presize.local.run.RunController;
import dev.presize.local.run.RunSummary;
import dev.presize.local.run.RunSummary.Totals;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report of {@code presize demo}: per method the totals over every run (OOM kills, throttled time, allocated
 * GB·s, mean allocation, slack), per workload the same side by side, and for each workload a plot of every method's
 * memory limit and use over time (first seed).
 */
final class DemoReport {

  /** One run of the demo. */
  record Run(String caseId, int seed, String method, RunSummary summary, List<RunController.Point> timeline) {}

  private static final Map<String, Color> COLORS = Map.of("static", new Color(0x7f7f7f), "vpa",
      new Color(0x1f77b4), "presize", new Color(0xd62728));

  private DemoReport() {}

  /** Totals per method, in the order the methods ran. */
  static Map<String, Totals> byMethod(List<Run> runs) {
    Map<String, Totals> out = new LinkedHashMap<>();
    for (String m : runs.stream().map(Run::method).distinct().toList()) {
      out.put(m, Totals.of(runs.stream().filter(r -> r.method().equals(m)).map(Run::summary).toList()));
    }
    return out;
  }

  /**
   * Why the comparison failed, if it did: runs that failed without an OOM kill (the workload broke or never started:
   * not a sizing outcome, so its figures compare nothing), or not one run that finished (every method failed every
   * run). OOM kills alone are what the demo measures, not a failure of it.
   */
  static Optional<String> failure(List<Run> runs) {
    List<Run> unexplained = runs.stream().filter(r -> r.summary().exitCode() != 0 && r.summary().oomKills() == 0)
        .toList();
    if (!unexplained.isEmpty()) {
      String named = unexplained.stream().limit(3).map(r -> r.caseId() + " seed " + r.seed() + " " + r.method()
          + " (exit " + r.summary().exitCode() + ")").collect(Collectors.joining(", "));
      return Optional.of(unexplained.size() + " of " + runs.size() + " runs failed without an OOM kill, so they "
          + "say nothing about sizing: " + named + (unexplained.size() > 3 ? ", ..." : "") + "; each run's output is"
          + " in OUT/runs/CASE-sSEED-METHOD.out");
    }
    if (!runs.isEmpty() && runs.stream().allMatch(r -> r.summary().exitCode() != 0)) {
      return Optional.of("all " + runs.size() + " runs failed (OOM-killed): no method finished a single run, so "
          + "nothing is compared (the workloads are JVMs: is --memory enough for one to start, about 64Mi?)");
    }
    return Optional.empty();
  }

  /** The per-method table as text (what the demo prints). */
  static String table(List<Run> runs) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-9s %5s %7s %9s %11s %14s %12s %10s %9s%n", "method", "runs",
        "failed", "OOM kills", "throttled s", "allocated GB·s", "mean alloc", "mem slack", "cpu slack"));
    byMethod(runs).forEach((m, t) -> sb.append(String.format(Locale.ROOT,
        "%-9s %5d %7d %9d %11.2f %14.2f %8.0f MiB %10.3f %9.3f%n", m, t.runs(), t.failed(), t.oomKills(),
        t.throttledSeconds(), t.allocatedGbSeconds(), t.meanAllocatedBytes() / (1 << 20), t.memorySlack(), t.cpuSlack())));
    return sb.toString();
  }

  /** Writes {@code dir/index.html} and its PNGs; returns the page. */
  static Path write(Path dir, List<Run> runs, Map<String, String> facts) throws IOException {
    Files.createDirectories(dir);
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>presize demo</title><style>")
        .append("body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}")
        .append("td:first-child,th:first-child{text-align:left}img{max-width:100%}</style></head><body>")
        .append("<h1>presize demo: static sizing vs the VPA recommender vs Presize</h1><ul>");
    facts.forEach((k, v) -> h.append("<li><b>").append(esc(k)).append("</b>: ").append(esc(v)).append("</li>"));
    h.append("</ul>");
    failure(runs).ifPresent(f -> h.append("<p style=\"color:#b00000;font-size:120%\"><b>The comparison failed:</b> ")
        .append(esc(f)).append("</p>"));
    h.append("<p>Every run is one invocation of a workload of the suite in its own cgroup (v1 or v2), started "
        + "at the configured size. <i>static</i> keeps it; <i>vpa</i> sets the limits to the VPA recommender's "
        + "target (as <code>presize evaluate</code> replays it), live; <i>presize</i> forecasts the next decision step (100 ms) "
        + "and resizes ahead. Allocated GB·s is the memory limit integrated over the run; slack is "
        + "1 − used/allocated (memory: the process tree's RSS peak per 100 ms step).</p>");
    h.append("<h2>Totals per method</h2>").append(totalsTable(byMethod(runs)));
    h.append("<h2>Per workload</h2>");
    for (String c : runs.stream().map(Run::caseId).distinct().toList()) {
      List<Run> ofCase = runs.stream().filter(r -> r.caseId().equals(c)).toList();
      h.append("<h3>").append(esc(c)).append("</h3>").append(totalsTable(byMethod(ofCase)));
      String png = c.replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
      chart(c, ofCase.stream().filter(r -> r.seed() == 1).toList(), dir.resolve(png));
      h.append("<img src=\"").append(png).append("\" alt=\"memory limit and use of ").append(esc(c))
          .append("\">");
    }
    h.append("</body></html>\n");
    Path index = dir.resolve("index.html");
    Path tmp = Files.createTempFile(dir, ".index", ".tmp");
    Files.writeString(tmp, h, StandardCharsets.UTF_8);
    Files.move(tmp, index, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return index;
  }

  private static String totalsTable(Map<String, Totals> totals) {
    StringBuilder h = new StringBuilder("<table><tr><th>method</th><th>runs</th><th>failed</th><th>OOM kills</th>"
        + "<th>throttled s</th><th>allocated GB·s</th><th>mean allocated MiB</th><th>memory slack</th>"
        + "<th>CPU slack</th></tr>");
    totals.forEach((m, t) -> h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td>"
        + "<td>%.2f</td><td>%.2f</td><td>%.0f</td><td>%.3f</td><td>%.3f</td></tr>", esc(m), t.runs(), t.failed(),
        t.oomKills(), t.throttledSeconds(), t.allocatedGbSeconds(), t.meanAllocatedBytes() / (1 << 20), t.memorySlack(),
        t.cpuSlack())));
    return h.append("</table>").toString();
  }

  private static void chart(String title, List<Run> runs, Path png) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    XYStepRenderer renderer = new XYStepRenderer();
    int i = 0;
    for (Run r : runs) {
      XYSeries limit = new XYSeries(r.method() + " limit");
      XYSeries used = new XYSeries(r.method() + " used");
      for (RunController.Point p : r.timeline()) {
        limit.add(p.seconds(), p.memoryLimitBytes() / (double) (1 << 20));
        used.add(p.seconds(), p.memoryUsedBytes() / (1 << 20));
      }
      data.addSeries(limit);
      data.addSeries(used);
      Color c = COLORS.getOrDefault(r.method(), Color.BLACK);
      renderer.setSeriesPaint(i, c);
      renderer.setSeriesStroke(i, new BasicStroke(2.2f));
      renderer.setSeriesPaint(i + 1, c);
      renderer.setSeriesStroke(i + 1, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
          new float[] {4f, 3f}, 0f));
      i += 2;
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title + ": memory limit (solid) and use (dashed)",
        "seconds since start", "MiB", data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setRenderer(renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 420);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
