package dev.presize.service;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The service's counters in Prometheus text exposition format (version 0.0.4): requests by endpoint and status,
 * a latency histogram per endpoint, forecasts made per model version, the model version in service per name, and
 * the quantile coverage observed from feedback. Thread-safe; recording is a few {@link LongAdder} increments.
 */
final class Metrics {

  /** Histogram bucket upper bounds, seconds. */
  private static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

  private static final class Histogram {
    final LongAdder[] counts = new LongAdder[BUCKETS.length];
    final LongAdder count = new LongAdder();
    final LongAdder sumNanos = new LongAdder();

    Histogram() {
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }
  }

  private final ConcurrentHashMap<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Histogram> latency = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> forecasts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder[]> coverage = new ConcurrentHashMap<>(); // {observed, covered}
  private final LongAdder overloaded = new LongAdder();
  private volatile Map<String, String> inService = Map.of();

  void request(String endpoint, int status, long nanos) {
    requests.computeIfAbsent(endpoint + "\u0000" + status, k -> new LongAdder()).increment();
    Histogram h = latency.computeIfAbsent(endpoint, k -> new Histogram());
    double seconds = nanos / 1e9;
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        h.counts[i].increment();
        break; // cumulative counts are summed at exposition
      }
    }
    h.count.increment();
    h.sumNanos.add(nanos);
  }

  void overloaded() {
    overloaded.increment();
  }

  void forecasts(String model, String version, int rows) {
    forecasts.computeIfAbsent(model + "\u0000" + version, k -> new LongAdder()).add(rows);
  }

  /** One feedback observation of one quantile: whether the actual need was at or below it. */
  void coverage(String model, String version, String target, String quantile, boolean covered) {
    LongAdder[] c = coverage.computeIfAbsent(model + "\u0000" + version + "\u0000" + target + "\u0000" + quantile,
        k -> new LongAdder[] {new LongAdder(), new LongAdder()});
    c[0].increment();
    if (covered) {
      c[1].increment();
    }
  }

  void modelsInService(Map<String, Models.Served> current) {
    Map<String, String> m = new TreeMap<>();
    current.forEach((name, s) -> m.put(name, s.model().version()));
    inService = Map.copyOf(m);
  }

  String exposition() {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("# HELP presize_http_requests_total HTTP requests by endpoint and status.\n");
    sb.append("# TYPE presize_http_requests_total counter\n");
    new TreeMap<>(requests).forEach((k, v) -> {
      String[] p = k.split("\u0000");
      sb.append("presize_http_requests_total{endpoint=\"").append(esc(p[0])).append("\",status=\"").append(p[1])
          .append("\"} ").append(v.sum()).append('\n');
    });
    sb.append("# HELP presize_http_request_seconds Time from handler start to response written, by endpoint.\n");
    sb.append("# TYPE presize_http_request_seconds histogram\n");
    new TreeMap<>(latency).forEach((endpoint, h) -> {
      long cumulative = 0;
      for (int i = 0; i < BUCKETS.length; i++) {
        cumulative += h.counts[i].sum();
        sb.append("presize_http_request_seconds_bucket{endpoint=\"").append(esc(endpoint)).append("\",le=\"")
            .append(BUCKETS[i]).append("\"} ").append(cumulative).append('\n');
      }
      long count = h.count.sum();
      sb.append("presize_http_request_seconds_bucket{endpoint=\"").append(esc(endpoint)).append("\",le=\"+Inf\"} ")
          .append(count).append('\n');
      sb.append("presize_http_request_seconds_sum{endpoint=\"").append(esc(endpoint)).append("\"} ")
          .append(h.sumNanos.sum() / 1e9).append('\n');
      sb.append("presize_http_request_seconds_count{endpoint=\"").append(esc(endpoint)).append("\"} ").append(count)
          .append('\n');
    });
    sb.append("# HELP presize_http_overloaded_total Requests refused with 429 because every worker was busy.\n");
    sb.append("# TYPE presize_http_overloaded_total counter\n");
    sb.append("presize_http_overloaded_total ").append(overloaded.sum()).append('\n');
    sb.append("# HELP presize_forecasts_total Forecast rows answered, by model and version.\n");
    sb.append("# TYPE presize_forecasts_total counter\n");
    new TreeMap<>(forecasts).forEach((k, v) -> {
      String[] p = k.split("\u0000");
      sb.append("presize_forecasts_total{model=\"").append(esc(p[0])).append("\",version=\"").append(esc(p[1]))
          .append("\"} ").append(v.sum()).append('\n');
    });
    sb.append("# HELP presize_model_version The version number in service per model (labels name it).\n");
    sb.append("# TYPE presize_model_version gauge\n");
    inService.forEach((name, version) -> sb.append("presize_model_version{model=\"").append(esc(name))
        .append("\",version=\"").append(esc(version)).append("\"} ")
        .append(version.startsWith("v") ? version.substring(1) : "0").append('\n'));
    sb.append("# HELP presize_feedback_observations_total Feedback observations per model version, target and"
        + " quantile.\n");
    sb.append("# TYPE presize_feedback_observations_total counter\n");
    StringBuilder covered = new StringBuilder();
    StringBuilder ratio = new StringBuilder();
    new TreeMap<>(coverage).forEach((k, v) -> {
      String[] p = k.split("\u0000");
      String labels = "{model=\"" + esc(p[0]) + "\",version=\"" + esc(p[1]) + "\",target=\"" + esc(p[2])
          + "\",quantile=\"" + esc(p[3]) + "\"}";
      long n = v[0].sum();
      long c = v[1].sum();
      sb.append("presize_feedback_observations_total").append(labels).append(' ').append(n).append('\n');
      covered.append("presize_feedback_covered_total").append(labels).append(' ').append(c).append('\n');
      ratio.append("presize_forecast_coverage_ratio").append(labels).append(' ')
          .append(String.format(Locale.ROOT, "%.6f", n == 0 ? 0.0 : (double) c / n)).append('\n');
    });
    sb.append("# HELP presize_feedback_covered_total Observations at or below the forecast quantile.\n");
    sb.append("# TYPE presize_feedback_covered_total counter\n").append(covered);
    sb.append("# HELP presize_forecast_coverage_ratio Observed coverage of each quantile (p90 should be ~0.9).\n");
    sb.append("# TYPE presize_forecast_coverage_ratio gauge\n").append(ratio);
    return sb.toString();
  }

  private static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
