package dev.presize.trainer.evaluate;

import dev.presize.spi.resources.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a {@link Replay} of one dataset: per method, per resource, the {@link ResourceMetrics}.
 *
 * @param dataset a label of the data replayed, e.g. {@code bitbrains-rnd-2013-7 files 1..50}
 * @param series how many series were replayed
 * @param steps how many steps the series had in all
 * @param methods method name → resource → metrics, in the order the methods were replayed
 */
public record EvaluationResult(String dataset, int series, long steps,
    Map<String, Map<Resource, ResourceMetrics>> methods) {

  public EvaluationResult {
    Objects.requireNonNull(dataset, "dataset");
    Map<String, Map<Resource, ResourceMetrics>> copy = new LinkedHashMap<>();
    methods.forEach((name, byResource) -> copy.put(name, java.util.Collections.unmodifiableMap(
        new EnumMap<>(byResource.isEmpty() ? new EnumMap<>(Resource.class) : byResource))));
    methods = java.util.Collections.unmodifiableMap(copy);
  }

  /** The metrics of {@code method} for {@code resource}. */
  public ResourceMetrics metrics(String method, Resource resource) {
    Map<Resource, ResourceMetrics> byResource = methods.get(method);
    if (byResource == null) {
      throw new IllegalArgumentException("no method " + method + "; have " + methods.keySet());
    }
    ResourceMetrics m = byResource.get(resource);
    if (m == null) {
      throw new IllegalArgumentException("method " + method + " has no " + resource + "; has " + byResource.keySet());
    }
    return m;
  }

  /**
   * The result as the JSON object of {@code presize evaluate --json}: {@code {"dataset":…, "series":…, "steps":…,
   * "methods": {NAME: {"memory": {"slack":…, "underProvisioned":…, "coverageP90":…, "pinballP90":…, "resizes":…,
   * …}, "cpu": {…}}}}}. For one-number methods {@code coverageP90} and {@code pinballP90} read the allocation as the
   * p90 forecast ({@code coverageP90} equals {@code coverageOfAllocation}); a quantile forecaster's are of its own p50/
   * p90/p99 forecasts. A number that is not finite is
   * {@code null}.
   */
  public String toJson() {
    StringBuilder b = new StringBuilder(1024);
    b.append("{\"dataset\": ").append(string(dataset)).append(", \"series\": ").append(series)
        .append(", \"steps\": ").append(steps).append(",\n \"methods\": {");
    String sep = "\n";
    for (Map.Entry<String, Map<Resource, ResourceMetrics>> m : methods.entrySet()) {
      b.append(sep).append("  ").append(string(m.getKey())).append(": {");
      String rsep = "\n";
      for (Map.Entry<Resource, ResourceMetrics> r : m.getValue().entrySet()) {
        ResourceMetrics x = r.getValue();
        b.append(rsep).append("   ").append(string(r.getKey().name().toLowerCase(Locale.ROOT))).append(": {")
            .append("\"slack\": ").append(number(x.slack()))
            .append(", \"aggregateSlack\": ").append(number(x.aggregateSlack()))
            .append(", \"underProvisioned\": ").append(number(x.underProvisioned()))
            .append(", \"coverageP90\": ").append(number(x.coverageP90()))
            .append(", \"coverageP99\": ").append(number(x.coverageP99()))
            .append(", \"coverageOfAllocation\": ").append(number(x.coverageOfAllocation()))
            .append(", \"pinballP50\": ").append(number(x.pinballP50()))
            .append(", \"pinballP90\": ").append(number(x.pinballP90()))
            .append(", \"pinballP99\": ").append(number(x.pinballP99()))
            .append(", \"forecastSteps\": ").append(x.forecastSteps())
            .append(", \"resizes\": ").append(x.resizes())
            .append(", \"meanAllocation\": ").append(number(x.meanAllocation()))
            .append(", \"meanUsage\": ").append(number(x.meanUsage()))
            .append(", \"steps\": ").append(x.steps())
            .append(", \"fallbackSteps\": ").append(x.fallbackSteps())
            .append(", \"unallocatedSteps\": ").append(x.unallocatedSteps())
            .append('}');
        rsep = ",\n";
      }
      b.append("}");
      sep = ",\n";
    }
    return b.append("}}\n").toString();
  }

  /** Writes {@link #toJson()} to {@code file}, creating its parent directories. */
  public void writeJson(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, toJson());
  }

  /**
   * A Markdown table, one row per method × resource: slack, aggregate slack, under-provisioned fraction, resizes
   * (total and per 1000 steps), fallback steps.
   */
  public String toMarkdown() {
    StringBuilder b = new StringBuilder();
    b.append("| method | resource | slack (mean) | slack (aggregate) | underProvisioned | resizes | resizes/1000 steps"
        + " | pinballP90 | fallback steps |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, Map<Resource, ResourceMetrics>> m : methods.entrySet()) {
      for (Map.Entry<Resource, ResourceMetrics> r : m.getValue().entrySet()) {
        ResourceMetrics x = r.getValue();
        b.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.4f | %d | %.1f | %.4g | %d / %d |%n",
            m.getKey(), r.getKey().name().toLowerCase(Locale.ROOT), x.slack(), x.aggregateSlack(),
            x.underProvisioned(), x.resizes(), x.resizesPerThousandSteps(), x.pinballP90(), x.fallbackSteps(),
            x.steps()));
      }
    }
    return b.toString();
  }

  private static String number(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "null";
  }

  private static String string(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
