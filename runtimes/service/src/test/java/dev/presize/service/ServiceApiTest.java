package dev.presize.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint over real HTTP on loopback, against a real registry with trained models. */
class ServiceApiTest {

  static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir
  static Path root;
  static ServiceFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = new ServiceFixture(root, 4, 64);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return MAPPER.readTree(r.body());
  }

  @Test
  @DisplayName("POST /v1/forecast: a batch gets one forecast per row, named by model and version, with unique ids")
  void forecastBatch() throws Exception {
    HttpResponse<String> r = fx.post("/v1/forecast", ServiceFixture.forecastBody("svc", 5));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode j = json(r);
    assertThat(j.get("model").asText()).isEqualTo("svc");
    assertThat(j.get("version").asText()).isIn("v1", "v2");
    assertThat(j.get("featureSchema").asText()).isEqualTo("presize-features/test-8");
    assertThat(j.get("units").get("cpu").asText()).isEqualTo("cores");
    assertThat(j.get("forecasts")).hasSize(5);
    Set<String> ids = new HashSet<>();
    for (JsonNode f : j.get("forecasts")) {
      ids.add(f.get("id").asText());
      for (String target : List.of("memory", "cpu")) {
        JsonNode q = f.get("targets").get(target);
        assertThat(q.get("p50").asDouble()).isPositive();
        assertThat(q.get("p90").asDouble()).isGreaterThanOrEqualTo(q.get("p50").asDouble());
        assertThat(q.get("p99").asDouble()).isGreaterThanOrEqualTo(q.get("p90").asDouble());
      }
    }
    assertThat(ids).hasSize(5);
    assertThat(j.get("forecasts").get(3).get("function").asText()).isEqualTo("fn-3");
  }

  @Test
  @DisplayName("POST /v1/forecast: malformed input is a 400 naming the field; unknown model 404")
  void forecastRefusals() throws Exception {
    assertRefused(fx.post("/v1/forecast", "{\"model\": \"svc\", \"rows\": ["), 400, "malformed JSON");
    assertRefused(fx.post("/v1/forecast", "[1,2]"), 400, "must be a JSON object");
    assertRefused(fx.post("/v1/forecast", "{\"rows\": [{\"function\": \"f\", \"features\": [1]}]}"), 400,
        "model is required");
    assertRefused(fx.post("/v1/forecast", "{\"model\": 3}"), 400, "model must be a string, found a number");
    assertRefused(fx.post("/v1/forecast", "{\"model\": \"svc\", \"rows\": []}"), 400, "rows is required");
    String good = "[1,2,3,4,5,6,7,8]";
    assertRefused(fx.post("/v1/forecast", "{\"model\": \"svc\", \"rows\": [{\"function\": \"a\", \"features\": "
        + good + "}, {\"function\": \"b\", \"features\": [1,2,3]}]}"), 400,
        "rows[1].features has 3 values, the model's schema 'presize-features/test-8' needs 8");
    assertRefused(fx.post("/v1/forecast", "{\"model\": \"svc\", \"rows\": [{\"function\": \"a\", \"features\": "
        + "[1, 2, \"x\"]}]}"), 400, "rows[0].features[2] must be a number or null, found a string");
    assertRefused(fx.post("/v1/forecast", "{\"model\": \"svc\", \"rows\": [{\"features\": " + good + "}]}"), 400,
        "rows[0].function is required");
    assertRefused(fx.post("/v1/forecast", "{\"model\": \"svc\", \"rows\": [{\"function\": \"a\"}]}"), 400,
        "rows[0].features is required");
    assertRefused(fx.post("/v1/forecast", "{\"model\": \"svc\", \"featureSchema\": \"presize-features/9-x\", "
        + "\"rows\": [{\"function\": \"a\", \"features\": " + good + "}]}"), 400,
        "featureSchema 'presize-features/9-x' does not match model svc");
    assertRefused(fx.post("/v1/forecast", ServiceFixture.forecastBody("nope", 1)), 404,
        "unknown model 'nope'; models in service: [svc]");
    assertRefused(fx.post("/v1/forecast", ServiceFixture.forecastBody("idle", 1)), 404, "none is current");
    assertRefused(fx.post("/v1/forecast", ServiceFixture.forecastBody("svc", 1025)), 400,
        "rows has more than 1024 rows");
    assertRefused(fx.get("/v1/forecast"), 405, "use POST");
    assertRefused(fx.get("/v2/nothing"), 404, "no endpoint GET /v2/nothing");
    // A missing feature (null) is allowed: NaN goes down the trees' default branches.
    HttpResponse<String> r = fx.post("/v1/forecast", "{\"model\": \"svc\", \"rows\": [{\"function\": \"a\", "
        + "\"features\": [1e8, 1, null, 2, 3, 4, 5, 6]}]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  static void assertRefused(HttpResponse<String> r, int status, String message) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(json(r).get("error").asText()).contains(message);
  }

  @Test
  @DisplayName("POST /v1/feedback: stored as a residual line (fsync'd), counted in coverage; unknown id is 404")
  void feedback() throws Exception {
    JsonNode f = json(fx.post("/v1/forecast", ServiceFixture.forecastBody("svc", 2)));
    String id0 = f.get("forecasts").get(0).get("id").asText();
    String id1 = f.get("forecasts").get(1).get("id").asText();
    double p90 = f.get("forecasts").get(0).get("targets").get("memory").get("p90").asDouble();

    HttpResponse<String> r = fx.post("/v1/feedback", "{\"forecastId\": \"" + id0 + "\", \"actual\": {\"memory\": "
        + (p90 * 0.5) + ", \"cpu\": 1e9}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode covered = json(r).get("covered");
    assertThat(covered.get("memory").get("p90").asBoolean()).isTrue();
    assertThat(covered.get("cpu").get("p99").asBoolean()).isFalse();
    List<String> lines = Files.readAllLines(fx.config.dataDir().resolve(FeedbackLog.FILE));
    JsonNode line = MAPPER.readTree(lines.stream().filter(l -> l.contains(id0)).findFirst().orElseThrow());
    assertThat(line.get("model").asText()).isEqualTo("svc");
    assertThat(line.get("function").asText()).isEqualTo("fn-0");
    assertThat(line.get("targets").get("memory").get("actual").asDouble()).isEqualTo(p90 * 0.5);
    assertThat(line.get("targets").get("memory").get("p90").asDouble()).isEqualTo(p90);

    assertRefused(fx.post("/v1/feedback", "{\"forecastId\": \"" + id0 + "\", \"actual\": {\"memory\": 1}}"), 404,
        "already answered");
    assertRefused(fx.post("/v1/feedback", "{\"forecastId\": \"nope-1\", \"actual\": {\"memory\": 1}}"), 404,
        "unknown forecast id 'nope-1'");
    assertRefused(fx.post("/v1/feedback", "{\"forecastId\": \"" + id1 + "\", \"actual\": {\"gpu\": 1}}"), 400,
        "actual.gpu is not a target of forecast");
    assertRefused(fx.post("/v1/feedback", "{\"forecastId\": \"" + id1 + "\", \"actual\": {\"cpu\": -1}}"), 400,
        "actual.cpu must be finite and >= 0");
    assertRefused(fx.post("/v1/feedback", "{\"actual\": {\"cpu\": 1}}"), 400, "forecastId is required");
    assertRefused(fx.post("/v1/feedback", "{\"forecastId\": \"" + id1 + "\"}"), 400, "actual is required");
    // id1 was not consumed by the refused requests.
    assertThat(fx.post("/v1/feedback", "{\"forecastId\": \"" + id1 + "\", \"actual\": {\"cpu\": 0}}").statusCode())
        .isEqualTo(200);

    String metrics = fx.get("/metrics").body();
    assertThat(metrics).containsPattern(
        "presize_feedback_observations_total\\{model=\"svc\",version=\"v[12]\",target=\"memory\",quantile=\"p90\"} \\d+");
    assertThat(metrics).contains("presize_forecast_coverage_ratio{model=\"svc\"");
    assertThat(metrics).containsPattern("target=\"cpu\",quantile=\"p99\"} 0\\.5");
  }

  @Test
  @DisplayName("GET /v1/models lists names, current versions and states; /healthz and /metrics answer")
  void modelsHealthMetrics() throws Exception {
    HttpResponse<String> r = fx.get("/v1/models");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode models = json(r).get("models");
    assertThat(models).hasSize(2);
    JsonNode idle = models.get(0);
    assertThat(idle.get("name").asText()).isEqualTo("idle");
    assertThat(idle.get("current").isNull()).isTrue();
    assertThat(idle.get("versions").get(0).get("state").asText()).isEqualTo("candidate");
    JsonNode svc = models.get(1);
    assertThat(svc.get("versions")).hasSize(2);
    assertThat(svc.get("versions").get(0).get("featureSchemaId").asText()).isEqualTo("presize-features/test-8");

    JsonNode health = json(fx.get("/healthz"));
    assertThat(health.get("status").asText()).isEqualTo("ok");
    assertThat(health.get("models").has("svc")).isTrue();

    fx.post("/v1/forecast", ServiceFixture.forecastBody("svc", 1));
    HttpResponse<String> m = fx.get("/metrics");
    assertThat(m.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(m.body()).containsPattern("presize_http_requests_total\\{endpoint=\"/v1/forecast\",status=\"200\"} \\d+");
    assertThat(m.body()).contains("presize_http_request_seconds_bucket{endpoint=\"/v1/forecast\",le=\"0.01\"}");
    assertThat(m.body()).contains("presize_http_request_seconds_count{endpoint=\"/v1/forecast\"}");
    assertThat(m.body()).containsPattern("presize_model_version\\{model=\"svc\",version=\"v(\\d)\"} \\1");
    assertThat(m.body()).containsPattern("presize_forecasts_total\\{model=\"svc\",version=\"v[12]\"} \\d+");
  }
}
