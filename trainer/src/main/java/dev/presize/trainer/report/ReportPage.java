package dev.presize.trainer.report;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.evaluate.EvaluationResult;
import dev.presize.trainer.evaluate.ResourceMetrics;
import dev.presize.trainer.evaluate.SeriesTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/** The HTML of the report page: facts, a table per dataset and resource with its trade-off chart, then the series. */
final class ReportPage {

  /** A dataset's section: its result and one trade-off chart per resource. */
  record Dataset(int index, EvaluationResult result, List<Chart> charts) {
  }

  /** A trade-off chart of {@code resource}, in {@code file}, without the points of {@code unplotted}. */
  record Chart(Resource resource, String file, List<String> unplotted) {
  }

  /** A series' chart in {@code file}, drawn in {@code unit}. */
  record Trace(SeriesTrace trace, String file, DisplayUnit unit) {
  }

  /** Which value of a column is best, to highlight it. */
  private enum Best {
    LOWEST, HIGHEST, NEAREST_ZERO, NONE
  }

  private record Column(String header, String help, Best best, ToDoubleFunction<ResourceMetrics> value,
      DoubleUnaryOperator scale, boolean percent) {
  }

  private static final String CSS = """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2em auto;\
      max-width:1100px;padding:0 1em;color:#222;line-height:1.4}
      h1{font-size:1.6em;margin-bottom:.3em}h2{margin-top:2em;border-bottom:2px solid #ddd;padding-bottom:.2em}
      h3{margin-top:1.5em}
      table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
      th,td{border:1px solid #ccc;padding:.3em .6em}th{background:#f3f3f3;text-align:left;vertical-align:bottom}
      td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      td.best{background:#dff3df;font-weight:bold}
      tr.presize td:first-child{color:#d62728;font-weight:bold}
      table.facts th{background:#fafafa;font-weight:normal;color:#555}table.facts td{font-family:monospace}
      figure{margin:1em 0 2em}figure img{max-width:100%;height:auto;border:1px solid #eee}
      figcaption{color:#555;font-size:.9em;margin-top:.3em}
      .note{color:#555;font-size:.9em}nav ul{columns:2}code{background:#f5f5f5;padding:0 .2em}
      """;

  private ReportPage() {
  }

