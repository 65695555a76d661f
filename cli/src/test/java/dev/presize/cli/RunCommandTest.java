package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.presize.core.registry.FileSystemModelRegistry;
import dev.presize.core.registry.ModelDirs;
import dev.presize.trainer.features.InvocationHistory;
import dev.presize.trainer.input.PresizeTraceReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code presize run}'s input checks: every one refuses before anything starts (no cgroup, no command), so these run
 * on any host. What a started run does is {@link RunCommandIT}'s.
 */
class RunCommandTest {

  private static final Path CORPUS = Path.of("..").toAbsolutePath().normalize().resolve("data/corpus");

  @TempDir
  Path work;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /** {@code presize run ARGS --out <work>/out -- true}. */
  private CliRun runTrue(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 1, args.length);
    all[0] = "run";
    all[args.length + 1] = "--out";
    all[args.length + 2] = work.resolve("out").toString();
    all[args.length + 3] = "--";
    String[] withCommand = java.util.Arrays.copyOf(all, all.length + 1);
    withCommand[all.length] = "true";
    return run(withCommand);
  }

  private static void assertRefused(CliRun r, String... message) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message).contains("see presize run --help").doesNotContain("Usage:");
  }

  @ParameterizedTest(name = "{0} {1}")
  @DisplayName("a bad size, CPU amount or duration is one short line naming the option and the value, exit 2")
  @CsvSource(delimiter = '|', value = {
      "--memory     | abc   | --memory abc: not a size (e.g. 256Mi, 1Gi)",
      "--memory     | 0     | --memory 0: must be more than 0",
      "--memory     | 0Mi   | --memory 0Mi: must be more than 0",
      "--memory     | -5Mi  | --memory -5Mi: must be more than 0",
      "--memory     | 512   | --memory 512: no unit",
      "--memory     | 5Qi   | --memory 5Qi: unknown unit 'Qi'",
      "--max-memory | 1 Gi x| --max-memory 1 Gi x: not a size",
      "--cpus       | 0     | --cpus 0: must be more than 0",
      "--cpus       | abc   | --cpus abc: not a CPU amount (e.g. 1, 1.5 cores or 1500m millicores)",
      "--cpus       | 0.0001| --cpus 0.0001: below 1 millicore",
      "--max-cpus   | 2x    | --max-cpus 2x: not a CPU amount",
      "--step       | abc   | --step abc: not a duration (e.g. 100ms, 2s)",
      "--step       | 0ms   | --step 0ms: must be more than 0",
      "--step       | 100   | --step 100: no unit",
  })
  void badQuantities(String option, String value, String message) {
    assertRefused(runTrue("--sizer", "static", option, value), "presize run: " + message);
  }

  @Test
  @DisplayName("--memory below 16Mi is refused naming the minimum (the kernel would kill the command before it ran)")
  void memoryMinimum() {
    assertRefused(runTrue("--sizer", "static", "--memory", "1Ki"), "--memory 1Ki is below the minimum of 16Mi");
    assertRefused(runTrue("--sizer", "static", "--memory", "15Mi"), "--memory 15Mi is below the minimum of 16Mi");
  }

  @Test
  @DisplayName("limits are compared in human sizes, naming a default the user did not pass as the default")
  void limits() {
    assertRefused(runTrue("--sizer", "static", "--max-memory", "128Mi"),
        "--max-memory 128Mi is below --memory 256Mi (the default --memory is 256Mi)");
    CliRun given = runTrue("--sizer", "static", "--memory", "512Mi", "--max-memory", "384Mi");
    assertRefused(given, "--max-memory 384Mi is below --memory 512Mi");
    assertThat(given.err()).doesNotContain("default");
    assertRefused(run("run", "--sizer", "static", "--workload", "memory-ramp", "--input", "64", "--grow-to", "512Mi",
        "--out", work.resolve("out").toString()),
        "--grow-to 512Mi must be above --max-memory 1Gi (the default --max-memory: 1Gi, or --memory if larger)");
    assertRefused(runTrue("--sizer", "static", "--max-cpus", "100m", "--cpus", "1"),
        "--max-cpus 100m is below --cpus 1");
    assertRefused(runTrue("--sizer", "static", "--max-cpus", "500m"),
        "--max-cpus 500m is below --cpus 1 (the default --cpus is 1)");
    int cores = Runtime.getRuntime().availableProcessors();
    assertRefused(runTrue("--sizer", "static", "--cpus", Integer.toString(cores + 1)),
        "--cpus " + (cores + 1) + " is more than this host's " + cores + " cores");
    assertRefused(runTrue("--sizer", "static", "--max-cpus", (cores * 1000 + 1) + "m"),
        "--max-cpus " + (cores * 1000 + 1) + "m is more than this host's " + cores + " cores");
  }

  @Test
  @DisplayName("presize.checkpoint.* settings are checked before anything starts: a malformed one, and for a workload a"
      + " checkpointer other than app-state, are refused in one line, exit 2")
  void checkpointSettings() {
    assertRefused(runTrue("--sizer", "static", "-D", "presize.checkpoint.store.keep-last=0"),
        "presize run: presize.checkpoint.*: keepLast must be >= 1, was 0");
    assertRefused(run("run", "--sizer", "static", "--workload", "memory-ramp", "--input", "64", "-D",
        "presize.checkpoint.checkpointer=bogus", "--out", work.resolve("out").toString()),
        "presize.checkpoint.checkpointer=bogus: presize run checkpoints a workload's own state, with app-state");
    assertThat(work.resolve("out")).doesNotExist();
  }

  @ParameterizedTest(name = "--function-id ''{0}''")
  @DisplayName("--function-id outside [A-Za-z0-9_][A-Za-z0-9._-]{0,127} is refused before any file is made")
  @CsvSource(value = {"a/b", "''", "-x", ".hidden", "a b"})
  void badFunctionId(String id) throws Exception {
    assertRefused(runTrue("--sizer", "static", "--function-id", id), "--function-id '" + id + "': use letters, "
        + "digits, '.', '_' and '-', not starting with '.' or '-', at most 128 characters");
    assertThat(work.resolve("out")).doesNotExist();
  }

  @Test
  @DisplayName("--function-id of 129 characters is refused; the default id from a command name is made acceptable")
  void functionIdLength() {
    assertRefused(runTrue("--sizer", "static", "--function-id", "f".repeat(129)), "at most 128 characters");
    assertThat(RunCommand.FUNCTION_ID.matcher("f".repeat(128)).matches()).isTrue();
    assertThat(RunCommand.functionIdOf("/usr/bin/python3.11")).isEqualTo("python3.11");
    assertThat(RunCommand.functionIdOf("./-my script")).isEqualTo("my_script");
    assertThat(RunCommand.functionIdOf("...")).isEqualTo("command");
  }

  @Test
  @DisplayName("--model that is missing, a file, or a directory without metadata.json is refused in one line")
  void badModel() throws Exception {
    Path missing = work.resolve("nope");
    assertRefused(runTrue("--model", missing.toString()), "--model " + missing + ": no such directory");
    Path file = Files.writeString(work.resolve("file"), "x");
    assertRefused(runTrue("--model", file.toString()), "--model " + file + ": not a model directory");
    Path empty = Files.createDirectories(work.resolve("empty"));
    assertRefused(runTrue("--model", empty.toString()), "--model " + empty
        + ": not a model directory (no metadata.json; make one with presize train)");
  }

  @Test
  @DisplayName("--crossing-model is refused with a COMMAND (no checkpoint channel), with another --sizer, and when it"
      + " is missing or not a crossing model")
  void crossingModel() throws Exception {
    Path model = Path.of("../runtimes/local/src/test/resources/crossing-100ms").toAbsolutePath().normalize();
    assertRefused(runTrue("--crossing-model", model.toString()), "--crossing-model drives checkpoints, and only a"
        + " --workload run takes them here");
    assertRefused(runTrue("--crossing-model", model.toString(), "--sizer", "static"),
        "--crossing-model goes with --sizer presize");
    Path missing = work.resolve("nope");
    assertRefused(run("run", "--crossing-model", missing.toString(), "--workload", "sort", "--input", "1000",
        "--out", work.resolve("out").toString()), "--crossing-model " + missing, "not a directory");
    Path empty = Files.createDirectories(work.resolve("empty-crossing"));
    assertRefused(run("run", "--crossing-model", empty.toString(), "--workload", "sort", "--input", "1000",
        "--out", work.resolve("out").toString()), "--crossing-model " + empty, "SHA256SUMS");
  }

  @Test
  @DisplayName("--registry: several models and no presize.predictor.model are refused listing them; an unknown name, "
      + "a model with no current version and a missing directory too; the only model is used and said so")
  void registryModel() throws Exception {
    Path root = work.resolve("registry");
    FileSystemModelRegistry r = new FileSystemModelRegistry(root);
    r.publish("alpha", ModelDirs.write(work.resolve("a"), "a", 2048));
    CliRun noCurrent = runTrue("--registry", root.toString());
    assertRefused(noCurrent, "model 'alpha' has no current version");
    r.promote("alpha", r.publish("alpha", ModelDirs.write(work.resolve("b"), "b", 2048)).version());
    CliRun only = runTrue("--registry", root.toString());
    assertThat(only.err()).contains("using model 'alpha' (v2), the only one in --registry " + root);
    r.publish("beta", ModelDirs.write(work.resolve("c"), "c", 2048));
    assertRefused(runTrue("--registry", root.toString()), "--registry " + root
        + " holds several models (alpha, beta): pass -Dpresize.predictor.model=NAME");
    assertRefused(runTrue("--registry", root.toString(), "-Dpresize.predictor.model=gamma"), "--registry " + root
        + " has no model 'gamma' (presize.predictor.model); it holds alpha, beta");
    assertRefused(runTrue("--registry", work.resolve("none").toString()), ": no such directory");
  }

  @Test
  @DisplayName("--service that cannot forecast (connection refused, 404 for the model) with no fallback model is "
      + "refused, saying what failed and what to pass")
  void serviceWithoutFallback() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    CliRun refused = runTrue("--service", "http://127.0.0.1:" + closed, "--memory", "128Mi", "--max-memory", "512Mi");
    assertRefused(refused, "--service http://127.0.0.1:" + closed + " cannot forecast for this run (",
        "there is no fallback model", "--model DIR or --registry DIR", "-Dpresize.predictor.model=NAME",
        "(asked for 'default')", "--sizer static|vpa|autopilot");
    HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext("/", exchange -> {
      byte[] body = "{\"error\":\"unknown model 'fn'; models in service: [other]\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(404, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    stub.start();
    try {
      CliRun notFound = runTrue("--service", "http://127.0.0.1:" + stub.getAddress().getPort(),
          "-Dpresize.predictor.model=fn");
      assertRefused(notFound, "HTTP 404", "unknown model 'fn'", "(asked for 'fn')");
    } finally {
      stub.stop(0);
    }
    assertThat(work.resolve("out")).isEmptyDirectory();
  }

  @Test
  @DisplayName("--out that is a file, or cannot be created, is refused naming why")
  void badOut() throws Exception {
    Path file = Files.writeString(work.resolve("file"), "x");
    assertRefused(run("run", "--sizer", "static", "--out", file.toString(), "--", "true"),
        "--out " + file + ": not a directory");
    Path under = file.resolve("runs");
    assertRefused(run("run", "--sizer", "static", "--out", under.toString(), "--", "true"),
        "--out " + under + ": cannot create it (");
  }

  @Test
  @DisplayName("--history reads a corpus directory, any directory of .pstrace files (a run's or record's --out) and "
      + "single .pstrace files; an empty directory or another file is refused saying what to pass")
  void history() throws Exception {
    Path first = CORPUS.resolve("traces/cache-fill-evict-s10000-r0.pstrace");
    Path second = CORPUS.resolve("traces/cache-fill-evict-s10000-r2.pstrace");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(first) && Files.isRegularFile(second),
        "the corpus traces are missing: " + first);
    Duration step = Duration.ofMillis(100);
    var later = PresizeTraceReader.read(second, step);
    Path loose = Files.createDirectories(work.resolve("runs/nested"));
    Files.copy(first, loose.resolve(first.getFileName()));
    Files.writeString(work.resolve("runs/other.txt"), "not a trace");
    assertThat(RunCommand.history(List.of(work.resolve("runs")), step).before(later).runs()).isEqualTo(1);
    assertThat(RunCommand.history(List.of(first), step).before(later).runs()).isEqualTo(1);
    assertThat(RunCommand.history(List.of(CORPUS), step).before(later).runs()).isPositive();
    assertThat(RunCommand.history(List.of(), step).before(later)).isEqualTo(InvocationHistory.Stats.NONE);
    Path empty = Files.createDirectories(work.resolve("empty"));
    assertThatThrownBy(() -> RunCommand.history(List.of(empty), step)).hasMessage("--history " + empty
        + ": no .pstrace traces in it (pass a corpus directory, a presize record or presize run --out directory, or "
        + ".pstrace files)");
    Path text = work.resolve("runs/other.txt");
    assertThatThrownBy(() -> RunCommand.history(List.of(text), step)).hasMessage("--history " + text
        + ": not a directory or a .pstrace trace");
    Path broken = Files.writeString(work.resolve("x.pstrace"), "garbage");
    assertThatThrownBy(() -> RunCommand.history(List.of(work.resolve("runs"), broken), step))
        .hasMessageStartingWith("--history " + broken + ": ");
    assertRefused(runTrue("--model", ModelDirs.write(work.resolve("m"), "m", 2048).toString(), "--history",
        empty.toString()), "--history " + empty + ": no .pstrace traces in it");
  }

  @Test
  @DisplayName("run -V prints the version, as presize --version does")
  void version() {
    CliRun v = run("run", "-V");
    assertThat(v.exit()).isZero();
    assertThat(v.out()).startsWith("presize ").isEqualTo(run("--version").out());
  }
}
