package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presize.core.registry.FileSystemModelRegistry;
import dev.presize.core.trace.TraceData;
import dev.presize.core.trace.TraceReader;
import dev.presize.spi.metrics.Metric;
import dev.presize.testkit.TerminalScreen;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code presize run} and {@code presize demo} on this host's real cgroups (failsafe, after packaging; the packaged
 * jar runs as its own process, as a user runs it). A model is trained once on the checked-in corpus.
 */
class RunCommandIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path JAR = ROOT.resolve("cli/target/presize-cli.jar");
  private static final Path CORPUS = ROOT.resolve("data/corpus");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path shared;
  private static Path model;

  private record Run(int exit, List<String> out, String err) {
    JsonNode summary() throws Exception {
      return JSON.readTree(out.get(out.size() - 1));
    }
  }

  private static Run presize(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile(shared, "err", ".txt");
    Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("presize " + String.join(" ", args) + " finished").isTrue();
    return new Run(p.exitValue(), out.lines().filter(l -> !l.isBlank()).toList(), Files.readString(err));
  }

  @BeforeAll
  static void trainModel() throws Exception {
    assumeTrue(Files.isRegularFile(JAR), "the packaged jar is missing: " + JAR);
    assumeTrue(Files.isRegularFile(CORPUS.resolve("corpus.json")), "corpus not found at " + CORPUS);
    CliRun.assumeCgroup();
    model = shared.resolve("model");
    Run train = presize("train", "--format", "presize", "--traces", CORPUS.toString(), "--fast", "--targets",
        "MEMORY_PEAK,CPU_MEAN", "--out", model.toString());
    assertThat(train.exit()).as(train.err()).isZero();
  }

  @Test
  @DisplayName("a function whose memory grows past its initial limit is resized ahead of need and finishes; under "
      + "static sizing the same function is OOM-killed")
  void growingMemoryIsResizedAhead(@TempDir Path out) throws Exception {
    Run presize = presize("run", "--model", model.toString(), "--workload", "memory-ramp", "--input", "384",
        "--memory", "128Mi", "--max-memory", "1Gi", "--json", "--out", out.toString());
    JsonNode s = presize.summary();
    assertThat(s.path("exitCode").asInt()).as(presize.err()).isZero();
    assertThat(s.path("oomKills").asLong()).isZero();
    assertThat(s.path("resizes").asInt()).isPositive();
    assertThat(s.path("meanAllocatedBytes").asLong()).isGreaterThan(128L << 20);
    assertThat(s.path("forecasts").asLong()).isPositive();
    assertThat(presize.out().get(0)).contains("\"records\":96");
    Path trace = onlyTrace(out);
    TraceData data = TraceReader.readAll(trace);
    long[] limit = data.column(Metric.CGROUP_MEMORY_LIMIT_BYTES);
    assertThat(max(limit)).as("the limit grew with the need").isGreaterThan(384L << 20);
    Path feedback = out.resolve(trace.getFileName().toString().replace(".pstrace", ".feedback.jsonl"));
    assertThat(Files.readAllLines(feedback)).as("a feedback record per forecast whose horizon ended").isNotEmpty()
        .allSatisfy(l -> assertThat(JSON.readTree(l).path("targets").has("MEMORY_PEAK")).isTrue());
    Run residuals = presize("feedback", feedback.toString(), "--json");
    assertThat(residuals.exit()).as(residuals.err()).isZero();
    JsonNode memory = JSON.readTree(residuals.out().get(0)).get(0);
    assertThat(memory.path("target").asText()).isEqualTo("MEMORY_PEAK");
    assertThat(memory.path("count").asLong()).isEqualTo(Files.readAllLines(feedback).size());
    assertThat(memory.path("coverageP90").asDouble()).isBetween(0.0, 1.0);

    Run fixed = presize("run", "--sizer", "static", "--workload", "memory-ramp", "--input", "384",
        "--memory", "128Mi", "--max-memory", "1Gi", "--json", "--out", out.resolve("static").toString());
    JsonNode f = fixed.summary();
    assertThat(f.path("oomKills").asLong()).as(fixed.err()).isPositive();
    assertThat(f.path("exitCode").asInt()).isNotZero();
    assertThat(f.path("resizes").asInt()).isZero();
  }

  @Test
  @DisplayName("a CPU-bound command gets its quota raised while it burns and lowered once it sleeps (the corpus model"
      + " keeps about 0.9 cores for an idle process after a burst: its runs have no long idle tails)")
  void cpuQuotaFollowsTheNeed(@TempDir Path out) throws Exception {
    Run r = presize("run", "--model", model.toString(), "--cpus", "200m", "--max-cpus", "2", "--json", "--out",
        out.toString(), "--", "sh", "-c", "timeout 3 sh -c 'while :; do :; done'; sleep 3");
    JsonNode s = r.summary();
    assertThat(s.path("exitCode").asInt()).as(r.err()).isZero();
    assertThat(s.path("throttledSeconds").asDouble()).as("throttled at 200m at first").isPositive();
    long[] quota = TraceReader.readAll(onlyTrace(out)).column(Metric.CGROUP_CPU_LIMIT_MILLICORES);
    long peak = max(quota);
    assertThat(peak).as("raised").isGreaterThanOrEqualTo(400);
    assertThat(quota[quota.length - 1]).as("lowered again while it sleeps").isLessThan(peak * 3 / 4);
  }

  @Test
  @DisplayName("a checkpointable workload that will outgrow 256Mi is checkpointed before it is killed, stopped, "
      + "restored in a new process and cgroup with 1Gi, and finishes with the uninterrupted result")
  void checkpointRestoreBigger(@TempDir Path out) throws Exception {
    Process direct = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        JAR.toString(), "dev.presize.workloads.WorkloadMain", "memory-ramp", "384", "1")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String uninterrupted = new String(direct.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(direct.waitFor()).isZero();

    List<Path> socketsBefore = sockets();
    Run r = presize("run", "--model", model.toString(), "--workload", "memory-ramp", "--input", "384",
        "--memory", "128Mi", "--max-memory", "256Mi", "--grow-to", "1Gi", "--json", "--out", out.toString());
    assertThat(sockets()).as("the stopped process's checkpoint socket is removed").isSubsetOf(socketsBefore);
    JsonNode s = r.summary();
    assertThat(s.path("exitCode").asInt()).as(r.err()).isZero();
    assertThat(s.path("restored").asBoolean()).as(r.err()).isTrue();
    assertThat(s.path("oomKills").asLong()).as("checkpointed before the kill").isZero();
    assertThat(s.path("checkpoints").asInt()).isPositive();
    assertThat(r.out()).contains(uninterrupted);
    JsonNode first = s.path("phases").get(0);
    assertThat(first.path("checkpointLog").get(0).path("trigger").asText()).isEqualTo("CONTENTION");
    assertThat(first.path("checkpointLog").get(0).path("stopped").asBoolean()).isTrue();
    assertThat(s.path("checkpointLog").size()).as("the whole run's checkpoints at the top level too")
        .isEqualTo(s.path("checkpoints").asInt());
    assertThat(s.path("checkpointLog").get(0).path("phase").asInt()).isZero();
    assertThat(s.path("checkpointLog").get(0).path("trigger").asText()).isEqualTo("CONTENTION");
    assertThat(Path.of(s.path("trace").asText())).as("the restored process's trace").exists()
        .hasFileName(Path.of(first.path("trace").asText()).getFileName().toString().replace(".pstrace",
            "-restored.pstrace"));
    assertThat(Path.of(s.path("feedback").asText())).exists().hasParent(out);
    assertThat(Path.of(first.path("feedback").asText())).exists();
    List<Path> manifests;
    try (Stream<Path> files = Files.walk(out.resolve("checkpoints"))) {
      manifests = files.filter(p -> p.getFileName().toString().equals("manifest.txt")).toList();
    }
    assertThat(manifests).isNotEmpty();
    String manifest = Files.readString(manifests.get(0));
    assertThat(manifest).contains("trigger=CONTENTION", "profile.memory-bytes=", "attribute.metrics.memory.peak-bytes=",
        "attribute.metrics.cpu.mean-millicores=", "attribute.metrics.forecast.memory.p99-bytes=");
    java.util.Properties m = new java.util.Properties();
    m.load(new java.io.StringReader(manifest));
    java.time.Duration window = java.time.Duration.between(java.time.Instant.parse(m.getProperty("metrics-from")),
        java.time.Instant.parse(m.getProperty("attribute.metrics.to")));
    java.time.Duration steps = java.time.Duration.parse(m.getProperty("attribute.metrics.step"))
        .multipliedBy(Long.parseLong(m.getProperty("attribute.metrics.steps")));
    assertThat(window).as("the window's bounds span its steps (to the sample)").isBetween(
        steps.minusMillis(20), steps.plusMillis(20));
  }

  @Test
  @DisplayName("a SIGTERM as the first process is stopped to be restored is not lost: presize exits 143, and the "
      + "restore is not started (or, if it had started, the restored process got the signal)")
  void stopBeforeTheRestore(@TempDir Path out) throws Exception {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        JAR.toString(), "run", "--model", model.toString(), "--workload", "memory-ramp", "--input", "384",
        "--memory", "128Mi", "--max-memory", "256Mi", "--grow-to", "1Gi", "--json", "--out", out.toString());
    Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).start();
    StringBuilder err = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (err) {
            err.append(line).append('\n');
          }
          if (line.contains("stopping the process to restore it bigger")) {
            p.toHandle().destroy(); // SIGTERM to presize, as a platform stopping it would (streams kept open)
          }
        }
      } catch (java.io.IOException e) {
        // the process is gone: what was read is kept
      }
    });
    reader.start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    reader.join(10_000);
    String log;
    synchronized (err) {
      log = err.toString();
    }
    assertThat(log).contains("stopping the process to restore it bigger");
    assertThat(p.exitValue()).as(log).isEqualTo(143);
    JsonNode s = JSON.readTree(stdout.lines().filter(l -> l.startsWith("{\"")).reduce((a, b) -> b).orElseThrow());
    if (s.path("restored").asBoolean()) {
      assertThat(s.path("phases").get(1).path("exitCode").asInt()).as("the restored process got it").isEqualTo(143);
    } else {
      assertThat(s.path("stoppedBy").asText()).isEqualTo("SIGTERM");
      assertThat(s.path("exitCode").asInt()).isEqualTo(143);
      assertThat(log).doesNotContain("restoring memory-ramp");
    }
  }

  @Test
  @DisplayName("with --crossing-model the crossing model's probability triggers the contention checkpoint (its"
      + " reason shows the model's raw P), the model's calibration is kept apart, and the restored run finishes")
  void crossingModel(@TempDir Path out) throws Exception {
    // three XGBoost stumps on mem_to_limit, trained at 100 ms: P high above 0.85 of the maximum
    Path crossing = Path.of("../runtimes/local/src/test/resources/crossing-100ms").toAbsolutePath().normalize();
    Run r = presize("run", "--model", model.toString(), "--crossing-model", crossing.toString(), "--workload",
        "memory-ramp", "--input", "384", "--memory", "128Mi", "--max-memory", "256Mi", "--grow-to", "1Gi", "--json",
        "--out", out.toString());
    JsonNode s = r.summary();
    assertThat(s.path("exitCode").asInt()).as(r.err()).isZero();
    assertThat(s.path("restored").asBoolean()).as(r.err()).isTrue();
    assertThat(s.path("oomKills").asLong()).isZero();
    JsonNode first = s.path("checkpointLog").get(0);
    assertThat(first.path("trigger").asText()).isEqualTo("CONTENTION");
    java.util.regex.Matcher raw = java.util.regex.Pattern.compile("raw=([0-9.]+)").matcher(first.path("reason")
        .asText());
    assertThat(raw.find()).as(first.path("reason").asText()).isTrue();
    assertThat(Double.parseDouble(raw.group(1))).as("the model's P near the maximum (its stumps give 0.9 or more"
        + " above 0.85 of it)").isGreaterThanOrEqualTo(0.5);
    assertThat(out.resolve("calibration/crossing/pooled.txt")).exists();
    assertThat(out.resolve("calibration/pooled.txt")).as("the forecast's calibration is not the model's")
        .doesNotExist();
  }

  @Test
  @DisplayName("bad input is a clear error with nothing run: unknown workload, no model, --grow-to not above the max,"
      + " a --step the model (or the registry's current model) was not trained at")
  void badInput(@TempDir Path out) throws Exception {
    Run unknown = presize("run", "--sizer", "static", "--workload", "no-such", "--input", "1", "--out",
        out.toString());
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("no-such", "memory-ramp");
    Run noModel = presize("run", "--out", out.toString(), "--", "true");
    assertThat(noModel.exit()).isEqualTo(2);
    assertThat(noModel.err()).contains("no model", "--model DIR");
    Run grow = presize("run", "--sizer", "static", "--workload", "memory-ramp", "--input", "64", "--max-memory",
        "256Mi", "--grow-to", "200Mi", "--out", out.toString());
    assertThat(grow.exit()).isEqualTo(2);
    assertThat(grow.err()).contains("--grow-to 200Mi must be above --max-memory 256Mi").doesNotContain("Usage:");
    Run step = presize("run", "--model", model.toString(), "--step", "1s", "--out", out.toString(), "--", "true");
    assertThat(step.exit()).isEqualTo(2);
    assertThat(step.err()).contains("--step 1s", "trained at a step of 100ms");
    Path registryDir = out.resolve("registry");
    FileSystemModelRegistry registry = new FileSystemModelRegistry(registryDir);
    registry.promote("fn", registry.publish("fn", model).version());
    Run registryStep = presize("run", "--registry", registryDir.toString(), "-Dpresize.predictor.model=fn", "--step",
        "250ms", "--out", out.toString(), "--", "true");
    assertThat(registryStep.exit()).isEqualTo(2);
    assertThat(registryStep.err()).contains("--step 250ms", "the current model of", "(fn v1)",
        "trained at a step of 100ms");
    // Without presize.predictor.model, the registry's only model is the one
    Run onlyModel = presize("run", "--registry", registryDir.toString(), "--step", "250ms", "--out", out.toString(),
        "--", "true");
    assertThat(onlyModel.exit()).isEqualTo(2);
    assertThat(onlyModel.err()).contains("using model 'fn' (v1), the only one in --registry", "(fn v1)",
        "trained at a step of 100ms");
    // A service that cannot forecast, and no fallback model: refused before the command starts
    Run noService = presize("run", "--service", "http://127.0.0.1:1", "--memory", "128Mi", "--max-memory", "512Mi",
        "--out", out.resolve("no-service").toString(), "--", "sh", "-c", "echo started > " + out.resolve("started"));
    assertThat(noService.exit()).isEqualTo(2);
    assertThat(noService.err()).contains("--service http://127.0.0.1:1 cannot forecast for this run",
        "there is no fallback model", "--model DIR or --registry DIR", "-Dpresize.predictor.model=NAME",
        "--sizer static|vpa|autopilot");
    assertThat(out.resolve("started")).doesNotExist();
  }

  @Test
  @DisplayName("what the command leaves running in its cgroup is stopped at its end, and the summary says so")
  void leftoversReported(@TempDir Path out) throws Exception {
    Run r = presize("run", "--sizer", "static", "--json", "--out", out.toString(), "--", "sh", "-c",
        "sleep 60 & echo started");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.summary().path("warnings").toString()).contains("left 1 process(es) running", "stopped them");
  }

  @Test
  @DisplayName("on a terminal (a pty from script(1)) the live status line keeps the last row while the command's"
      + " lines scroll whole above it; at the end the last status and the summary follow them as ordinary lines and"
      + " the terminal has all its rows back; with stderr to a file there is no status line")
  void statusLineOnTerminal(@TempDir Path out) throws Exception {
    Path script = Path.of("/usr/bin/script");
    assumeTrue(Files.isExecutable(script), "script(1) (util-linux) not found at " + script + ": no pty to run on");
    Path typescript = out.resolve("typescript");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String inner = "stty rows 40 cols 120; " + java + " -jar " + JAR + " run --model " + model + " --out "
        + out.resolve("run") + " -- sh -c 'for i in 1 2 3 4 5 6 7 8; do echo line $i; sleep 0.3; done'";
    Process p = new ProcessBuilder(script.toString(), "-qfec", inner, typescript.toString())
        .directory(ROOT.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("presize run under script finished").isTrue();
    String ts = Files.readString(typescript, StandardCharsets.UTF_8);
    // the typescript: a header line, what the terminal received, a trailer
    String received = ts.substring(ts.indexOf('\n') + 1, ts.lastIndexOf("Script done"));
    assertThat(p.exitValue()).as(received).isZero();
    assertThat(received).as("a scroll region above the last row was set").contains("\u001b[1;39r");
    int end = received.lastIndexOf("\u001b[2K\u001b[r");
    assertThat(end).as("and reset at the end").isPositive();
    TerminalScreen during = new TerminalScreen(40, 120, false).feed(received.substring(0, end));
    assertThat(during.row(39)).startsWith("[presize ").contains(" mem ", " / ", "(p99 ", "resizes ");
    TerminalScreen after = new TerminalScreen(40, 120, false).feed(received);
    assertThat(after.hasScrollRegion()).isFalse();
    List<String> rows = after.rows();
    assertThat(rows.subList(0, 8)).containsExactly("line 1", "line 2", "line 3", "line 4", "line 5", "line 6",
        "line 7", "line 8");
    assertThat(rows.get(8)).startsWith("[presize ").contains("checkpoints 0");
    assertThat(rows.get(9)).startsWith("presize run (presize): exit 0 after");
    assertThat(rows.get(39)).as("the status row is given back empty").isEmpty();
    assertThat(rows.stream().filter(r -> r.contains("[presize "))).hasSize(1);

    // stderr to a file: no status line at all, so no escapes in the file and none on the terminal
    Path errFile = out.resolve("err.txt");
    Path typescript2 = out.resolve("typescript2");
    Process q = new ProcessBuilder(script.toString(), "-qfec", "stty rows 40 cols 120; " + java + " -jar " + JAR
        + " run --sizer static --out " + out.resolve("run2") + " -- sh -c 'echo only; sleep 0.5' 2>" + errFile,
        typescript2.toString()).directory(ROOT.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(q.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(Files.readString(typescript2)).contains("only", "presize run (static): exit 0").doesNotContain("\u001b");
    assertThat(Files.readString(errFile)).doesNotContain("[static ", "\u001b");
  }

  @Test
  @DisplayName("demo --quick runs static, vpa and presize side by side and writes the HTML report with its plots")
  void quickDemo(@TempDir Path out) throws Exception {
    Run r = presize("demo", "--quick", "--model", model.toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String page = Files.readString(out.resolve("report/index.html"));
    assertThat(page).contains("OOM kills", "allocated GB·s", "static", "vpa", "presize", "memory-ramp-512.png");
    assertThat(out.resolve("report/memory-ramp-512.png")).isNotEmptyFile();
    assertThat(String.join("\n", r.out())).contains("static", "vpa", "presize", "report:");
    assertThat(r.err()).contains("[demo]  12/12");
  }

  @Test
  @DisplayName("run --service forecasts through a real presize serve, started before its registry existed (it warns,"
      + " then serves the model promoted there later; the feedback names the served model; a --step other than the"
      + " served model's is refused); with the service gone, the fallback chain's model directory takes over and"
      + " the run still finishes unharmed")
  void forecastsFromTheService(@TempDir Path out) throws Exception {
    Path registryDir = out.resolve("registry");
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dpresize.service.data-dir=" + out.resolve("service-data"), "-jar", JAR.toString(), "serve", "--registry",
        registryDir.toString(), "--port", "0");
    Process serve = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectError(out.resolve("serve.err")
        .toFile()).start();
    try {
      String first = new java.io.BufferedReader(new java.io.InputStreamReader(serve.getInputStream(),
          StandardCharsets.UTF_8)).readLine();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("listening on http://[^:]+:(\\d+)")
          .matcher(String.valueOf(first));
      assertThat(m.find()).as("serve said where it listens: " + first + " " + Files.readString(out.resolve(
          "serve.err"))).isTrue();
      String url = "http://127.0.0.1:" + m.group(1);
      assertThat(Files.readString(out.resolve("serve.err"))).contains("warning: --registry " + registryDir
          + " does not exist yet: serving no models");
      FileSystemModelRegistry registry = new FileSystemModelRegistry(registryDir);
      registry.promote("fn", registry.publish("fn", model).version());
      // The service polls the registry's pointers every second: within a few polls it serves what was promoted.
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String models = "";
      for (long deadline = System.nanoTime() + 30_000_000_000L; System.nanoTime() < deadline
          && !models.contains("\"inService\":\"v1\""); Thread.sleep(200)) {
        models = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/v1/models")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      }
      assertThat(JSON.readTree(models).path("models").path(0).path("inService").asText()).as(models).isEqualTo("v1");
      Run r = presize("run", "--service", url, "-Dpresize.predictor.model=fn", "--workload", "memory-ramp",
          "--input", "384", "--memory", "128Mi", "--max-memory", "1Gi", "--json", "--out", out.resolve("served")
          .toString());
      JsonNode s = r.summary();
      assertThat(s.path("exitCode").asInt()).as(r.err()).isZero();
      assertThat(s.path("oomKills").asLong()).isZero();
      assertThat(s.path("forecasts").asLong()).isPositive();
      Path trace = onlyTrace(out.resolve("served"));
      List<String> feedback = Files.readAllLines(out.resolve("served").resolve(trace.getFileName().toString()
          .replace(".pstrace", ".feedback.jsonl")));
      assertThat(feedback).isNotEmpty().allSatisfy(l -> {
        JsonNode f = JSON.readTree(l);
        assertThat(f.path("model").asText()).isEqualTo("fn");
        assertThat(f.path("version").asText()).isEqualTo("v1");
      });
      // Asked once before the run, the service had its model loaded when the first step's forecast came.
      assertThat(r.err()).doesNotContain("sizing failed");
      Run step = presize("run", "--service", url, "-Dpresize.predictor.model=fn", "--step", "1s", "--out",
          out.resolve("step").toString(), "--", "true");
      assertThat(step.exit()).isEqualTo(2);
      assertThat(step.err()).contains("--step 1s", "the service's model fn was trained at a step of 100ms");
    } finally {
      serve.destroy();
      assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("serve stops on TERM").isTrue();
    }
    // The service is gone now: the model directory behind it in the fallback chain forecasts instead.
    Run fallback = presize("run", "--service", "http://127.0.0.1:9", "--model", model.toString(), "--workload",
        "memory-ramp", "--input", "384", "--memory", "128Mi", "--max-memory", "1Gi", "--json", "--out",
        out.resolve("fallback").toString());
    JsonNode f = fallback.summary();
    assertThat(f.path("exitCode").asInt()).as(fallback.err()).isZero();
    assertThat(f.path("oomKills").asLong()).isZero();
    assertThat(f.path("forecasts").asLong()).isPositive();
    assertThat(fallback.err()).contains("the service cannot forecast for this run", "falling back");
  }

  /** The checkpoint-channel sockets of presize run in the temp directory. */
  private static List<Path> sockets() throws Exception {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(p -> p.getFileName().toString().matches("presize-\\d+-.*\\.sock")).toList();
    }
  }

  private static Path onlyTrace(Path out) throws Exception {
    try (Stream<Path> files = Files.list(out)) {
      List<Path> traces = files.filter(p -> p.toString().endsWith(".pstrace")).toList();
      assertThat(traces).hasSize(1);
      return traces.get(0);
    }
  }

  private static long max(long[] a) {
    long m = Long.MIN_VALUE;
    for (long v : a) {
      m = Math.max(m, v);
    }
    return m;
  }
}
