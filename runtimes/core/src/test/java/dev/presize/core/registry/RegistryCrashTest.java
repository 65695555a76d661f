package dev.presize.core.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash atomicity of {@link FileSystemModelRegistry} with real processes: children killed with SIGKILL in the
 * middle of publishing and promoting, and two children racing for the lock.
 */
class RegistryCrashTest {

  private static final int KILLS = 30;

  @TempDir
  Path work;

  private Process child(Path root, Path a, Path b, String... mode) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        RegistryCrashChild.class.getName(), root.toString(), "m", a.toString(), b.toString()));
    cmd.addAll(List.of(mode));
    return new ProcessBuilder(cmd).redirectError(work.resolve("child-" + System.nanoTime() + ".err").toFile()).start();
  }

  private static void awaitReady(Process p) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).as("child started").isEqualTo("ready");
  }

  @Test
  @DisplayName("SIGKILL at random moments, 30 times: current always resolves to a complete verified version, "
      + "no half-built version is visible, leftovers are cleaned by the next writer")
  void killedWritersLeaveAConsistentRegistry() throws Exception {
    Path root = work.resolve("registry");
    Path a = ModelDirs.write(work.resolve("a"), "a", 256 * 1024);
    Path b = ModelDirs.write(work.resolve("b"), "b", 256 * 1024);
    Random rnd = new Random(42);
    Set<Version> verified = new HashSet<>();
    int leftoversSeen = 0;
    int withCurrent = 0;
    for (int i = 0; i < KILLS; i++) {
      Process p = child(root, a, b, "churn");
      awaitReady(p);
      Thread.sleep(50 + rnd.nextInt(400)); // the random moment of the crash is the point of this test
      assertThat(p.isAlive()).as("child still working when killed (see child-*.err)").isTrue();
      p.destroyForcibly();
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();

      ModelRegistry reader = new FileSystemModelRegistry(root);
      Path nameDir = root.resolve("models/m");
      if (!Files.isDirectory(nameDir)) {
        continue; // killed before the first publish created anything
      }
      try (Stream<Path> s = Files.list(nameDir)) {
        for (Path e : s.toList()) {
          String n = e.getFileName().toString();
          assertThat(Version.isVersion(n) || n.equals(Pointer.FILE) || n.startsWith(AtomicFiles.TEMP_PREFIX))
              .as("unexpected entry %s", e).isTrue();
          if (n.startsWith(AtomicFiles.TEMP_PREFIX)) {
            leftoversSeen++;
          }
        }
      }
      if (!reader.list().isEmpty()) {
        for (ModelVersion v : reader.versions("m")) { // every state.json readable
          if (verified.add(v.version())) {
            reader.open("m", v.version()); // complete and checksum-verified
          }
        }
        Pointer pointer = Files.exists(nameDir.resolve(Pointer.FILE))
            ? Pointer.decode(Files.readAllBytes(nameDir.resolve(Pointer.FILE)), "current") : Pointer.empty("m");
        if (pointer.current().isPresent()) {
          withCurrent++;
          VerifiedModel cur = reader.current("m").orElseThrow();
          assertThat(cur.version().version()).isEqualTo(pointer.current().get());
          assertThat(cur.version().state()).isEqualTo(ModelState.CURRENT);
        }
      }
    }
    System.out.printf("crash test: %d kills, %d versions, %d temp leftovers seen, current set after %d kills%n",
        KILLS, verified.size(), leftoversSeen, withCurrent);
    // about 100 ms per publish + promote with fsyncs here, so a child gets 0 to 4 operations done
    assertThat(verified.size()).as("the children made progress").isGreaterThanOrEqualTo(KILLS / 2);
    assertThat(leftoversSeen).as("some kills hit a writer mid-way").isGreaterThan(0);
    assertThat(withCurrent).isGreaterThan(0);

    // the next writer cleans what the killed ones left
    new FileSystemModelRegistry(root).publish("m", a);
    try (Stream<Path> s = Files.list(root.resolve("models/m"))) {
      assertThat(s.map(x -> x.getFileName().toString())).noneMatch(n -> n.startsWith(AtomicFiles.TEMP_PREFIX));
    }
    List<Version> versions = new FileSystemModelRegistry(root).versions("m").stream().map(ModelVersion::version)
        .toList();
    assertThat(versions).isSorted().doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("two processes publishing and promoting at once take turns through the lock file: 24 distinct versions")
  void twoProcessesTakeTurns() throws Exception {
    Path root = work.resolve("registry");
    Path a = ModelDirs.write(work.resolve("a"), "a", 64 * 1024);
    Path b = ModelDirs.write(work.resolve("b"), "b", 64 * 1024);
    Process p1 = child(root, a, b, "count", "12");
    Process p2 = child(root, b, a, "count", "12");
    assertThat(p1.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p2.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p1.exitValue()).isZero();
    assertThat(p2.exitValue()).isZero();
    ModelRegistry r = new FileSystemModelRegistry(root);
    List<ModelVersion> versions = r.versions("m");
    assertThat(versions).extracting(v -> v.version().number())
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 24).boxed().toList());
    for (ModelVersion v : versions) {
      r.open("m", v.version());
    }
    Pointer p = Pointer.decode(Files.readAllBytes(root.resolve("models/m/current")), "current");
    assertThat(p.history()).hasSize(24);
    assertThat(p.previous()).hasSize(23);
  }
}
