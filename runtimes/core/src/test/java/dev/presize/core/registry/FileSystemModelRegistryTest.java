package dev.presize.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link FileSystemModelRegistry}: the contract, plus its layout, temp handling and in-JVM locking. */
class FileSystemModelRegistryTest extends ModelRegistryContract {

  private Path root;

  @Override
  protected ModelRegistry create(MutableClock clock) {
    root = work.resolve("registry");
    return new FileSystemModelRegistry(root, clock);
  }

  @Override
  protected void corrupt(String name, Version version, String file) throws Exception {
    ModelDirs.flipByte(root.resolve("models").resolve(name).resolve(version.toString()).resolve(file));
  }

  @Override
  protected void delete(String name, Version version, String file) throws Exception {
    Files.delete(root.resolve("models").resolve(name).resolve(version.toString()).resolve(file));
  }

  @Test
  @DisplayName("layout: models/<name>/<version>/ holds the model unchanged plus state.json; current is the pointer")
  void layout() throws Exception {
    Path src = model("a");
    registry.publish("m", src);
    registry.promote("m", new Version(1));
    Path v1 = root.resolve("models/m/v1");
    try (Stream<Path> s = Files.list(v1)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("metadata.json", "memory.json", "cpu.json", "SHA256SUMS", "state.json");
    }
    assertThat(Files.readString(v1.resolve("SHA256SUMS"))).isEqualTo(Files.readString(src.resolve("SHA256SUMS")));
    assertThat(Files.readString(v1.resolve("state.json"))).contains("\"status\": \"candidate\"");
    Pointer p = Pointer.decode(Files.readAllBytes(root.resolve("models/m/current")), "current");
    assertThat(p.current()).contains(new Version(1));
    assertThat(Files.exists(root.resolve(FileSystemModelRegistry.LOCK_FILE))).isTrue();
  }

  @Test
  @DisplayName("a crashed writer's temp directory is invisible to readers and removed by the next writer")
  void tempLeftovers() throws Exception {
    registry.publish("m", model("a"));
    Path half = root.resolve("models/m/.tmp-v2-dead");
    Files.createDirectories(half);
    Files.writeString(half.resolve("metadata.json"), "{");
    Files.writeString(root.resolve("models/m/.tmp-current-dead"), "{");
    assertThat(registry.versions("m")).hasSize(1);
    assertThat(registry.list()).hasSize(1);
    assertThat(registry.publish("m", model("b")).version()).isEqualTo(new Version(2));
    assertThat(Files.exists(half)).isFalse();
    assertThat(Files.exists(root.resolve("models/m/.tmp-current-dead"))).isFalse();
  }

  @Test
  @DisplayName("a file changed together with a regenerated SHA256SUMS is still refused (digest pinned at publish)")
  void replacedChecksums() throws Exception {
    registry.publish("m", model("a"));
    Path v1 = root.resolve("models/m/v1");
    ModelDirs.flipByte(v1.resolve("memory.json"));
    Files.move(v1.resolve("state.json"), work.resolve("state.json"));
    ModelChecksums.write(v1);
    Files.move(work.resolve("state.json"), v1.resolve("state.json"));
    assertThatThrownBy(() -> registry.open("m", new Version(1))).isInstanceOf(RegistryException.class)
        .hasMessageContaining("files were replaced");
  }

  @Test
  @DisplayName("a damaged state.json is a clear DAMAGED error naming the file")
  void damagedState() throws Exception {
    registry.publish("m", model("a"));
    Files.writeString(root.resolve("models/m/v1/state.json"), "{\"format\": ");
    assertThatThrownBy(() -> registry.versions("m")).isInstanceOfSatisfying(RegistryException.class,
        e -> assertThat(e.problem()).isEqualTo(RegistryException.Problem.DAMAGED))
        .hasMessageContaining("v1/state.json");
  }

  @Test
  @DisplayName("concurrent publishers and promoters in one JVM (separate instances) get distinct versions")
  void concurrentInOneJvm() throws Exception {
    Path src = model("a");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<ModelVersion>> futures = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        futures.add(pool.submit(() -> {
          ModelRegistry r = new FileSystemModelRegistry(root, clock);
          ModelVersion v = r.publish("m", src);
          r.promote("m", v.version());
          return v;
        }));
      }
      List<Integer> numbers = new ArrayList<>();
      for (Future<ModelVersion> f : futures) {
        numbers.add(f.get().version().number());
      }
      assertThat(numbers).doesNotHaveDuplicates().hasSize(16).allMatch(n -> n >= 1 && n <= 16);
    } finally {
      pool.shutdownNow();
    }
    assertThat(registry.current("m")).isPresent();
    assertThat(Pointer.decode(Files.readAllBytes(root.resolve("models/m/current")), "current").history()).hasSize(16);
  }

  @Test
  @DisplayName("state files round-trip through their JSON form")
  void roundTrip() throws Exception {
    ModelVersion v = registry.publish("m", model("a"));
    registry.promote("m", v.version());
    Pointer p = Pointer.decode(Files.readAllBytes(root.resolve("models/m/current")), "current");
    assertThat(Pointer.decode(p.encode(), "x")).isEqualTo(p);
    VersionRecord r = VersionRecord.decode(Files.readAllBytes(root.resolve("models/m/v1/state.json")), "s");
    VersionRecord rej = r.rejected("bad \"coverage\"\n0.7", T0);
    assertThat(VersionRecord.decode(rej.encode(), "x")).isEqualTo(rej);
    assertThatThrownBy(() -> Pointer.decode("[]".getBytes(), "models/m/current"))
        .isInstanceOf(RegistryException.class).hasMessageContaining("models/m/current");
  }
}
