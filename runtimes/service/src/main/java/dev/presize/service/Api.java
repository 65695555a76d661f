package dev.presize.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.presize.core.registry.ModelSummary;
import dev.presize.core.registry.ModelVersion;
import dev.presize.core.registry.Promotion;
import dev.presize.core.registry.RegistryException;
import dev.presize.core.registry.Version;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP API of the prediction service (docs/api.md): one handler routing by method and path. Every refusal is
 * a JSON {@code {"error": "..."}} naming the field or resource; an unexpected failure is a 500 that is logged.
 * When the worker pool is saturated the server runs this handler on its refusal pool with the {@link #overloaded}
 * flag set, and it answers 429 at once without reading the body.
 */
final class Api implements HttpHandler {

  private static final System.Logger LOG = System.getLogger(Api.class.getName());
  private static final byte[] JSON = "application/json".getBytes(StandardCharsets.US_ASCII);

  /** A forecast issued and waiting for its feedback. Arrays are shared with the model's labels, never written. */
  record Issued(String function, String model, String version, String[] targets, String[] quantiles,
      double[] values, long issuedAtMillis) {}

  final ThreadLocal<Boolean> overloaded = ThreadLocal.withInitial(() -> Boolean.FALSE);
  final ThreadLocal<Boolean> shuttingDown = ThreadLocal.withInitial(() -> Boolean.FALSE);

  private final ServiceConfig config;
  private final Models models;
  private final Metrics metrics;
  private final FeedbackLog feedback;
  private final Optional<byte[]> token;
  private final JsonFactory json = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
  private final Cache<String, Issued> issued;
  private final String idPrefix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private final AtomicLong idCounter = new AtomicLong();

  Api(ServiceConfig config, Models models, Metrics metrics, FeedbackLog feedback, Optional<byte[]> token) {
    this.config = config;
    this.models = models;
    this.metrics = metrics;
    this.feedback = feedback;
    this.token = token;
    this.issued = Caffeine.newBuilder().maximumSize(config.forecastCacheSize())
        .expireAfterWrite(config.forecastTtl()).build();
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    long start = System.nanoTime();
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    String endpoint = endpoint(path);
    int status;
    try {
      if (overloaded.get()) {
        metrics.overloaded();
        ex.getResponseHeaders().set("Retry-After", "1");
        status = shuttingDown.get() ? 503 : 429;
        error(ex, status, shuttingDown.get() ? "the service is shutting down"
            : "overloaded: every worker is busy and the queue is full; retry after 1 s");
      } else {
        status = route(ex, method, path, endpoint);
      }
    } catch (HttpError e) {
      status = e.status();
      error(ex, status, e.getMessage());
    } catch (RuntimeException e) {
      status = 500;
      LOG.log(Level.ERROR, "endpoint=" + endpoint + " failed: " + e, e);
      error(ex, status, "internal error: " + e);
    } finally {
      ex.close();
    }
    metrics.request(endpoint, status, System.nanoTime() - start);
  }

  static String endpoint(String path) {
    return switch (path) {
      case "/v1/forecast", "/v1/feedback", "/v1/models", "/metrics", "/healthz" -> path;
      default -> {
        if (path.startsWith("/v1/models/") && path.endsWith("/promote")) {
          yield "/v1/models/{name}/promote";
        }
        if (path.startsWith("/v1/models/") && path.endsWith("/rollback")) {
          yield "/v1/models/{name}/rollback";
        }
        yield "other";
      }
    };
  }

  private int route(HttpExchange ex, String method, String path, String endpoint) throws IOException {
    switch (endpoint) {
      case "/v1/forecast" -> {
        allow(method, "POST");
        return send(ex, 200, forecast(body(ex)));
      }
      case "/v1/feedback" -> {
        allow(method, "POST");
        return send(ex, 200, feedback(body(ex)));
      }
      case "/v1/models" -> {
        allow(method, "GET");
        return send(ex, 200, listModels());
      }
      case "/v1/models/{name}/promote", "/v1/models/{name}/rollback" -> {
        allow(method, "POST");
        authorize(ex);
        String name = path.substring("/v1/models/".length(), path.lastIndexOf('/'));
        return send(ex, 200, endpoint.endsWith("promote") ? promote(name, body(ex)) : rollback(name));
      }
      case "/metrics" -> {
        allow(method, "GET");
        byte[] text = metrics.exposition().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        ex.sendResponseHeaders(200, text.length);
        ex.getResponseBody().write(text);
        return 200;
      }
      case "/healthz" -> {
        allow(method, "GET");
        return send(ex, 200, health());
      }
      default -> throw new HttpError(404, "no endpoint " + method + " " + path + "; see docs/api.md");
    }
  }

  private static void allow(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw new HttpError(405, "method " + method + " not allowed here; use " + allowed);
    }
  }

  // --- /v1/forecast

  private byte[] forecast(byte[] body) throws IOException {
    String model = null;
    String schema = null;
    String[] functions = new String[16];
    float[][] rows = new float[16][];
    int n = 0;
    boolean sawRows = false;
    try (JsonParser p = json.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new HttpError(400, "the body must be a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "model" -> model = string(p, t, "model");
          case "featureSchema" -> schema = string(p, t, "featureSchema");
          case "rows" -> {
            sawRows = true;
            if (t != JsonToken.START_ARRAY) {
              throw new HttpError(400, "rows must be an array of {\"function\", \"features\"} objects, found "
                  + describe(t));
            }
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
              if (n == config.maxRows()) {
                throw new HttpError(400, "rows has more than " + config.maxRows() + " rows; send at most "
                    + config.maxRows() + " per request (" + ServiceConfig.MAX_ROWS + ")");
              }
              if (n == rows.length) {
                rows = Arrays.copyOf(rows, n * 2);
                functions = Arrays.copyOf(functions, n * 2);
              }
              if (t != JsonToken.START_OBJECT) {
                throw new HttpError(400, "rows[" + n + "] must be an object, found " + describe(t));
              }
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if (f.equals("function")) {
                  functions[n] = string(p, v, "rows[" + n + "].function");
                } else if (f.equals("features")) {
                  rows[n] = floats(p, v, n, n == 0 || rows[n - 1] == null ? 128 : rows[n - 1].length);
                } else {
                  p.skipChildren(); // unknown fields are ignored (forward compatibility)
                }
              }
              if (functions[n] == null || functions[n].isBlank()) {
                throw new HttpError(400, "rows[" + n + "].function is required (the function id)");
              }
              if (rows[n] == null) {
                throw new HttpError(400, "rows[" + n + "].features is required (an array of numbers)");
              }
              n++;
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw malformed(e);
    }
    if (model == null) {
      throw new HttpError(400, "model is required (a model name, see GET /v1/models)");
    }
    if (!sawRows || n == 0) {
      throw new HttpError(400, "rows is required and must not be empty");
    }
    Models.Served served = served(model);
    var m = served.model();
    if (schema != null && !schema.equals(m.featureSchemaId())) {
      throw new HttpError(400, "featureSchema '" + schema + "' does not match model " + model + " "
          + m.version() + ", trained on feature schema '" + m.featureSchemaId() + "'");
    }
    int features = m.featureCount();
    for (int i = 0; i < n; i++) {
      if (rows[i].length != features) {
        throw new HttpError(400, "rows[" + i + "].features has " + rows[i].length + " values, the model's schema '"
            + m.featureSchemaId() + "' needs " + features);
      }
    }

    int targets = m.targetCount();
    int nq = m.quantileCount();
    long now = System.currentTimeMillis();
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + n * (60 + targets * 70));
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", model);
      g.writeStringField("version", m.version());
      g.writeStringField("featureSchema", m.featureSchemaId());
      g.writeNumberField("horizonMillis", m.horizon().toMillis());
      g.writeNumberField("stepMillis", m.step().toMillis());
      g.writeObjectFieldStart("units");
      for (int t = 0; t < targets; t++) {
        g.writeStringField(served.targets()[t], served.units()[t]);
      }
      g.writeEndObject();
      g.writeObjectFieldStart("resources");
      for (int t = 0; t < targets; t++) {
        g.writeStringField(served.targets()[t], served.resources()[t]);
      }
      g.writeEndObject();
      g.writeArrayFieldStart("forecasts");
      double[] buf = new double[nq];
      for (int i = 0; i < n; i++) {
        double[] values = new double[targets * nq];
        String id = idPrefix + "-" + Long.toString(idCounter.incrementAndGet(), 36);
        g.writeStartObject();
        g.writeStringField("function", functions[i]);
        g.writeStringField("id", id);
        g.writeObjectFieldStart("targets");
        for (int t = 0; t < targets; t++) {
          m.target(t).predict(rows[i], buf);
          System.arraycopy(buf, 0, values, t * nq, nq);
          g.writeObjectFieldStart(served.targets()[t]);
          for (int k = 0; k < nq; k++) {
            g.writeFieldName(served.quantileLabels()[k]);
            if (Double.isFinite(buf[k])) {
              g.writeNumber(buf[k]);
            } else {
              g.writeNull(); // the target's reference feature is missing: no forecast
            }
          }
          g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
        issued.put(id, new Issued(functions[i], model, m.version(), served.targets(), served.quantileLabels(), values,
            now));
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    metrics.forecasts(model, m.version(), n);
    return out.toByteArray();
  }

  /** A row's features; {@code expected} sizes the array (the previous row's length: then no copy is needed). */
  private float[] floats(JsonParser p, JsonToken t, int row, int expected) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      throw new HttpError(400, "rows[" + row + "].features must be an array of numbers, found " + describe(t));
    }
    float[] f = new float[Math.max(1, expected)];
    int k = 0;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (k == f.length) {
        f = Arrays.copyOf(f, k * 2);
      }
      if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
        f[k++] = p.getFloatValue();
      } else if (t == JsonToken.VALUE_NULL) {
        f[k++] = Float.NaN; // missing
      } else {
        throw new HttpError(400, "rows[" + row + "].features[" + k + "] must be a number or null, found "
            + describe(t));
      }
    }
    return k == f.length ? f : Arrays.copyOf(f, k);
  }

  private Models.Served served(String model) {
    Models.Snapshot s = models.snapshot();
    Models.Served served = s.current().get(model);
    if (served == null) {
      Optional<ModelSummary> known = s.summaries().stream().filter(x -> x.name().equals(model)).findFirst();
      if (known.isPresent()) {
        throw new HttpError(404, "model '" + model + "' has " + known.get().versions() + " version(s) but none is"
            + " current; promote one (POST /v1/models/" + model + "/promote)");
      }
      throw new HttpError(404, "unknown model '" + model + "'; models in service: " + s.current().keySet().stream()
          .sorted().toList());
    }
    return served;
  }

  // --- /v1/feedback

  private byte[] feedback(byte[] body) throws IOException {
    String id = null;
    Map<String, Double> actual = null;
    String observedAt = null;
    try (JsonParser p = json.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new HttpError(400, "the body must be a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "forecastId" -> id = string(p, t, "forecastId");
          case "observedAt" -> observedAt = string(p, t, "observedAt");
          case "actual" -> {
            if (t != JsonToken.START_OBJECT) {
              throw new HttpError(400, "actual must be an object of target: number, found " + describe(t));
            }
            actual = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String target = p.currentName();
              JsonToken v = p.nextToken();
              if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new HttpError(400, "actual." + target + " must be a number, found " + describe(v));
              }
              double d = p.getDoubleValue();
              if (!Double.isFinite(d) || d < 0) {
                throw new HttpError(400, "actual." + target + " must be finite and >= 0, was " + d);
              }
              actual.put(target, d);
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw malformed(e);
    }
    if (id == null) {
      throw new HttpError(400, "forecastId is required (the id of a forecast from POST /v1/forecast)");
    }
    if (actual == null || actual.isEmpty()) {
      throw new HttpError(400, "actual is required: the observed need per target, e.g. {\"memory\": 1.2e8}");
    }
    Instant observed = Instant.now();
    if (observedAt != null) {
      try {
        observed = Instant.parse(observedAt);
      } catch (java.time.format.DateTimeParseException e) {
        throw new HttpError(400, "observedAt '" + observedAt + "' is not an ISO-8601 instant");
      }
    }
    Issued f = issued.getIfPresent(id);
    if (f == null) {
      throw new HttpError(404, "unknown forecast id '" + id + "': never issued by this service, older than "
          + config.forecastTtl() + ", or already answered");
    }
    List<String> targets = List.of(f.targets());
    for (String t : actual.keySet()) {
      if (!targets.contains(t)) {
        throw new HttpError(400, "actual." + t + " is not a target of forecast " + id + " (targets: " + targets + ")");
      }
    }
    if (!issued.asMap().remove(id, f)) {
      throw new HttpError(404, "forecast id '" + id + "' was answered by a concurrent feedback request");
    }

    int nq = f.quantiles().length;
    ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    ByteArrayOutputStream response = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(line); JsonGenerator r = json.createGenerator(response)) {
      g.writeStartObject();
      g.writeStringField("forecastId", id);
      g.writeStringField("function", f.function());
      g.writeStringField("model", f.model());
      g.writeStringField("version", f.version());
      g.writeStringField("issuedAt", Instant.ofEpochMilli(f.issuedAtMillis()).toString());
      g.writeStringField("observedAt", observed.toString());
      g.writeObjectFieldStart("targets");
      r.writeStartObject();
      r.writeStringField("forecastId", id);
      r.writeBooleanField("stored", true);
      r.writeObjectFieldStart("covered");
      for (Map.Entry<String, Double> e : actual.entrySet()) {
        int t = targets.indexOf(e.getKey());
        double a = e.getValue();
        g.writeObjectFieldStart(e.getKey());
        g.writeNumberField("actual", a);
        r.writeObjectFieldStart(e.getKey());
        for (int k = 0; k < nq; k++) {
          double q = f.values()[t * nq + k];
          String label = f.quantiles()[k];
          if (Double.isFinite(q)) {
            g.writeNumberField(label, q);
            boolean covered = a <= q;
            r.writeBooleanField(label, covered);
            metrics.coverage(f.model(), f.version(), e.getKey(), label, covered);
          } else {
            g.writeNullField(label);
            r.writeNullField(label);
          }
        }
        g.writeEndObject();
        r.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
      r.writeEndObject();
      r.writeEndObject();
    }
    CompletableFuture<Void> durable = feedback.append(line.toByteArray());
    if (durable == null) {
      issued.put(id, f); // not stored: the caller may retry
      throw new HttpError(429, "the feedback log's queue is full; retry later");
    }
    try {
      durable.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(503, "interrupted while storing feedback " + id);
    } catch (ExecutionException | TimeoutException e) {
      throw new HttpError(503, "feedback " + id + " could not be stored in " + feedback.file() + ": " + e);
    }
    return response.toByteArray();
  }

  // --- /v1/models

  private byte[] listModels() throws IOException {
    Models.Snapshot s = models.snapshot();
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("models");
      for (ModelSummary m : models.registry().list()) {
        g.writeStartObject();
        g.writeStringField("name", m.name());
        g.writeStringField("current", m.current().map(Version::toString).orElse(null));
        Models.Served inService = s.current().get(m.name());
        g.writeStringField("inService", inService == null ? null : inService.model().version());
        g.writeStringField("latest", m.latest().toString());
        g.writeArrayFieldStart("versions");
        for (ModelVersion v : models.registry().versions(m.name())) {
          g.writeStartObject();
          g.writeStringField("version", v.version().toString());
          g.writeStringField("state", v.state().label());
          g.writeStringField("submittedAt", v.submittedAt().toString());
          g.writeStringField("promotedAt", v.promotedAt().map(Instant::toString).orElse(null));
          g.writeStringField("reason", v.reason().orElse(null));
          g.writeStringField("featureSchemaId", v.model().featureSchemaId());
          g.writeStringField("createdAt", v.model().createdAt().toString());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (RegistryException e) {
      throw registryError(e);
    }
    return out.toByteArray();
  }

  private byte[] promote(String name, byte[] body) throws IOException {
    String version = null;
    try (JsonParser p = json.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new HttpError(400, "the body must be a JSON object {\"version\": \"vN\"}");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("version")) {
          version = string(p, t, "version");
        } else {
          p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw malformed(e);
    }
    if (version == null) {
      throw new HttpError(400, "version is required, e.g. {\"version\": \"v3\"}");
    }
    Version v;
    try {
      v = Version.parse(version);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "version: " + e.getMessage());
    }
    return promotion(name, "promote", () -> models.registry().promote(name, v));
  }

  private byte[] rollback(String name) throws IOException {
    return promotion(name, "rollback", () -> models.registry().rollback(name));
  }

  private byte[] promotion(String name, String op, java.util.function.Supplier<Promotion> action) throws IOException {
    Promotion done;
    try {
      done = action.get();
    } catch (RegistryException e) {
      throw registryError(e);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, e.getMessage());
    }
    LOG.log(Level.INFO, "op=" + op + " model=" + name + " current=" + done.current() + " previous="
        + done.previous().map(Version::toString).orElse("none"));
    models.refresh(); // serve the new version now rather than at the next poll (the swap is atomic)
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("name", done.name());
      g.writeStringField("current", done.current().toString());
      g.writeStringField("previous", done.previous().map(Version::toString).orElse(null));
      g.writeStringField("at", done.at().toString());
      Models.Served s = models.snapshot().current().get(name);
      g.writeStringField("inService", s == null ? null : s.model().version());
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private static HttpError registryError(RegistryException e) {
    int status = switch (e.problem()) {
      case NOT_FOUND -> 404;
      case STATE, DAMAGED, CONFLICT -> 409;
      case IO -> 500;
    };
    return new HttpError(status, e.getMessage());
  }

  private void authorize(HttpExchange ex) {
    if (token.isEmpty()) {
      throw new HttpError(403, "model changes are disabled: the service was started without a token file"
          + " (--token-file or " + ServiceConfig.TOKEN_FILE + ")");
    }
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"presize\"");
      throw new HttpError(401, "missing bearer token: send Authorization: Bearer <token>");
    }
    byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token.get())) { // constant time for equal lengths
      throw new HttpError(403, "wrong bearer token");
    }
  }

  // --- /healthz

  private byte[] health() throws IOException {
    Models.Snapshot s = models.snapshot();
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("status", "ok");
      g.writeObjectFieldStart("models");
      for (Map.Entry<String, Models.Served> e : new java.util.TreeMap<>(s.current()).entrySet()) {
        g.writeStringField(e.getKey(), e.getValue().model().version());
      }
      g.writeEndObject();
      g.writeStringField("lastError", s.lastError().orElse(null));
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  // --- plumbing

  private byte[] body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      long declared = contentLength(ex);
      if (declared > config.maxBodyBytes()) {
        throw new HttpError(413, "the body is larger than " + config.maxBodyBytes() + " bytes ("
            + ServiceConfig.MAX_BODY + ")");
      }
      if (declared >= 0) {
        // A fixed-length body (the server's stream ends there): read it into an array of its size at once.
        byte[] b = in.readNBytes((int) declared);
        if (b.length < declared) {
          throw new HttpError(400, "the body ends after " + b.length + " of its " + declared + " bytes");
        }
        return b;
      }
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxBodyBytes() + 1));
      if (b.length > config.maxBodyBytes()) {
        throw new HttpError(413, "the body is larger than " + config.maxBodyBytes() + " bytes ("
            + ServiceConfig.MAX_BODY + ")");
      }
      return b;
    }
  }

  /** The request's {@code Content-Length}, or -1 when it has none (a chunked body) or it is not a number. */
  private static long contentLength(HttpExchange ex) {
    String v = ex.getRequestHeaders().getFirst("Content-Length");
    if (v == null || v.isEmpty() || v.length() > 18) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private static String string(JsonParser p, JsonToken t, String field) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      throw new HttpError(400, field + " must be a string, found " + describe(t));
    }
    return p.getText();
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "the end of the body";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }

  private static HttpError malformed(JsonProcessingException e) {
    var loc = e.getLocation();
    String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    String what = e instanceof JsonEOFException ? "the body ends early" : e.getOriginalMessage();
    return new HttpError(400, "malformed JSON" + where + ": " + what);
  }

  private static int send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(body);
    }
    return status;
  }

  private static void error(HttpExchange ex, int status, String message) {
    StringBuilder sb = new StringBuilder("{\"error\":");
    quote(sb, message);
    byte[] body = sb.append("}").toString().getBytes(StandardCharsets.UTF_8);
    try {
      ex.getResponseHeaders().set("Content-Type", new String(JSON, StandardCharsets.US_ASCII));
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
    } catch (IOException e) {
      // The client went away or the headers were already sent; nothing more can be said to it.
      LOG.log(Level.DEBUG, "status=" + status + " could not be sent: " + e);
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
