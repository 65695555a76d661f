package dev.presize.core.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.core.registry.FileSystemModelRegistry;
import dev.presize.core.registry.ModelChecksums;
import dev.presize.core.registry.Version;
import dev.presize.spi.PresizeException;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.Ticker;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.config.ConfigurationException;
import dev.presize.spi.predict.PredictionRequest;
import dev.presize.spi.predict.Predictor;
import dev.presize.spi.predict.PredictorProvider;
import dev.presize.spi.resources.Forecast;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded predictor and the fallback chain over real trained models in a real filesystem registry. */
class PredictorsTest {

  static final Instant AT = Instant.parse("2026-11-24T05:00:00Z");

  @TempDir
  static Path shared;
  static Path v1Dir;
  static Path v2Dir;

  @TempDir
  Path dir;

  @BeforeAll
  static void train() throws IOException {
    v1Dir = TestModels.write(shared.resolve("m1"), "svc", 1.1);
    v2Dir = TestModels.write(shared.resolve("m2"), "svc", 2.0);
  }

  static PredictionRequest request(String function, String schema) {
    return new PredictionRequest(function, schema, TestModels.row(7), AT);
  }

  FileSystemModelRegistry registryWithV1() {
    FileSystemModelRegistry registry = new FileSystemModelRegistry(dir.resolve("registry"));
    registry.publish("svc", v1Dir);
    registry.publish("svc", v2Dir);
    registry.promote("svc", new Version(1));
    return registry;
  }

  ConfigProperties config(Map<String, String> extra) {
    return ConfigProperties.of(Map.of(PredictorConfig.REGISTRY_DIR, dir.resolve("registry").toString(),
        PredictorConfig.MODEL, "svc", PredictorConfig.RELOAD_INTERVAL, "20ms")).with(extra);
  }

  @Test
  @DisplayName("embedded: forecasts carry the model name and version, in SPI units, and follow a promotion")
  void embeddedFollowsRegistry() throws Exception {
    FileSystemModelRegistry registry = registryWithV1();
    try (EmbeddedPredictor p = EmbeddedPredictor.create(PredictorConfig.from(config(Map.of())), Ticker.system())) {
      Forecast f = p.forecast(request("fn-a", TestModels.SCHEMA));
      assertThat(f.modelName()).isEqualTo("svc");
      assertThat(f.modelVersion()).isEqualTo("v1");
      assertThat(f.functionId()).isEqualTo("fn-a");
      assertThat(f.horizon()).isEqualTo(Duration.ofSeconds(1));
      // memory.level of row(7) is 64..320 MiB, the model forecasts ~1.1x of it; CPU is in millicores.
      assertThat(f.memory().p50()).isBetween(32.0 * (1 << 20), 800.0 * (1 << 20));
      assertThat(f.cpu().p50()).isBetween(50.0, 10_000.0);
      assertThat(p.featureSchemaId()).isEqualTo(TestModels.SCHEMA);

      registry.promote("svc", new Version(2));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!p.forecast(request("fn-a", TestModels.SCHEMA)).modelVersion().equals("v2")
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      Forecast g = p.forecast(request("fn-a", TestModels.SCHEMA));
      assertThat(g.modelVersion()).isEqualTo("v2");
      assertThat(g.memory().p50()).isGreaterThan(f.memory().p50());
    }
  }

  @Test
  @DisplayName("embedded: a promoted version trained at another step is not swapped in (the caller's features are"
      + " computed at the first one's step); a later version at the same step is")
  void embeddedKeepsItsStep() throws Exception {
    FileSystemModelRegistry registry = registryWithV1();
    Path otherStep = shared.resolve("m-100ms");
    if (!Files.exists(otherStep)) {
      TestModels.write(otherStep, "svc", 3.0);
      Path metadata = otherStep.resolve("metadata.json");
      Files.writeString(metadata, Files.readString(metadata).replace("\"stepMillis\": 1000",
          "\"stepMillis\": 100"));
      ModelChecksums.write(otherStep);
    }
    Version v3 = registry.publish("svc", otherStep).version();
    try (EmbeddedPredictor p = EmbeddedPredictor.create(PredictorConfig.from(config(Map.of())), Ticker.system())) {
      assertThat(p.forecast(request("fn", TestModels.SCHEMA)).modelVersion()).isEqualTo("v1");
      registry.promote("svc", v3);
      Thread.sleep(500); // 25 reload intervals
      assertThat(p.forecast(request("fn", TestModels.SCHEMA)).modelVersion()).as("v3 is at 100 ms, v1 at 1 s")
          .isEqualTo("v1");
      registry.promote("svc", new Version(2));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!p.forecast(request("fn", TestModels.SCHEMA)).modelVersion().equals("v2")
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(p.forecast(request("fn", TestModels.SCHEMA)).modelVersion()).isEqualTo("v2");
    }
  }

