package dev.presize.trainer.report;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.evaluate.EvaluationResult;
import dev.presize.trainer.evaluate.ResourceMetrics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The slack vs under-provisioned scatter of one resource of one {@link EvaluationResult}: one labelled point per
 * method, x = share of under-provisioned steps, y = mean slack (clipped); lower-left is better. A method whose name
 * starts with {@code presize} is drawn larger, in red, with a bold label.
 */
final class TradeOffChart {

  static final int WIDTH = 760;
  static final int HEIGHT = 560;

  /** Colours of the other methods, in method order (Tableau 10 without its red, kept for Presize). */
  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
      new Color(0x17becf)};
  static final Color PRESIZE = new Color(0xd62728);

  private TradeOffChart() {
  }

  /** Whether {@code method} is Presize's own (highlighted): its name is {@code presize} or starts with it. */
  static boolean isPresize(String method) {
    return method.toLowerCase(Locale.ROOT).startsWith("presize");
  }

  /**
   * The points: one series per method that has {@code resource} with finite slack and under-provisioned, keyed by
   * the method's name, holding the one point (underProvisioned, slack); in the result's method order.
   */
  static XYSeriesCollection dataset(EvaluationResult result, Resource resource) {
    XYSeriesCollection dataset = new XYSeriesCollection();
    for (Map.Entry<String, Map<Resource, ResourceMetrics>> m : result.methods().entrySet()) {
      ResourceMetrics x = m.getValue().get(resource);
      if (x != null && Double.isFinite(x.underProvisioned()) && Double.isFinite(x.slack())) {
        XYSeries s = new XYSeries(m.getKey(), false, true);
        s.add(x.underProvisioned(), x.slack());
        dataset.addSeries(s);
      }
    }
    return dataset;
  }

  /** The methods with {@code resource} that have no point (no scored steps, so no finite metrics). */
  static List<String> unplotted(EvaluationResult result, Resource resource) {
    List<String> out = new ArrayList<>();
    result.methods().forEach((method, byResource) -> {
      ResourceMetrics x = byResource.get(resource);
      if (x != null && !(Double.isFinite(x.underProvisioned()) && Double.isFinite(x.slack()))) {
        out.add(method);
      }
    });
    return out;
  }

  static JFreeChart chart(EvaluationResult result, Resource resource) {
    XYSeriesCollection dataset = dataset(result, resource);
    DecimalFormat pct = new DecimalFormat("0.###%", DecimalFormatSymbols.getInstance(Locale.ROOT));
    NumberAxis x = new NumberAxis("under-provisioned steps (used > allocated)");
    x.setNumberFormatOverride(pct);
    x.setAutoRangeIncludesZero(true);
    x.setUpperMargin(0.2); // room for the labels right of the points
    NumberAxis y = new NumberAxis("slack, mean of (allocated − used) / allocated, clipped to [0, 1]");
    y.setNumberFormatOverride(pct);
    y.setAutoRangeIncludesZero(true);
    y.setUpperMargin(0.12);

    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
    renderer.setDefaultItemLabelGenerator((data, series, item) -> String.valueOf(data.getSeriesKey(series)));
    renderer.setDefaultItemLabelsVisible(true);
    renderer.setItemLabelAnchorOffset(9); // clear of the largest marker
    renderer.setDefaultPositiveItemLabelPosition(
        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT)); // right: x = 0 is common
    Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    int other = 0;
    for (int i = 0; i < dataset.getSeriesCount(); i++) {
      String method = String.valueOf(dataset.getSeriesKey(i));
      boolean presize = isPresize(method);
      Paint paint = presize ? PRESIZE : PALETTE[other++ % PALETTE.length];
      renderer.setSeriesPaint(i, paint);
      renderer.setSeriesShape(i, presize ? diamond(9) : new Ellipse2D.Double(-5, -5, 10, 10));
      renderer.setSeriesItemLabelPaint(i, presize ? PRESIZE : Color.DARK_GRAY);
      renderer.setSeriesItemLabelFont(i, presize ? label.deriveFont(Font.BOLD, 14f) : label);
    }
    XYPlot plot = new XYPlot(dataset, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setDomainGridlineStroke(new BasicStroke(1f));
    plot.setRangeGridlineStroke(new BasicStroke(1f));
    String title = result.dataset() + " — " + Text.name(resource) + ": slack vs under-provisioned";
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
    chart.addSubtitle(new TextTitle("one point per method; lower-left is better",
        new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  private static Shape diamond(double r) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(0, -r);
    p.lineTo(r, 0);
    p.lineTo(0, r);
    p.lineTo(-r, 0);
    p.closePath();
    return p;
  }
}