  static String render(String title, Map<String, String> facts, List<Dataset> datasets, List<Trace> traces) {
    StringBuilder b = new StringBuilder(32 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(Text.escape(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    b.append("<h1>").append(Text.escape(title)).append("</h1>\n");
    if (!facts.isEmpty()) {
      b.append("<table class=\"facts\">\n");
      facts.forEach((k, v) -> b.append("<tr><th>").append(Text.escape(k)).append("</th><td>").append(Text.escape(v))
          .append("</td></tr>\n"));
      b.append("</table>\n");
    }
    contents(b, datasets, traces);
    b.append("<p class=\"note\">Online replay: at every step each method decides an allocation from the past only and"
        + " is scored on the usage that follows. <b>slack</b>: mean over scored steps of (allocated − used) /"
        + " allocated, clipped to [0, 1] (an under-provisioned step counts 0). <b>aggregate slack</b>: Σ(allocated −"
        + " used) / Σ allocated, unclipped. <b>under-provisioned</b>: share of steps with used &gt; allocated"
        + " (CPU: throttling; memory: OOM risk); <b>coverage</b> = 1 − under-provisioned, reading the allocation as"
        + " the p90 forecast. <b>pinball p90</b>: mean pinball loss at q = 0.9 of the allocation. <b>resizes</b>:"
        + " allocation changes of more than 1 % per 1000 scored steps. <b>fallback</b>: scored steps where the"
        + " method had no opinion and the replay's fallback (provisioned size, else last usage) was used."
        + " Highlighted: the best value of a column (lowest; highest coverage; aggregate slack nearest 0).</p>\n");
    for (Dataset d : datasets) {
      dataset(b, d);
    }
    if (!traces.isEmpty()) {
      b.append("<h2 id=\"series\">Series: allocation and forecast vs usage</h2>\n");
      for (Trace t : traces) {
        trace(b, t);
      }
    }
    return b.append("</body>\n</html>\n").toString();
  }

  private static void contents(StringBuilder b, List<Dataset> datasets, List<Trace> traces) {
    b.append("<nav><ul>\n");
    for (Dataset d : datasets) {
      b.append("<li><a href=\"#").append(anchor(d)).append("\">").append(Text.escape(d.result().dataset()))
          .append("</a></li>\n");
    }
    if (!traces.isEmpty()) {
      b.append("<li><a href=\"#series\">Series (").append(traces.size()).append(")</a></li>\n");
    }
    b.append("</ul></nav>\n");
  }

  private static String anchor(Dataset d) {
    return "dataset-" + (d.index() + 1);
  }

  private static void dataset(StringBuilder b, Dataset d) {
    EvaluationResult r = d.result();
    b.append("<h2 id=\"").append(anchor(d)).append("\">").append(Text.escape(r.dataset())).append("</h2>\n")
        .append("<p>").append(Text.count(r.series())).append(" series, ").append(Text.count(r.steps()))
        .append(" steps, ").append(r.methods().size()).append(" methods: ")
        .append(Text.escape(String.join(", ", r.methods().keySet()))).append(".</p>\n");
    for (Chart c : d.charts()) {
      table(b, r, c.resource());
      b.append("<figure><img src=\"").append(Text.escape(c.file())).append("\" width=\"").append(TradeOffChart.WIDTH)
          .append("\" height=\"").append(TradeOffChart.HEIGHT).append("\" alt=\"")
          .append(Text.escape(r.dataset() + " " + Text.name(c.resource()) + ": slack vs under-provisioned"))
          .append("\">\n<figcaption>").append(Text.escape(r.dataset())).append(", ")
          .append(Text.name(c.resource())).append(": mean slack (y) against the share of under-provisioned steps (x),"
              + " one point per method; lower-left is better.");
      if (!c.unplotted().isEmpty()) {
        b.append(" Not plotted (no scored steps): ").append(Text.escape(String.join(", ", c.unplotted())))
            .append('.');
      }
      b.append("</figcaption></figure>\n");
    }
  }

  private static void table(StringBuilder b, EvaluationResult r, Resource resource) {
    List<String> methods = new ArrayList<>();
    List<ResourceMetrics> rows = new ArrayList<>();
    double max = Double.NaN;
    for (Map.Entry<String, Map<Resource, ResourceMetrics>> m : r.methods().entrySet()) {
      ResourceMetrics x = m.getValue().get(resource);
      if (x != null) {
        methods.add(m.getKey());
        rows.add(x);
        for (double v : new double[] {x.meanAllocation(), x.meanUsage()}) {
          if (Double.isFinite(v) && !(Math.abs(v) <= max)) {
            max = Math.abs(v);
          }
        }
      }
    }
    DisplayUnit unit = DisplayUnit.of(resource, max);
    List<Column> columns = columns(unit);
    b.append("<h3>").append(Text.name(resource)).append(" <small>(").append(Text.escape(unit.label()))
        .append(")</small></h3>\n<table>\n<tr><th>method</th><th>scored steps</th><th>fallback steps</th>");
    for (Column c : columns) {
      b.append("<th title=\"").append(Text.escape(c.help())).append("\">").append(Text.escape(c.header()))
          .append("</th>");
    }
    b.append("</tr>\n");
    double[] best = new double[columns.size()];
    for (int k = 0; k < columns.size(); k++) {
      best[k] = best(columns.get(k), rows);
    }
    for (int i = 0; i < rows.size(); i++) {
      ResourceMetrics x = rows.get(i);
      b.append(TradeOffChart.isPresize(methods.get(i)) ? "<tr class=\"presize\">" : "<tr>").append("<td>")
          .append(Text.escape(methods.get(i))).append("</td><td class=\"n\">").append(Text.count(x.steps()))
          .append("</td><td class=\"n\">").append(Text.count(x.fallbackSteps())).append("</td>");
      for (int k = 0; k < columns.size(); k++) {
        Column c = columns.get(k);
        double v = c.value().applyAsDouble(x);
        boolean isBest = rows.size() > 1 && Double.isFinite(v) && v == best[k];
        b.append(isBest ? "<td class=\"n best\">" : "<td class=\"n\">")
            .append(c.percent() ? Text.percent(v) : Text.number(c.scale().applyAsDouble(v))).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  private static List<Column> columns(DisplayUnit unit) {
    DoubleUnaryOperator same = v -> v;
    DoubleUnaryOperator scaled = unit::scale;
    String u = unit.label();
    return List.of(
        new Column("slack ↓", "mean of (allocated - used) / allocated, clipped to [0, 1]", Best.LOWEST,
            ResourceMetrics::slack, same, true),
        new Column("aggregate slack", "sum(allocated - used) / sum(allocated), unclipped", Best.NEAREST_ZERO,
            ResourceMetrics::aggregateSlack, same, true),
        new Column("under-provisioned ↓", "share of scored steps with used > allocated", Best.LOWEST,
            ResourceMetrics::underProvisioned, same, true),
        new Column("coverage ↑", "share of scored steps with used <= allocated", Best.HIGHEST,
            ResourceMetrics::coverageOfAllocation, same, true),
        new Column("p90 coverage", "share of steps with used <= the p90 forecast (one-number methods: the"
            + " allocation); a calibrated p90 is near 90 %", Best.NONE, ResourceMetrics::coverageP90, same, true),
        new Column("p99 coverage", "share of steps with used <= the p99 forecast (quantile forecasters only)",
            Best.NONE, ResourceMetrics::coverageP99, same, true),
        new Column("pinball p90 ↓ (" + u + ")", "mean pinball loss at q = 0.9 of the p90 forecast (one-number"
            + " methods: of the allocation)", Best.LOWEST,
            ResourceMetrics::pinballP90, scaled, false),
        new Column("resizes / 1000 steps ↓", "allocation changes of more than 1 % per 1000 scored steps",
            Best.LOWEST, ResourceMetrics::resizesPerThousandSteps, same, false),
        new Column("mean allocation (" + u + ")", "mean allocation over the scored steps", Best.NONE,
            ResourceMetrics::meanAllocation, scaled, false),
        new Column("mean usage (" + u + ")", "mean usage over the scored steps", Best.NONE,
            ResourceMetrics::meanUsage, scaled, false));
  }

  /** The best finite value of column {@code c} over {@code rows}; {@code NaN} when none is, or the column has none. */
  private static double best(Column c, List<ResourceMetrics> rows) {
    double best = Double.NaN;
    for (ResourceMetrics x : rows) {
      double v = c.value().applyAsDouble(x);
      if (!Double.isFinite(v)) {
        continue;
      }
      boolean better = switch (c.best()) {
        case LOWEST -> !(v >= best);
        case HIGHEST -> !(v <= best);
        case NEAREST_ZERO -> !(Math.abs(v) >= Math.abs(best));
        case NONE -> false;
      };
      if (better) {
        best = v;
      }
    }
    return best;
  }

  private static void trace(StringBuilder b, Trace t) {
    SeriesTrace s = t.trace();
    String what = s.seriesId() + ", " + Text.name(s.resource()) + " (" + s.dataset() + ")";
    b.append("<figure><img src=\"").append(Text.escape(t.file())).append("\" width=\"").append(TraceChart.WIDTH)
        .append("\" height=\"").append(TraceChart.HEIGHT).append("\" alt=\"").append(Text.escape(what))
        .append("\">\n<figcaption>").append(Text.escape(what)).append(": usage (black)");
    if (!s.allocations().isEmpty()) {
      b.append(" and the allocation of ").append(Text.escape(String.join(", ", s.allocations().keySet())));
    }
    if (!s.forecasts().isEmpty()) {
      b.append(", with the quantile forecast (shaded band from the lowest to the highest quantile, dashed line at"
          + " the one nearest 0.9)");
    }
    b.append(", over ").append(Text.count(s.length())).append(" steps, in ").append(Text.escape(t.unit().label()))
        .append("; time in UTC.");
    List<String> offScale = TraceChart.offScale(s);
    if (!offScale.isEmpty()) {
      b.append(" The value axis follows the usage and forecast; more than ")
          .append(String.format(java.util.Locale.ROOT, "%.0f", TraceChart.OFF_SCALE))
          .append("× as large, the allocation of ").append(Text.escape(String.join(", ", offScale)))
          .append(" runs above it (its size is in the legend).");
    }
    b.append("</figcaption></figure>\n");
  }
}