  @Test
  @DisplayName("embedded: a row of another feature schema is refused naming both schema ids")
  void embeddedRefusesSchema() throws Exception {
    try (Predictor p = EmbeddedPredictor.ofDirectory("svc", v1Dir, Optional.empty())) {
      assertThat(p.forecast(request("fn", TestModels.SCHEMA)).modelVersion()).startsWith("dir-");
      assertThatThrownBy(() -> p.forecast(request("fn", "presize-features/other")))
          .isInstanceOf(PresizeException.class)
          .hasMessageContaining("presize-features/other").hasMessageContaining(TestModels.SCHEMA);
    }
    assertThatThrownBy(() -> EmbeddedPredictor.ofDirectory("svc", v1Dir, Optional.of("presize-features/other")))
        .isInstanceOf(PresizeException.class).hasMessageContaining("presize-features/other");
    // No name set (the default): the directory's own name, as feedback records then show it.
    try (Predictor p = EmbeddedPredictor.ofDirectory(PredictorConfig.defaults().model(), v1Dir, Optional.empty())) {
      assertThat(p.forecast(request("fn", TestModels.SCHEMA)).modelName()).isEqualTo("svc");
    }
    try (Predictor p = EmbeddedPredictor.ofDirectory("mine", v1Dir, Optional.empty())) {
      assertThat(p.forecast(request("fn", TestModels.SCHEMA)).modelName()).isEqualTo("mine");
    }
  }

  @Test
  @DisplayName("embedded: a registry with nothing promoted is an error saying to promote")
  void embeddedNeedsCurrent() {
    FileSystemModelRegistry registry = new FileSystemModelRegistry(dir.resolve("registry"));
    registry.publish("svc", v1Dir);
    assertThatThrownBy(() -> EmbeddedPredictor.create(PredictorConfig.from(config(Map.of())), Ticker.system()))
        .isInstanceOf(PresizeException.class).hasMessageContaining("promote");
  }

  @Test
  @DisplayName("fallback: remote down -> embedded answers; all down -> last good forecast widened x margin")
  void fallbackChain() throws Exception {
    registryWithV1();
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    AtomicLong nanos = new AtomicLong();
    ConfigProperties c = config(Map.of(PredictorConfig.SERVICE_URL, "http://127.0.0.1:" + closedPort,
        PredictorConfig.MARGIN, "1.5", PredictorConfig.LAST_GOOD_MAX_AGE, "10s"));
    ProviderRegistry<PredictorProvider> providers = ProviderRegistry.load(PredictorProvider.class);
    ProviderContext context = new ProviderContext(c, nanos::get);
    PredictorProvider chosen = providers.select(Optional.empty(), p -> p.probe(context)).provider();
    assertThat(chosen.name()).isEqualTo("fallback");
    try (Predictor p = chosen.create(context)) {
      Forecast good = p.forecast(request("fn-b", TestModels.SCHEMA));
      assertThat(good.modelName()).isEqualTo("svc");
      assertThat(good.modelVersion()).isEqualTo("v1");

      // A row both links refuse (remote: connection refused; embedded: schema) -> the last good one, widened.
      nanos.addAndGet(Duration.ofSeconds(5).toNanos());
      Forecast widened = p.forecast(request("fn-b", "presize-features/other"));
      assertThat(widened.modelName()).isEqualTo(FallbackPredictor.FALLBACK_MODEL);
      assertThat(widened.modelVersion()).isEqualTo("svc/v1x1.5");
      assertThat(widened.memory().p99()).isCloseTo(good.memory().p99() * 1.5, org.assertj.core.data.Offset.offset(1.0));
      assertThat(widened.cpu().p50()).isCloseTo(good.cpu().p50() * 1.5, org.assertj.core.data.Offset.offset(1e-6));

      // Too old: no stand-in, an error naming every link.
      nanos.addAndGet(Duration.ofSeconds(6).toNanos());
      assertThatThrownBy(() -> p.forecast(request("fn-b", "presize-features/other")))
          .isInstanceOf(PresizeException.class).hasMessageContaining("remote, embedded")
          .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
      // Another function never had a good forecast.
      assertThatThrownBy(() -> p.forecast(request("fn-c", "presize-features/other")))
          .hasMessageContaining("no last good forecast");
    }
  }

