package dev.presize.trainer.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presize.trainer.evaluate.QuantileScore;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Residual records: the {@code feedback.jsonl} lines that {@code presize serve} ({@code POST /v1/feedback}) and
 * {@code presize run} write, one forecast and what really happened over its horizon per line
 * ({@code {"forecastId", "function", "model", "version", "issuedAt", "observedAt", "targets": {TARGET: {"actual",
 * "p50", "p90", "p99"}}}}), read back per target, and summarized per model version and target: how often each
 * quantile covered the actual (the online coverage the policy tracks) and the pinball loss.
 */
public final class FeedbackRecords {

  private static final ObjectMapper JSON = new ObjectMapper();

  private FeedbackRecords() {}

  /** One target of one forecast. */
  public record Residual(String forecastId, String function, String model, String version, String target,
      double actual, double p50, double p90, double p99) {
    public Residual {
      Objects.requireNonNull(forecastId, "forecastId");
      Objects.requireNonNull(target, "target");
    }
  }

  /** Coverage and loss of one model version on one target. */
  public record Summary(String model, String version, String target, long count, double coverageP50,
      double coverageP90, double coverageP99, double pinballP90, double meanActual) {}

  /**
   * Reads every record of {@code files}.
   *
   * @throws InputDataException naming the file and line of a line that is not a feedback record
   * @throws IOException when a file cannot be read
   */
  public static List<Residual> read(List<Path> files) throws IOException {
    List<Residual> out = new ArrayList<>();
    for (Path f : files) {
      try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
          n++;
          if (line.isBlank()) {
            continue;
          }
          try {
            JsonNode r = JSON.readTree(line);
            JsonNode targets = r.path("targets");
            if (!r.path("forecastId").isTextual() || !targets.isObject() || targets.isEmpty()) {
              throw new IllegalArgumentException("needs a forecastId and a non-empty targets object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = targets.fields(); it.hasNext(); ) {
              Map.Entry<String, JsonNode> t = it.next();
              out.add(new Residual(r.path("forecastId").asText(), r.path("function").asText(""),
                  r.path("model").asText(""), r.path("version").asText(""), t.getKey(),
                  number(t.getValue(), "actual"), number(t.getValue(), "p50"), number(t.getValue(), "p90"),
                  number(t.getValue(), "p99")));
            }
          } catch (IOException | IllegalArgumentException e) {
            throw new InputDataException(f, n, "is not a feedback record: " + e.getMessage(), e);
          }
        }
      }
    }
    return out;
  }

  private static double number(JsonNode target, String field) {
    JsonNode v = target.path(field);
    if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw new IllegalArgumentException("field '" + field + "' must be a finite number, was " + v);
    }
    return v.asDouble();
  }

  /** Per model, version and target, in the order first seen. */
  public static List<Summary> summarize(List<Residual> residuals) {
    Map<List<String>, List<Residual>> groups = new LinkedHashMap<>();
    for (Residual r : residuals) {
      groups.computeIfAbsent(List.of(r.model(), r.version(), r.target()), k -> new ArrayList<>()).add(r);
    }
    List<Summary> out = new ArrayList<>();
    groups.forEach((k, rs) -> {
      long c50 = 0;
      long c90 = 0;
      long c99 = 0;
      double loss = 0;
      double actual = 0;
      for (Residual r : rs) {
        c50 += QuantileScore.covers(r.p50(), r.actual()) ? 1 : 0;
        c90 += QuantileScore.covers(r.p90(), r.actual()) ? 1 : 0;
        c99 += QuantileScore.covers(r.p99(), r.actual()) ? 1 : 0;
        loss += QuantileScore.pinball(0.9, r.p90(), r.actual());
        actual += r.actual();
      }
      double n = rs.size();
      out.add(new Summary(k.get(0), k.get(1), k.get(2), rs.size(), c50 / n, c90 / n, c99 / n, loss / n,
          actual / n));
    });
    return out;
  }
}
