package dev.presize.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presize.core.predict.FallbackPredictor;
import dev.presize.core.predict.PredictorConfig;
import dev.presize.core.predict.RemotePredictor;
import dev.presize.core.predict.TestModels;
import dev.presize.spi.PresizeException;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.predict.PredictionRequest;
import dev.presize.spi.predict.Predictor;
import dev.presize.spi.predict.PredictorProvider;
import dev.presize.spi.resources.Forecast;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core's remote predictor and fallback chain against the real service. */
class RemotePredictorTest {

  @TempDir
  Path root;

  @Test
  @DisplayName("remote: the service's forecast in SPI units (CPU millicores), named by model and version")
  void remoteAgainstService() throws Exception {
    try (ServiceFixture fx = new ServiceFixture(root, 2, 16)) {
      PredictorConfig c = PredictorConfig.from(ConfigProperties.of(Map.of(PredictorConfig.SERVICE_URL,
          "http://127.0.0.1:" + fx.service.port(), PredictorConfig.MODEL, "svc",
          PredictorConfig.REQUEST_TIMEOUT, "2s")));
      float[] row = TestModels.row(0);
      try (RemotePredictor p = RemotePredictor.create(c)) {
        Forecast f = p.forecast(new PredictionRequest("fn-0", TestModels.SCHEMA, row, Instant.EPOCH));
        assertThat(f.modelName()).isEqualTo("svc");
        assertThat(f.modelVersion()).isEqualTo("v1");
        assertThat(p.featureSchemaId()).isEqualTo(TestModels.SCHEMA);
        JsonNode direct = new ObjectMapper().readTree(fx.post("/v1/forecast", ServiceFixture.forecastBody("svc", 1))
            .body()).get("forecasts").get(0).get("targets");
        assertThat(f.cpu().p50()).isCloseTo(direct.get("cpu").get("p50").asDouble() * 1000,
            org.assertj.core.data.Offset.offset(1e-6));
        assertThat(f.memory().p99()).isEqualTo(direct.get("memory").get("p99").asDouble());

        assertThatThrownBy(() -> p.forecast(new PredictionRequest("fn", "presize-features/other", row, Instant.EPOCH)))
            .isInstanceOf(PresizeException.class).hasMessageContaining("HTTP 400")
            .hasMessageContaining("presize-features/other");
      }

      // The fallback chain (remote, then embedded over the same registry): service up -> remote answers ...
      ConfigProperties chain = ConfigProperties.of(Map.of(PredictorConfig.SERVICE_URL,
          "http://127.0.0.1:" + fx.service.port(), PredictorConfig.MODEL, "svc", PredictorConfig.REGISTRY_DIR,
          fx.config.registry().toString(), PredictorConfig.REQUEST_TIMEOUT, "2s"));
      ProviderContext ctx = ProviderContext.of(chain);
      ProviderRegistry<PredictorProvider> providers = ProviderRegistry.load(PredictorProvider.class);
      try (Predictor p = providers.select(Optional.empty(), x -> x.probe(ctx)).provider().create(ctx)) {
        assertThat(p).isInstanceOf(FallbackPredictor.class);
        assertThat(p.forecast(new PredictionRequest("fn", TestModels.SCHEMA, row, Instant.EPOCH)).modelVersion())
            .isEqualTo("v1");
        // ... service down -> the embedded link answers with the same model version.
        fx.service.close();
        Forecast f = p.forecast(new PredictionRequest("fn", TestModels.SCHEMA, row, Instant.EPOCH));
        assertThat(f.modelName()).isEqualTo("svc");
        assertThat(f.modelVersion()).isEqualTo("v1");
      }
    }
  }

  @Test
  @DisplayName("remote: the step is part of the contract; the first answer's is kept, and a model of another step is"
      + " refused (its forecast fails, for the fallback chain)")
  void stepKept() throws Exception {
    try (ServiceFixture fx = new ServiceFixture(root, 2, 16)) {
      String url = "http://127.0.0.1:" + fx.service.port();
      PredictionRequest request = new PredictionRequest("fn", TestModels.SCHEMA, TestModels.row(2), Instant.EPOCH);
      try (RemotePredictor p = RemotePredictor.create(PredictorConfig.from(ConfigProperties.of(Map.of(
          PredictorConfig.SERVICE_URL, url, PredictorConfig.MODEL, "svc", PredictorConfig.REQUEST_TIMEOUT, "2s"))))) {
        assertThat(p.step()).isEmpty();
        p.forecast(request);
        assertThat(p.step()).contains(java.time.Duration.ofSeconds(1)); // the test model's stepMillis
      }
      try (RemotePredictor p = RemotePredictor.create(PredictorConfig.from(ConfigProperties.of(Map.of(
          PredictorConfig.SERVICE_URL, url, PredictorConfig.MODEL, "svc", PredictorConfig.REQUEST_TIMEOUT, "2s",
          PredictorConfig.STEP, "100ms"))))) {
        assertThatThrownBy(() -> p.forecast(request)).isInstanceOf(PresizeException.class)
            .hasMessageContaining("svc v1").hasMessageContaining("1000 ms").hasMessageContaining("every 100 ms")
            .hasMessageContaining(url);
        assertThat(p.step()).contains(java.time.Duration.ofMillis(100));
      }
    }
  }

  @Test
  @DisplayName("remote: an unknown model is a PresizeException carrying the service's 404 message")
  void unknownModel() throws Exception {
    try (ServiceFixture fx = new ServiceFixture(root, 2, 16);
         RemotePredictor p = RemotePredictor.create(PredictorConfig.from(ConfigProperties.of(Map.of(
             PredictorConfig.SERVICE_URL, "http://127.0.0.1:" + fx.service.port(), PredictorConfig.MODEL, "nope",
             PredictorConfig.REQUEST_TIMEOUT, "2s"))))) {
      assertThatThrownBy(() -> p.forecast(new PredictionRequest("fn", TestModels.SCHEMA, TestModels.row(1),
          Instant.EPOCH))).isInstanceOf(PresizeException.class).hasMessageContaining("HTTP 404")
          .hasMessageContaining("unknown model 'nope'");
    }
  }
}
