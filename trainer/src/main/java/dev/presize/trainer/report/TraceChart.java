package dev.presize.trainer.report;

import dev.presize.trainer.evaluate.SeriesTrace;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Usage, every method's allocation and the quantile forecast of one {@link SeriesTrace} over time.
 *
 * <p>Each step's value holds over the step, which ends at its {@code timeMillis}: usage (black) and allocations
 * (coloured) are step lines that jump at the start of the step. The forecast is a shaded band from the lowest to the
 * highest quantile with a line at the quantile nearest 0.9 (p50..p99 and p90 for the usual three). Steps without a
 * value ({@code NaN}) are gaps. Values are scaled to a readable {@link DisplayUnit}; time is UTC.
 */
final class TraceChart {

  static final int WIDTH = 1000;
  static final int HEIGHT = 480;

  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
      new Color(0x17becf)};
  private static final Color FORECAST = new Color(0xd62728);

  private TraceChart() {
  }

  /**
   * An allocation whose largest value exceeds this many times the largest usage or forecast is left off the value
   * axis (a static allocation of 1 core would flatten a usage of 0.01 core to the floor); its legend says so.
   */
  static final double OFF_SCALE = 3.0;

  /** The largest finite value on the value axis: of the usage, the forecasts and every allocation on scale. */
  static double scaleMax(SeriesTrace trace) {
    double data = dataMax(trace);
    double max = data;
    for (double[] a : trace.allocations().values()) {
      double m = maxAbs(a);
      if (!offScale(m, data)) {
        max = larger(max, m);
      }
    }
    return max;
  }

  /** The methods whose allocation is off the value axis (see {@link #OFF_SCALE}), in replay order. */
  static List<String> offScale(SeriesTrace trace) {
    double data = dataMax(trace);
    List<String> out = new ArrayList<>();
    trace.allocations().forEach((method, a) -> {
      if (offScale(maxAbs(a), data)) {
        out.add(method);
      }
    });
    return out;
  }

  private static boolean offScale(double allocationMax, double dataMax) {
    return dataMax > 0 && allocationMax > OFF_SCALE * dataMax;
  }

  private static double dataMax(SeriesTrace trace) {
    double max = maxAbs(trace.used());
    for (double[] f : trace.forecasts().values()) {
      max = larger(max, maxAbs(f));
    }
    return max;
  }

  /** The unit the trace is shown in: chosen from {@link #scaleMax}. */
  static DisplayUnit unit(SeriesTrace trace) {
    return DisplayUnit.of(trace.resource(), scaleMax(trace));
  }

  /** The quantile drawn as the forecast's line: the one nearest 0.9. */
  static double lineQuantile(Map<Double, double[]> forecasts) {
    double best = Double.NaN;
    for (double q : forecasts.keySet()) {
      if (Double.isNaN(best) || Math.abs(q - 0.9) < Math.abs(best - 0.9)) {
        best = q;
      }
    }
    return best;
  }

  static JFreeChart chart(SeriesTrace trace) {
    DisplayUnit unit = unit(trace);
    DateAxis time = new DateAxis("time (UTC)");
    TimeZone utc = TimeZone.getTimeZone("UTC");
    time.setTimeZone(utc);
    time.setDateFormatOverride(timeFormat(trace.timeMillis(), utc));
    time.setLowerMargin(0.01);
    time.setUpperMargin(0.01);
    NumberAxis value = new NumberAxis(Text.name(trace.resource()) + " (" + unit.label() + ")");
    value.setAutoRangeIncludesZero(true);
    value.setUpperMargin(0.08);
    List<String> offScale = offScale(trace);
    if (!offScale.isEmpty()) {
      value.setRange(0, unit.scale(scaleMax(trace)) * 1.08);
    }

    XYPlot plot = new XYPlot();
    plot.setDomainAxis(time);
    plot.setRangeAxis(value);
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD); // band below allocations below usage
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));

    int index = 0;
    if (!trace.forecasts().isEmpty()) {
      plot.setDataset(index, forecastBand(trace, unit));
      DeviationRenderer band = new DeviationRenderer(true, false);
      band.setAlpha(0.18f);
      YIntervalSeriesCollection data = (YIntervalSeriesCollection) plot.getDataset(index);
      for (int i = 0; i < data.getSeriesCount(); i++) {
        band.setSeriesPaint(i, FORECAST);
        band.setSeriesFillPaint(i, FORECAST);
        band.setSeriesStroke(i, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
            new float[] {5f, 3f}, 0f));
        band.setSeriesVisibleInLegend(i, i == 0);
      }
      plot.setRenderer(index, band);
      index++;
    }

    XYSeriesCollection allocations = new XYSeriesCollection();
    XYStepRenderer allocationRenderer = stepRenderer();
    int i = 0;
    for (Map.Entry<String, double[]> a : trace.allocations().entrySet()) {
      String key = "allocation: " + a.getKey();
      if (offScale.contains(a.getKey())) {
        key += " (above the axis, up to " + Text.number(unit.scale(maxAbs(a.getValue()))) + " " + unit.label() + ")";
      }
      allocations.addSeries(series(key, trace.timeMillis(), a.getValue(), unit));
      boolean presize = TradeOffChart.isPresize(a.getKey());
      allocationRenderer.setSeriesPaint(i, presize ? TradeOffChart.PRESIZE : PALETTE[i % PALETTE.length]);
      allocationRenderer.setSeriesStroke(i, new BasicStroke(presize ? 2.2f : 1.4f));
      i++;
    }
    plot.setDataset(index, allocations);
    plot.setRenderer(index, allocationRenderer);
    index++;

    XYSeriesCollection usage = new XYSeriesCollection(series("usage (actual)", trace.timeMillis(), trace.used(), unit));
    XYStepRenderer usageRenderer = stepRenderer();
    usageRenderer.setSeriesPaint(0, Color.BLACK);
    usageRenderer.setSeriesStroke(0, new BasicStroke(1.6f));
    plot.setDataset(index, usage);
    plot.setRenderer(index, usageRenderer);

    String title = trace.seriesId() + " — " + Text.name(trace.resource()) + " (" + trace.dataset() + ")";
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.BOTTOM);
    return chart;
  }

  /** Dates when the trace spans days, seconds when it spans under an hour, milliseconds under ten seconds. */
  static SimpleDateFormat timeFormat(long[] timeMillis, TimeZone zone) {
    long span = timeMillis[timeMillis.length - 1] - timeMillis[0];
    String pattern = span >= 86_400_000L ? "MM-dd HH:mm" : span >= 3_600_000L ? "HH:mm"
        : span >= 10_000L ? "HH:mm:ss" : "HH:mm:ss.SSS";
    SimpleDateFormat format = new SimpleDateFormat(pattern, Locale.ROOT);
    format.setTimeZone(zone);
    return format;
  }

  private static XYStepRenderer stepRenderer() {
    XYStepRenderer r = new XYStepRenderer();
    r.setStepPoint(0.0); // a step's value holds over (previous end, own end]
    r.setDefaultShapesVisible(false);
    return r;
  }

  private static XYSeries series(String key, long[] timeMillis, double[] values, DisplayUnit unit) {
    XYSeries s = new XYSeries(key, false, true);
    for (int i = 0; i < timeMillis.length; i++) {
      double v = values[i];
      s.add(timeMillis[i], Double.isFinite(v) ? unit.scale(v) : Double.NaN, false);
    }
    return s;
  }

  /**
   * The band lowest..highest quantile with its line at {@link #lineQuantile}, one {@link YIntervalSeries} per run of
   * steps where all three are finite (the renderer draws one polygon per series, so a gap must split it).
   */
  private static YIntervalSeriesCollection forecastBand(SeriesTrace trace, DisplayUnit unit) {
    List<Double> quantiles = new ArrayList<>(trace.forecasts().keySet()); // increasing (a TreeMap's keys)
    double lo = quantiles.get(0);
    double hi = quantiles.get(quantiles.size() - 1);
    double mid = lineQuantile(trace.forecasts());
    double[] low = trace.forecasts().get(lo);
    double[] high = trace.forecasts().get(hi);
    double[] line = trace.forecasts().get(mid);
    String key = quantiles.size() == 1 ? "forecast " + q(mid)
        : "forecast " + q(mid) + " (band " + q(lo) + ".." + q(hi) + ")";
    YIntervalSeriesCollection out = new YIntervalSeriesCollection();
    YIntervalSeries run = null;
    int runs = 0;
    long[] t = trace.timeMillis();
    for (int i = 0; i < t.length; i++) {
      if (Double.isFinite(low[i]) && Double.isFinite(high[i]) && Double.isFinite(line[i])) {
        if (run == null) {
          run = new YIntervalSeries(runs == 0 ? key : key + " #" + (runs + 1), false, true);
          runs++;
        }
        run.add(t[i], unit.scale(line[i]), unit.scale(Math.min(low[i], high[i])),
            unit.scale(Math.max(low[i], high[i])));
      } else if (run != null) {
        out.addSeries(run);
        run = null;
      }
    }
    if (run != null) {
      out.addSeries(run);
    }
    return out;
  }

  private static double larger(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
  }

  private static double maxAbs(double[] values) {
    double max = Double.NaN;
    for (double v : values) {
      if (Double.isFinite(v) && !(Math.abs(v) <= max)) {
        max = Math.abs(v);
      }
    }
    return max;
  }

  private static String q(double quantile) {
    double p = 100 * quantile;
    return p == Math.rint(p) ? String.format(Locale.ROOT, "p%d", (long) p) : String.format(Locale.ROOT, "p%s", p);
  }
}
