package dev.presize.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.spi.resources.Resource;
import dev.presize.trainer.evaluate.EvaluationResult;
import dev.presize.trainer.evaluate.ResourceMetrics;
import dev.presize.trainer.evaluate.SeriesTrace;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportTest {

  private static final double GIB = 1024.0 * 1024 * 1024;
  private static final long T0 = 1_372_636_800_000L; // 2013-07-01T00:00Z
  private static final long STEP = 300_000L;

  @TempDir
  Path dir;

  /** Metrics with the given slack and under-provisioned share; the rest derived so that they are consistent. */
  private static ResourceMetrics metrics(double slack, double under, long resizes, double meanUsage) {
    long steps = 1000;
    double meanAllocation = meanUsage / (1 - slack);
    return new ResourceMetrics(steps, 1, 0, slack, slack * 0.9, under, 1 - under, 0.05 * meanUsage * (1 + under),
        resizes, meanAllocation, meanUsage, 0, 1 - under, Double.NaN, Double.NaN, Double.NaN);
  }

  private static EvaluationResult result() {
    Map<String, Map<Resource, ResourceMetrics>> methods = new LinkedHashMap<>();
    methods.put("static", Map.of(Resource.CPU, metrics(0.91, 0.05, 0, 0.4),
        Resource.MEMORY, metrics(0.92, 0.0, 0, 1.5 * GIB)));
    methods.put("reactive", Map.of(Resource.CPU, metrics(0.15, 0.11, 634, 0.4),
        Resource.MEMORY, metrics(0.19, 0.30, 939, 1.5 * GIB)));
    methods.put("vpa", Map.of(Resource.CPU, metrics(0.53, 0.0126, 6, 0.4),
        Resource.MEMORY, metrics(0.78, 0.0009, 3, 1.5 * GIB)));
    methods.put("presize", Map.of(Resource.CPU, metrics(0.30, 0.008, 40, 0.4),
        Resource.MEMORY, metrics(0.25, 0.002, 30, 1.5 * GIB)));
    return new EvaluationResult("bitbrains <test> & co", 3, 3000, methods);
  }

  private static long[] times(int n) {
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      t[i] = T0 + (i + 1) * STEP;
    }
    return t;
  }

  /** Memory of a series with a daily-ish wave, three allocations and a p50/p90/p99 forecast. */
  private static SeriesTrace memoryTrace(String id) {
    int n = 200;
    double[] used = new double[n];
    double[] fixed = new double[n];
    double[] reactive = new double[n];
    double[] presize = new double[n];
    double[] p50 = new double[n];
    double[] p90 = new double[n];
    double[] p99 = new double[n];
    for (int i = 0; i < n; i++) {
      double base = (1.0 + 0.4 * Math.sin(i / 15.0)) * GIB;
      used[i] = base + (i % 7) * 0.02 * GIB;
      fixed[i] = 2.5 * GIB;
      reactive[i] = i == 0 ? Double.NaN : used[i - 1] * 1.15;
      p50[i] = base;
      p90[i] = base * 1.2;
      p99[i] = base * 1.35;
      presize[i] = p90[i];
    }
    used[50] = Double.NaN; // a gap
    p90[120] = Double.NaN; // a gap in the forecast splits its band
    Map<String, double[]> allocations = new LinkedHashMap<>();
    allocations.put("static", fixed);
    allocations.put("reactive", reactive);
    allocations.put("presize", presize);
    return new SeriesTrace("bitbrains", id, Resource.MEMORY, times(n), used, allocations,
        Map.of(0.5, p50, 0.9, p90, 0.99, p99));
  }

  private static SeriesTrace cpuTrace(String id) {
    int n = 120;
    double[] used = new double[n];
    double[] vpa = new double[n];
    for (int i = 0; i < n; i++) {
      used[i] = 0.2 + 0.15 * Math.abs(Math.sin(i / 9.0));
      vpa[i] = i < 10 ? Double.NaN : 0.45;
    }
    return new SeriesTrace("bitbrains", id, Resource.CPU, times(n), used, Map.of("vpa", vpa), Map.of());
  }

  private static Path write(Path dir, List<EvaluationResult> results, List<SeriesTrace> traces) throws IOException {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("model", "presize-xgb <v1>");
    facts.put("command", "presize evaluate --report DIR");
    return EvaluationReport.write(dir, "Presize evaluation", results, traces, facts);
  }

  private static Set<String> pngs(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      Set<String> out = new HashSet<>();
      files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).forEach(out::add);
      return out;
    }
  }

  @Test
  @DisplayName("index.html references every PNG written: one trade-off per dataset and resource, one per trace")
  void pageReferencesEveryChart() throws IOException {
    Path index = write(dir, List.of(result()), List.of(memoryTrace("vm-17"), cpuTrace("vm-3")));

    assertThat(index).isEqualTo(dir.resolve("index.html")).isRegularFile();
    String html = Files.readString(index);
    Set<String> pngs = pngs(dir);
    assertThat(pngs).containsExactlyInAnyOrder("tradeoff-01-cpu.png", "tradeoff-01-memory.png",
        "trace-01-vm-17-memory.png", "trace-02-vm-3-cpu.png");
    Matcher src = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    Set<String> referenced = new HashSet<>();
    while (src.find()) {
      referenced.add(src.group(1));
    }
    assertThat(referenced).isEqualTo(pngs);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
          .noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  @DisplayName("every PNG decodes to its documented size and is not blank")
  void chartsDecodeAndAreNotBlank() throws IOException {
    write(dir, List.of(result()), List.of(memoryTrace("vm-17"), cpuTrace("vm-3")));

    for (String name : pngs(dir)) {
      BufferedImage image = ImageIO.read(dir.resolve(name).toFile());
      assertThat(image).as(name).isNotNull();
      boolean tradeOff = name.startsWith("tradeoff-");
      assertThat(image.getWidth()).as(name).isEqualTo(tradeOff ? TradeOffChart.WIDTH : TraceChart.WIDTH);
      assertThat(image.getHeight()).as(name).isEqualTo(tradeOff ? TradeOffChart.HEIGHT : TraceChart.HEIGHT);
      Set<Integer> colours = new HashSet<>();
      long notWhite = 0;
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          int rgb = image.getRGB(x, y) & 0xffffff;
          colours.add(rgb);
          if (rgb != 0xffffff) {
            notWhite++;
          }
        }
      }
      assertThat(colours.size()).as(name + " distinct colours").isGreaterThan(20);
      assertThat(notWhite).as(name + " drawn pixels").isGreaterThan(image.getWidth() * (long) image.getHeight() / 50);
    }
  }

  @Test
  @DisplayName("the tables name every method, escape text, highlight the best value and stay self-contained")
  void tables() throws IOException {
    String html = Files.readString(write(dir, List.of(result()), List.of(memoryTrace("fn<1>&\"x\""))));

    for (String method : List.of("static", "reactive", "vpa", "presize")) {
      assertThat(html).contains("<td>" + method + "</td>");
    }
    assertThat(html).contains("fn&lt;1&gt;&amp;&quot;x&quot;").doesNotContain("fn<1>");
    assertThat(html).contains("bitbrains &lt;test&gt; &amp; co").doesNotContain("<test>");
    assertThat(html).contains("presize-xgb &lt;v1&gt;").contains("presize evaluate --report DIR");
    assertThat(html).doesNotContain("http://", "https://", "<script", "<link");
    assertThat(html).contains("GiB").contains("cores");
    assertThat(row(html, "cpu", "reactive")).startsWith("<tr><td>reactive</td><td class=\"n\">1,000</td>"
        + "<td class=\"n\">1</td><td class=\"n best\">15.0 %</td>");
    assertThat(row(html, "memory", "static")).contains("<td class=\"n best\">0 %</td>"); // under-provisioned
    assertThat(row(html, "memory", "presize")).startsWith("<tr class=\"presize\">");
  }

  /** The table row of {@code method} in the table of {@code resource}. */
  private static String row(String html, String resource, String method) {
    int table = html.indexOf("<h3>" + resource + " ");
    assertThat(table).as("table of " + resource).isNotNegative();
    int end = html.indexOf("</table>", table);
    Matcher m = Pattern.compile("<tr[^>]*><td>" + Pattern.quote(method) + "</td>.*?</tr>")
        .matcher(html.substring(table, end));
    assertThat(m.find()).as("row of " + method + " in " + resource).isTrue();
    return m.group();
  }

  @Test
  @DisplayName("the trade-off scatter has one point per method, at (under-provisioned, slack)")
  void scatterHasEveryMethod() {
    EvaluationResult r = result();
    for (Resource resource : List.of(Resource.CPU, Resource.MEMORY)) {
      XYSeriesCollection data = TradeOffChart.dataset(r, resource);
      assertThat(data.getSeriesCount()).isEqualTo(r.methods().size());
      for (int i = 0; i < data.getSeriesCount(); i++) {
        String method = String.valueOf(data.getSeriesKey(i));
        ResourceMetrics m = r.metrics(method, resource);
        assertThat(data.getItemCount(i)).isOne();
        assertThat(data.getXValue(i, 0)).isEqualTo(m.underProvisioned());
        assertThat(data.getYValue(i, 0)).isEqualTo(m.slack());
      }
      assertThat(data.getSeries(0).getKey()).isEqualTo("static");
    }
    assertThat(TradeOffChart.isPresize("presize")).isTrue();
    assertThat(TradeOffChart.isPresize("vpa")).isFalse();
  }

  @Test
  @DisplayName("a method without scored steps is left out of the scatter and named in the caption")
  void unplottedMethod() throws IOException {
    Map<String, Map<Resource, ResourceMetrics>> methods = new LinkedHashMap<>();
    methods.put("vpa", Map.of(Resource.CPU, metrics(0.5, 0.01, 3, 0.4)));
    methods.put("cold", Map.of(Resource.CPU, new ResourceMetrics(0, 0, 5, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN)));
    EvaluationResult r = new EvaluationResult("d", 1, 5, methods);

    assertThat(TradeOffChart.dataset(r, Resource.CPU).getSeriesCount()).isOne();
    String html = Files.readString(write(dir, List.of(r), List.of()));
    assertThat(html).contains("Not plotted (no scored steps): cold.").contains("<td>cold</td>");
    assertThat(pngs(dir)).containsExactly("tradeoff-01-cpu.png");
  }

  @Test
  @DisplayName("an allocation far above the usage is left above the value axis, so the usage stays readable")
  void offScaleAllocation() throws IOException {
    int n = 50;
    double[] used = new double[n];
    double[] fixed = new double[n];
    double[] near = new double[n];
    for (int i = 0; i < n; i++) {
      used[i] = 0.01 + 0.002 * (i % 5);
      fixed[i] = 1.0;
      near[i] = 0.025;
    }
    Map<String, double[]> allocations = new LinkedHashMap<>();
    allocations.put("static", fixed);
    allocations.put("vpa", near);
    SeriesTrace t = new SeriesTrace("d", "idle", Resource.CPU, times(n), used, allocations, Map.of());

    assertThat(TraceChart.offScale(t)).containsExactly("static");
    assertThat(TraceChart.scaleMax(t)).isEqualTo(0.025);
    assertThat(TraceChart.chart(t).getXYPlot().getRangeAxis().getUpperBound()).isLessThan(0.03);
    String html = Files.readString(write(dir, List.of(result()), List.of(t)));
    assertThat(html).contains("the allocation of static runs above it");
  }

  @Test
  @DisplayName("writing again into the same directory replaces the files")
  void rewrite() throws IOException {
    write(dir, List.of(result()), List.of(cpuTrace("a")));
    Path index = write(dir, List.of(result()), List.of(cpuTrace("a")));
    assertThat(Files.readString(index)).contains("trace-01-a-cpu.png");
  }

  @Test
  @DisplayName("bad input is an IllegalArgumentException naming the problem")
  void badInput() {
    assertThatThrownBy(() -> write(dir, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one evaluation result");
    assertThatThrownBy(() -> write(dir, List.of(new EvaluationResult("empty", 0, 0, Map.of())), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dataset empty) has no method");
    assertThatThrownBy(() -> new SeriesTrace("d", "s", Resource.CPU, times(3), new double[2], Map.of(), Map.of()))
        .as("mismatched arrays are refused by SeriesTrace already")
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("used has 2 steps");
    long[] backwards = {T0 + 2 * STEP, T0 + STEP};
    SeriesTrace back = new SeriesTrace("d", "s", Resource.CPU, backwards, new double[] {1, 2}, Map.of(), Map.of());
    assertThatThrownBy(() -> write(dir, List.of(result()), List.of(back)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("goes backwards at step 1");
    SeriesTrace blank = new SeriesTrace("d", "s", Resource.CPU, times(2), new double[] {Double.NaN, Double.NaN},
        Map.of(), Map.of());
    assertThatThrownBy(() -> write(dir, List.of(result()), List.of(blank)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no finite usage or allocation");
    SeriesTrace badQuantile = new SeriesTrace("d", "s", Resource.CPU, times(2), new double[] {1, 2}, Map.of(),
        Map.of(90.0, new double[] {1, 2}));
    assertThatThrownBy(() -> write(dir, List.of(result()), List.of(badQuantile)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quantile must be in (0, 1), was 90.0");
    assertThat(dir.resolve("index.html")).as("nothing written on bad input").doesNotExist();
  }
}