  @Test
  @DisplayName("providers: explicit name wins; none configured is an error saying what to set")
  void providerSelection() {
    registryWithV1();
    ProviderRegistry<PredictorProvider> providers = ProviderRegistry.load(PredictorProvider.class);
    assertThat(providers.all()).extracting(PredictorProvider::name)
        .containsExactly("fallback", "remote", "embedded");
    ProviderContext ctx = ProviderContext.of(config(Map.of(PredictorConfig.NAME, "embedded")));
    assertThat(providers.select(PredictorConfig.from(ctx.config()).name(), p -> p.probe(ctx)).provider().name())
        .isEqualTo("embedded");
    ProviderContext none = ProviderContext.of(ConfigProperties.empty());
    assertThatThrownBy(() -> providers.select(Optional.empty(), p -> p.probe(none)))
        .isInstanceOf(PresizeException.class).hasMessageContaining(PredictorConfig.SERVICE_URL)
        .hasMessageContaining(PredictorConfig.MODEL_DIR);
  }

  @Test
  @DisplayName("config: defaults in one place; bad values name key=value")
  void config() {
    PredictorConfig d = PredictorConfig.from(ConfigProperties.empty());
    assertThat(d).isEqualTo(PredictorConfig.defaults());
    assertThat(d.margin()).isEqualTo(1.5);
    assertThat(d.requestTimeout()).isEqualTo(Duration.ofMillis(100));
    PredictorConfig c = PredictorConfig.from(ConfigProperties.of(Map.of(PredictorConfig.SERVICE_URL,
        "http://svc:8080/", PredictorConfig.REQUEST_TIMEOUT, "40ms", PredictorConfig.MARGIN, "x2")));
    assertThat(c.serviceUrl()).hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("http://svc:8080"));
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofMillis(40));
    assertThat(c.margin()).isEqualTo(2.0);
    assertThat(c.step()).isEmpty();
    assertThat(PredictorConfig.from(ConfigProperties.of(Map.of(PredictorConfig.STEP, "100ms"))).step())
        .contains(Duration.ofMillis(100));
    assertThatThrownBy(() -> PredictorConfig.from(ConfigProperties.of(Map.of(PredictorConfig.STEP, "0ms"))))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining(PredictorConfig.STEP);
    assertThatThrownBy(() -> PredictorConfig.from(ConfigProperties.of(Map.of(PredictorConfig.REQUEST_TIMEOUT, "40"))))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("presize.predictor.service.request-timeout=40");
    assertThatThrownBy(() -> PredictorConfig.from(ConfigProperties.of(Map.of(PredictorConfig.MARGIN, "0.5"))))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("margin");
    assertThatThrownBy(() -> PredictorConfig.from(ConfigProperties.of(Map.of(PredictorConfig.SERVICE_URL, "ftp://x"))))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("ftp://x");
  }

  @Test
  @DisplayName("remote: the request JSON writes NaN as null and quotes names")
  void remoteRequestBody() {
    float[] f = {1.5f, Float.NaN};
    String body = RemotePredictor.requestBody("m\"x", new PredictionRequest("fn", "s", f, AT));
    assertThat(body).isEqualTo("{\"model\":\"m\\\"x\",\"featureSchema\":\"s\",\"rows\":[{\"function\":\"fn\","
        + "\"features\":[1.5,null]}]}");
    assertThat(dev.presize.core.json.Json.parse(body)).isInstanceOf(Map.class);
    assertThat(((Map<?, ?>) dev.presize.core.json.Json.parse(body)).get("rows")).isInstanceOf(List.class);
  }
}
