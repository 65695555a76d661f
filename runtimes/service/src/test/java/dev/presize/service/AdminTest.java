package dev.presize.service;

import static dev.presize.service.ServiceApiTest.assertRefused;
import static dev.presize.service.ServiceApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Promote and rollback: bearer token (401 missing, 403 wrong), registry refusals, immediate switch. */
class AdminTest {

  @TempDir
  Path root;

  @Test
  @DisplayName("promote/rollback need the bearer token; with it the new version serves the next request")
  void promoteRollback() throws Exception {
    try (ServiceFixture fx = new ServiceFixture(root, 2, 16)) {
      String v2 = "{\"version\": \"v2\"}";
      HttpResponse<String> missing = fx.post("/v1/models/svc/promote", v2);
      assertRefused(missing, 401, "missing bearer token");
      assertThat(missing.headers().firstValue("WWW-Authenticate")).isPresent();
      assertRefused(fx.post("/v1/models/svc/promote", v2, "wrong-token"), 403, "wrong bearer token");
      assertRefused(fx.post("/v1/models/svc/promote", v2, ServiceFixture.TOKEN + "x"), 403, "wrong bearer token");
      assertThat(json(fx.post("/v1/forecast", ServiceFixture.forecastBody("svc", 1))).get("version").asText())
          .isEqualTo("v1");

      HttpResponse<String> ok = fx.post("/v1/models/svc/promote", v2, ServiceFixture.TOKEN);
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      assertThat(json(ok).get("current").asText()).isEqualTo("v2");
      assertThat(json(ok).get("previous").asText()).isEqualTo("v1");
      assertThat(json(ok).get("inService").asText()).isEqualTo("v2");
      assertThat(json(fx.post("/v1/forecast", ServiceFixture.forecastBody("svc", 1))).get("version").asText())
          .isEqualTo("v2");

      assertRefused(fx.post("/v1/models/svc/promote", v2, ServiceFixture.TOKEN), 409, "v2");
      assertRefused(fx.post("/v1/models/svc/promote", "{\"version\": \"v9\"}", ServiceFixture.TOKEN), 404, "v9");
      assertRefused(fx.post("/v1/models/svc/promote", "{\"version\": \"9\"}", ServiceFixture.TOKEN), 400,
          "bad model version '9'");
      assertRefused(fx.post("/v1/models/svc/promote", "{}", ServiceFixture.TOKEN), 400, "version is required");
      assertRefused(fx.post("/v1/models/nope/promote", v2, ServiceFixture.TOKEN), 404, "nope");

      HttpResponse<String> back = fx.post("/v1/models/svc/rollback", "", ServiceFixture.TOKEN);
      assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
      assertThat(json(back).get("current").asText()).isEqualTo("v1");
      assertThat(json(fx.post("/v1/forecast", ServiceFixture.forecastBody("svc", 1))).get("version").asText())
          .isEqualTo("v1");
      assertRefused(fx.post("/v1/models/svc/rollback", "", null), 401, "missing bearer token");
      assertThat(fx.get("/v1/models").body()).contains("\"retired\"");
    }
  }
}
