package dev.presize.workloads;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.presize.spi.function.PresizeFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A log analyser: generates {@code size} access-log lines (combined format plus a response time), parses each
 * with a regular expression, and reports requests per status, bytes sent, the busiest paths, latency percentiles
 * and the lines that did not parse.
 */
public final class LogRegexFunction implements PresizeFunction {
  static final String NAME = "log-regex";
  static final int MAX_SIZE = 20_000_000;
  static final Pattern LINE = Pattern.compile(
      "^(\\d{1,3}(?:\\.\\d{1,3}){3}) - (\\S+) \\[([^\\]]+)] \"(GET|POST|PUT|DELETE) (\\S+) HTTP/1\\.[01]\" "
      + "(\\d{3}) (\\d+) \"([^\"]*)\" \"([^\"]*)\" rt=(\\d+)\\.(\\d{3})$");
  private static final String[] PATHS = {
    "/", "/api/orders", "/api/orders/{id}", "/api/users/{id}", "/static/app.js", "/static/site.css", "/login",
    "/api/search", "/health", "/api/cart"
  };
  private static final String[] AGENTS = {"Mozilla/5.0 (X11; Linux x86_64)", "curl/8.5.0", "okhttp/4.12.0", "Go-http-client/1.1"};
  private static final int[] STATUSES = {200, 200, 200, 200, 200, 200, 201, 204, 301, 304, 400, 404, 404, 500, 503};

  @Override
  public String invoke(String requestJson) {
    Request request = Request.parse(requestJson, MAX_SIZE, false);
    String log = generate(request.intSize(), request.seed());

    Map<String, Long> byStatus = new TreeMap<>();
    Map<String, Long> byPath = new TreeMap<>();
    long bytes = 0;
    long malformed = 0;
    int[] latencies = new int[request.intSize()];
    int parsed = 0;
    Matcher m = LINE.matcher("");
    int start = 0;
    while (start < log.length()) {
      int end = log.indexOf('\n', start);
      if (end < 0) {
        end = log.length();
      }
      m.reset(log.subSequence(start, end));
      if (m.matches()) {
        byStatus.merge(m.group(6), 1L, Long::sum);
        String path = m.group(5);
        int query = path.indexOf('?');
        byPath.merge(query < 0 ? path : path.substring(0, query), 1L, Long::sum);
        bytes += Long.parseLong(m.group(7));
        latencies[parsed++] = Integer.parseInt(m.group(10)) * 1000 + Integer.parseInt(m.group(11));
      } else {
        malformed++;
      }
      start = end + 1;
    }
    int[] sorted = Arrays.copyOf(latencies, parsed);
    Arrays.sort(sorted);
    List<Map.Entry<String, Long>> paths = new ArrayList<>(byPath.entrySet());
    paths.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry::getKey));

    ObjectNode response = Json.response(NAME, request);
    response.put("logBytes", log.length());
    response.put("lines", parsed + malformed);
    response.put("parsed", parsed);
    response.put("malformed", malformed);
    response.put("bytesSent", bytes);
    ObjectNode statuses = response.putObject("byStatus");
    byStatus.forEach(statuses::put);
    ArrayNode top = response.putArray("topPaths");
    for (Map.Entry<String, Long> e : paths.subList(0, Math.min(5, paths.size()))) {
      top.addObject().put("path", e.getKey()).put("requests", e.getValue());
    }
    response.put("p50Millis", percentile(sorted, 0.50));
    response.put("p95Millis", percentile(sorted, 0.95));
    response.put("p99Millis", percentile(sorted, 0.99));
    return Json.write(response);
  }

  private static int percentile(int[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  private static StringBuilder twoDigits(StringBuilder out, int value) {
    return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }

  /** {@code lines} log lines, one in 500 deliberately truncated (a torn write), joined by newlines. */
  static String generate(int lines, long seed) {
    Rng rng = Rng.derived(seed, 51);
    StringBuilder log = new StringBuilder(lines * 170);
    StringBuilder line = new StringBuilder(200);
    for (int i = 0; i < lines; i++) {
      line.setLength(0);
      line.append(10 + rng.nextInt(200)).append('.').append(rng.nextInt(256)).append('.')
          .append(rng.nextInt(256)).append('.').append(rng.nextInt(256))
          .append(" - ").append(rng.nextInt(8) == 0 ? "user" + rng.nextSkewed(1000) : "-")
          .append(" [");
      twoDigits(line, (int) (1 + (long) i * 28 / lines)).append("/Nov/2026:");
      twoDigits(line, (i / 3600) % 24).append(':');
      twoDigits(line, (i / 60) % 60).append(':');
      twoDigits(line, i % 60).append(" +0000")
          .append("] \"").append(rng.nextInt(5) == 0 ? "POST" : "GET").append(' ')
          .append(PATHS[rng.nextSkewed(PATHS.length)].replace("{id}", Integer.toString(rng.nextInt(100_000))));
      if (rng.nextInt(4) == 0) {
        line.append("?page=").append(rng.nextInt(20));
      }
      line.append(" HTTP/1.1\" ").append(STATUSES[rng.nextInt(STATUSES.length)]).append(' ')
          .append(rng.nextSkewed(500_000)).append(" \"https://example.org/\" \"")
          .append(AGENTS[rng.nextInt(AGENTS.length)]).append("\" rt=");
      int micros = rng.nextSkewed(3_000_000) + 500;
      int millis = (micros / 1000) % 1000;
      line.append(micros / 1_000_000).append('.').append((char) ('0' + millis / 100));
      twoDigits(line, millis % 100);
      if (i % 500 == 499) {
        line.setLength(line.length() / 2);
      }
      log.append(line).append('\n');
    }
    return log.toString();
  }
}
