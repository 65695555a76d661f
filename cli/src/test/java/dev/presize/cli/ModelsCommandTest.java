package dev.presize.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presize.core.registry.FileSystemModelRegistry;
import dev.presize.core.registry.ModelDirs;
import dev.presize.core.registry.Version;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code presize models list|show|promote|rollback} on a real filesystem registry. */
class ModelsCommandTest {

  record Run(int exit, String out, String err) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path work;

  private Path root;

  private Run run(String... args) {
    CliRun r = CliRun.of(args);
    return new Run(r.exit(), r.out(), r.err());
  }

  @BeforeEach
  void registry() throws Exception {
    root = work.resolve("registry");
    FileSystemModelRegistry r = new FileSystemModelRegistry(root);
    r.publish("bitbrains", ModelDirs.write(work.resolve("a"), "a", 2048));
    r.publish("bitbrains", ModelDirs.write(work.resolve("b"), "b", 2048));
    r.publish("bitbrains", ModelDirs.write(work.resolve("c"), "c", 2048));
    r.reject("bitbrains", new Version(3), "coverage 0.97 < 0.985");
    r.publish("google", ModelDirs.write(work.resolve("d"), "d", 2048));
  }

  @Test
  @DisplayName("list: a table, and --json an array of {name, current, latest, versions}")
  void list() throws Exception {
    Run table = run("models", "list", "--registry", root.toString());
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out()).contains("NAME", "CURRENT", "bitbrains", "google");
    Run json = run("models", "list", "--registry", root.toString(), "--json");
    JsonNode a = JSON.readTree(json.out());
    assertThat(a.size()).isEqualTo(2);
    assertThat(a.get(0).get("name").asText()).isEqualTo("bitbrains");
    assertThat(a.get(0).get("current").isNull()).isTrue();
    assertThat(a.get(0).get("latest").asText()).isEqualTo("v3");
    assertThat(a.get(0).get("versions").asInt()).isEqualTo(3);
  }

  @Test
  @DisplayName("promote, show and rollback through the command line, with --json results")
  void promoteShowRollback() throws Exception {
    String reg = root.toString();
    Run p1 = run("models", "promote", "bitbrains", "v1", "--registry", reg, "--json");
    assertThat(p1.exit()).as(p1.err()).isZero();
    assertThat(JSON.readTree(p1.out()).get("current").asText()).isEqualTo("v1");
    Run p2 = run("models", "promote", "bitbrains", "v2", "--registry", reg);
    assertThat(p2.out()).contains("bitbrains: current is v2 (was v1)");

    JsonNode show = JSON.readTree(run("models", "show", "bitbrains", "--registry", reg, "--json").out());
    assertThat(show.get("current").asText()).isEqualTo("v2");
    assertThat(show.get("versions").findValuesAsText("state")).containsExactly("retired", "current", "rejected");
    assertThat(show.get("versions").get(2).get("reason").asText()).isEqualTo("coverage 0.97 < 0.985");
    assertThat(run("models", "show", "bitbrains", "--registry", reg).out()).contains("VERSION", "rejected",
        "coverage 0.97");

    JsonNode one = JSON.readTree(run("models", "show", "bitbrains", "v2", "--registry", reg, "--json").out());
    assertThat(one.get("verified").asBoolean()).isTrue();
    assertThat(one.get("directory").asText()).endsWith("models/bitbrains/v2");
    assertThat(one.get("featureSchemaId").asText()).isEqualTo("presize-features/1-1ac1181f");

    Run rb = run("models", "rollback", "bitbrains", "--registry", reg, "--json");
    assertThat(rb.exit()).as(rb.err()).isZero();
    assertThat(JSON.readTree(rb.out()).get("current").asText()).isEqualTo("v1");
    assertThat(JSON.readTree(rb.out()).get("previous").asText()).isEqualTo("v2");
  }

  @Test
  @DisplayName("refusals exit 1 with the reason (corrupt, rejected, unknown); bad names or versions exit 2")
  void refusals() throws Exception {
    String reg = root.toString();
    run("models", "promote", "bitbrains", "v1", "--registry", reg);
    ModelDirs.flipByte(root.resolve("models/bitbrains/v2/memory.json"));
    Run corrupt = run("models", "promote", "bitbrains", "v2", "--registry", reg, "--json");
    assertThat(corrupt.exit()).isEqualTo(1);
    assertThat(corrupt.err()).contains("memory.json", "current version stays v1");
    assertThat(JSON.readTree(corrupt.out()).get("problem").asText()).isEqualTo("damaged");
    assertThat(run("models", "show", "bitbrains", "v2", "--registry", reg).exit()).isEqualTo(1);

    Run rejected = run("models", "promote", "bitbrains", "v3", "--registry", reg);
    assertThat(rejected.exit()).isEqualTo(1);
    assertThat(rejected.err()).contains("rejected", "coverage 0.97");
    Run unknown = run("models", "rollback", "nope", "--registry", reg);
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("bitbrains, google");
    Run noHistory = run("models", "rollback", "bitbrains", "--registry", reg);
    assertThat(noHistory.exit()).isEqualTo(1);

    assertThat(run("models", "promote", "bitbrains", "../v1", "--registry", reg).exit()).isEqualTo(2);
    Run badName = run("models", "promote", "../etc", "v1", "--registry", reg);
    assertThat(badName.exit()).isEqualTo(2);
    assertThat(badName.err()).contains("'../etc'");
    assertThat(run("models", "promote", "bitbrains", "--registry", reg).exit()).isEqualTo(2);
    assertThat(run("models", "list", "--registry", reg).out()).contains("v1");
  }

  @Test
  @DisplayName("without --registry the directory comes from presize.registry.dir")
  void registryFromConfig() throws Exception {
    String old = System.getProperty(ModelsCommand.REGISTRY_DIR);
    System.setProperty(ModelsCommand.REGISTRY_DIR, root.toString());
    try {
      Run r = run("models", "list", "--json");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(JSON.readTree(r.out()).size()).isEqualTo(2);
    } finally {
      if (old == null) {
        System.clearProperty(ModelsCommand.REGISTRY_DIR);
      } else {
        System.setProperty(ModelsCommand.REGISTRY_DIR, old);
      }
    }
  }
}
