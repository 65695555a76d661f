package dev.presize.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.core.registry.RegistryException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link ModelRegistry} implementation passes: extend it and say how to create an empty
 * registry and how to damage a stored file.
 */
public abstract class ModelRegistryContract {

  protected static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir
  protected Path work;

  protected MutableClock clock;
  protected ModelRegistry registry;

  /** An empty registry using this clock. */
  protected abstract ModelRegistry create(MutableClock clock) throws Exception;

  /** Flips a byte of a stored file of a version, behind the registry's back. */
  protected abstract void corrupt(String name, Version version, String file) throws Exception;

  /** Deletes a stored file of a version, behind the registry's back. */
  protected abstract void delete(String name, Version version, String file) throws Exception;

  @BeforeEach
  void createRegistry() throws Exception {
    clock = new MutableClock(T0);
    registry = create(clock);
  }

  protected Path model(String seed) throws IOException {
    return ModelDirs.write(work.resolve("src-" + seed), seed, 4096);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Problem problem,
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    return assertThatThrownBy(call).isInstanceOfSatisfying(RegistryException.class,
        e -> assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem));
  }

  @Test
  @DisplayName("publish assigns v1, v2, ... per name as candidates, with the metadata essentials and time")
  void publishNumbersVersions() throws Exception {
    ModelVersion a = registry.publish("bitbrains", model("a"));
    clock.advance(Duration.ofMinutes(1));
    ModelVersion b = registry.publish("bitbrains", model("b"));
    ModelVersion other = registry.publish("google", model("c"));
    assertThat(a.version()).isEqualTo(Version.parse("v1"));
    assertThat(b.version()).isEqualTo(Version.parse("v2"));
    assertThat(other.version()).isEqualTo(new Version(1));
    assertThat(a.state()).isEqualTo(ModelState.CANDIDATE);
    assertThat(a.submittedAt()).isEqualTo(T0);
    assertThat(b.submittedAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    assertThat(a.promotedAt()).isEmpty();
    assertThat(a.model().featureSchemaId()).isEqualTo("presize-features/1-1ac1181f");
    assertThat(a.model().targets()).containsExactly("memory", "cpu");
    assertThat(a.model().modelName()).isEqualTo("test-a");
    assertThat(a.model().createdAt()).isEqualTo(Instant.parse("2026-11-24T04:00:00Z"));
    assertThat(a.model().digest()).startsWith("sha256:").isNotEqualTo(b.model().digest());
    assertThat(registry.versions("bitbrains")).extracting(ModelVersion::version)
        .containsExactly(new Version(1), new Version(2));
    assertThat(registry.list()).containsExactly(
        new ModelSummary("bitbrains", Optional.empty(), new Version(2), 2),
        new ModelSummary("google", Optional.empty(), new Version(1), 1));
    assertThat(registry.current("bitbrains")).isEmpty();
  }

  @Test
  @DisplayName("open returns a verified local copy whose files equal the published directory's")
  void openReturnsTheFiles() throws Exception {
    Path src = model("a");
    ModelVersion v = registry.publish("m", src);
    VerifiedModel opened = registry.open("m", v.version());
    assertThat(opened.version()).isEqualTo(v);
    for (String f : List.of("metadata.json", "memory.json", "cpu.json", "SHA256SUMS")) {
      assertThat(Files.readAllBytes(opened.directory().resolve(f))).as(f).isEqualTo(Files.readAllBytes(src.resolve(f)));
    }
  }

  @Test
  @DisplayName("promote makes a version current, retires the previous one; rollback restores it at once")
  void promoteAndRollback() throws Exception {
    registry.publish("m", model("a"));
    registry.publish("m", model("b"));
    registry.publish("m", model("c"));
    Promotion p1 = registry.promote("m", new Version(1));
    assertThat(p1).isEqualTo(new Promotion("m", new Version(1), Optional.empty(), T0));
    clock.advance(Duration.ofHours(1));
    Promotion p2 = registry.promote("m", new Version(2));
    assertThat(p2.previous()).contains(new Version(1));
    VerifiedModel cur = registry.current("m").orElseThrow();
    assertThat(cur.version().version()).isEqualTo(new Version(2));
    assertThat(cur.version().state()).isEqualTo(ModelState.CURRENT);
    assertThat(cur.version().promotedAt()).contains(T0.plus(Duration.ofHours(1)));
    assertThat(registry.versions("m")).extracting(ModelVersion::state)
        .containsExactly(ModelState.RETIRED, ModelState.CURRENT, ModelState.CANDIDATE);
    assertThat(registry.list()).containsExactly(new ModelSummary("m", Optional.of(new Version(2)), new Version(3), 3));

    registry.promote("m", new Version(3));
    assertThat(registry.rollback("m")).isEqualTo(new Promotion("m", new Version(2), Optional.of(new Version(3)),
        T0.plus(Duration.ofHours(1))));
    assertThat(registry.current("m").orElseThrow().version().version()).isEqualTo(new Version(2));
    assertThat(registry.rollback("m").current()).isEqualTo(new Version(1));
    assertThat(registry.versions("m")).extracting(ModelVersion::state)
        .containsExactly(ModelState.CURRENT, ModelState.RETIRED, ModelState.RETIRED);
    assertRefused(Problem.STATE, () -> registry.rollback("m")).hasMessageContaining("no previous version");
    assertThat(registry.current("m").orElseThrow().version().version()).isEqualTo(new Version(1));
    // a retired version can be promoted again
    assertThat(registry.promote("m", new Version(3)).previous()).contains(new Version(1));
  }

  @Test
  @DisplayName("promoting the current version again, or rolling back with nothing promoted, is refused")
  void promoteTwiceAndEmptyRollback() throws Exception {
    registry.publish("m", model("a"));
    assertRefused(Problem.STATE, () -> registry.rollback("m")).hasMessageContaining("no version was ever promoted");
    registry.promote("m", new Version(1));
    assertRefused(Problem.STATE, () -> registry.promote("m", new Version(1))).hasMessageContaining("already current");
  }

  @Test
  @DisplayName("reject marks a candidate with its reason; a rejected one cannot be promoted, a current one not rejected")
  void reject() throws Exception {
    registry.publish("m", model("a"));
    registry.publish("m", model("b"));
    registry.promote("m", new Version(1));
    clock.advance(Duration.ofMinutes(5));
    ModelVersion r = registry.reject("m", new Version(2), "pinball 0.031 > current 0.027");
    assertThat(r.state()).isEqualTo(ModelState.REJECTED);
    assertThat(r.reason()).contains("pinball 0.031 > current 0.027");
    assertThat(registry.versions("m").get(1)).isEqualTo(r);
    assertRefused(Problem.STATE, () -> registry.promote("m", new Version(2)))
        .hasMessageContaining("rejected").hasMessageContaining("pinball 0.031");
    assertRefused(Problem.STATE, () -> registry.reject("m", new Version(1), "x")).hasMessageContaining("current");
    assertRefused(Problem.STATE, () -> registry.reject("m", new Version(2), "again"))
        .hasMessageContaining("rejected");
    assertThatThrownBy(() -> registry.reject("m", new Version(2), " ")).isInstanceOf(IllegalArgumentException.class);
    assertThat(registry.current("m").orElseThrow().version().version()).isEqualTo(new Version(1));
  }

  @Test
  @DisplayName("a flipped byte in a stored model file: promote and open are refused, current stays in force")
  void corruptVersionRefused() throws Exception {
    registry.publish("m", model("a"));
    registry.publish("m", model("b"));
    registry.promote("m", new Version(1));
    corrupt("m", new Version(2), "memory.json");
    assertRefused(Problem.DAMAGED, () -> registry.promote("m", new Version(2)))
        .hasMessageContaining("memory.json").hasMessageContaining("current version stays v1");
    assertRefused(Problem.DAMAGED, () -> registry.open("m", new Version(2))).hasMessageContaining("memory.json");
    assertThat(registry.current("m").orElseThrow().version().version()).isEqualTo(new Version(1));
    assertThat(registry.versions("m").get(1).state()).isEqualTo(ModelState.CANDIDATE);
  }

  @Test
  @DisplayName("a missing file in a stored version (partial) is refused like a corrupt one")
  void partialVersionRefused() throws Exception {
    registry.publish("m", model("a"));
    delete("m", new Version(1), "cpu.json");
    assertRefused(Problem.DAMAGED, () -> registry.promote("m", new Version(1))).hasMessageContaining("cpu.json");
    assertThat(registry.current("m")).isEmpty();
  }

  @Test
  @DisplayName("current() on a damaged current version is a clear error that says to roll back; rollback then works")
  void damagedCurrent() throws Exception {
    registry.publish("m", model("a"));
    registry.publish("m", model("b"));
    registry.promote("m", new Version(1));
    registry.promote("m", new Version(2));
    corrupt("m", new Version(2), "metadata.json");
    assertRefused(Problem.DAMAGED, () -> registry.current("m"))
        .hasMessageContaining("m/v2").hasMessageContaining("metadata.json").hasMessageContaining("rollback");
    assertThat(registry.rollback("m").current()).isEqualTo(new Version(1));
    assertThat(registry.current("m").orElseThrow().version().version()).isEqualTo(new Version(1));
  }

  @Test
  @DisplayName("rollback to a damaged previous version is refused and the pointer is unchanged")
  void rollbackToDamaged() throws Exception {
    registry.publish("m", model("a"));
    registry.publish("m", model("b"));
    registry.promote("m", new Version(1));
    registry.promote("m", new Version(2));
    corrupt("m", new Version(1), "cpu.json");
    assertRefused(Problem.DAMAGED, () -> registry.rollback("m"))
        .hasMessageContaining("v1 is damaged").hasMessageContaining("current version stays v2");
    assertThat(registry.current("m").orElseThrow().version().version()).isEqualTo(new Version(2));
  }

  @Test
  @DisplayName("a model directory without SHA256SUMS or with a mismatching file is refused at publish")
  void badSourceRefused() throws Exception {
    Path noSums = model("a");
    Files.delete(noSums.resolve("SHA256SUMS"));
    assertRefused(Problem.DAMAGED, () -> registry.publish("m", noSums)).hasMessageContaining("SHA256SUMS");
    Path bad = model("b");
    ModelDirs.flipByte(bad.resolve("cpu.json"));
    assertRefused(Problem.DAMAGED, () -> registry.publish("m", bad)).hasMessageContaining("cpu.json");
    Path extra = model("c");
    Files.writeString(extra.resolve("notes.txt"), "unlisted");
    assertRefused(Problem.DAMAGED, () -> registry.publish("m", extra)).hasMessageContaining("notes.txt");
    Path badMeta = work.resolve("badmeta");
    Files.createDirectories(badMeta);
    Files.writeString(badMeta.resolve("metadata.json"), "{\"format\": \"other/9\"}");
    ModelChecksums.write(badMeta);
    assertRefused(Problem.DAMAGED, () -> registry.publish("m", badMeta)).hasMessageContaining("other/9");
    assertThat(registry.list()).isEmpty();
  }

  @Test
  @DisplayName("unknown names and versions are NOT_FOUND errors listing what exists")
  void unknown() throws Exception {
    registry.publish("alpha", model("a"));
    registry.publish("beta", model("b"));
    assertRefused(Problem.NOT_FOUND, () -> registry.versions("gamma"))
        .hasMessageContaining("gamma").hasMessageContaining("alpha, beta");
    assertRefused(Problem.NOT_FOUND, () -> registry.current("gamma")).hasMessageContaining("alpha, beta");
    assertRefused(Problem.NOT_FOUND, () -> registry.promote("alpha", new Version(7)))
        .hasMessageContaining("v7").hasMessageContaining("versions: v1");
    assertRefused(Problem.NOT_FOUND, () -> registry.open("alpha", new Version(2))).hasMessageContaining("v1");
    assertRefused(Problem.NOT_FOUND, () -> registry.rollback("gamma")).hasMessageContaining("alpha, beta");
  }

  @Test
  @DisplayName("names and versions that could escape the layout are refused with the bad value named")
  void badNames() throws Exception {
    Path src = model("a");
    for (String bad : new String[] {"..", ".", "a/b", "../x", "", ".hidden", "a\\b", "x".repeat(65), "a b"}) {
      assertThatThrownBy(() -> registry.publish(bad, src)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'");
      assertThatThrownBy(() -> registry.versions(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    for (String bad : new String[] {"../v1", "v0", "1", "v1/..", "v01", "V1", "v-1", ""}) {
      assertThatThrownBy(() -> Version.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'");
    }
    assertThat(registry.list()).isEmpty();
  }
}
