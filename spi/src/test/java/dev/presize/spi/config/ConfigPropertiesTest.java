package dev.presize.spi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigPropertiesTest {

  @Test
  @DisplayName("layers: defaults < file < environment < system properties")
  void layering() {
    var c = ConfigProperties.layered(
        Map.of("presize.a", "1ms", "presize.b", "1ms", "presize.c", "1ms", "presize.d", "1ms"),
        Map.of("presize.b", "2ms", "presize.c", "2ms", "presize.d", "2ms"),
        Map.of("PRESIZE_C", "3ms", "PRESIZE_D", "3ms", "PATH", "/bin"),
        Map.of("presize.d", "4ms", "java.home", "/x"));
    assertThat(c.getDuration("presize.a")).contains(Duration.ofMillis(1));
    assertThat(c.getDuration("presize.b")).contains(Duration.ofMillis(2));
    assertThat(c.getDuration("presize.c")).contains(Duration.ofMillis(3));
    assertThat(c.getDuration("presize.d")).contains(Duration.ofMillis(4));
    assertThat(c.asMap()).doesNotContainKeys("PATH", "java.home", "path");
  }

  @Test
  @DisplayName("an environment variable reaches a dashed key: PRESIZE_SAMPLING_TREE_RESCAN -> presize.sampling.tree-rescan")
  void envToDashedKey() {
    var c = ConfigProperties.layered(Map.of(), Map.of(), Map.of("PRESIZE_SAMPLING_TREE_RESCAN", "250ms"), Map.of());
    assertThat(c.getDuration("presize.sampling.tree-rescan")).contains(Duration.ofMillis(250));
    assertThat(ConfigProperties.keyToEnv("presize.sampling.tree-rescan")).isEqualTo("PRESIZE_SAMPLING_TREE_RESCAN");
  }

  @Test
  @DisplayName("durations need a unit; a unitless number is rejected naming key=value and the units")
  void durations() {
    assertThat(Quantities.parseDuration("10ms")).isEqualTo(Duration.ofMillis(10));
    assertThat(Quantities.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Quantities.parseDuration("250us")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(Quantities.parseDuration("PT2S")).isEqualTo(Duration.ofSeconds(2));
    var c = ConfigProperties.of(Map.of("presize.sampling.interval", "10", "presize.x", "3 parsecs"));
    assertThatThrownBy(() -> c.getDuration("presize.sampling.interval"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("presize.sampling.interval=10").hasMessageContaining("no unit")
        .hasMessageContaining("ms");
    assertThatThrownBy(() -> c.getDuration("presize.x")).hasMessageContaining("unknown duration unit 'parsecs'");
  }

  @Test
  @DisplayName("positive durations reject zero")
  void positive() {
    var c = ConfigProperties.of(Map.of("presize.i", "0ms"));
    assertThatThrownBy(() -> c.getPositiveDuration("presize.i", Duration.ofMillis(1)))
        .hasMessageContaining("presize.i=0ms").hasMessageContaining("greater than zero");
  }

  @Test
  @DisplayName("sizes take binary and decimal units; unitless is rejected")
  void sizes() {
    assertThat(Quantities.parseBytes("512Mi")).isEqualTo(512L << 20);
    assertThat(Quantities.parseBytes("1.5Gi")).isEqualTo(3L << 29);
    assertThat(Quantities.parseBytes("2G")).isEqualTo(2_000_000_000L);
    assertThat(Quantities.parseBytes("100B")).isEqualTo(100);
    assertThatThrownBy(() -> ConfigProperties.of(Map.of("presize.m", "512")).getBytes("presize.m"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("presize.m=512").hasMessageContaining("Mi");
    assertThat(Quantities.formatBytes(301L << 20)).isEqualTo("301Mi");
    assertThat(Quantities.formatBytes(512)).isEqualTo("512B");
    assertThat(Quantities.formatBytes(1L << 30)).as("an exact multiple as written").isEqualTo("1Gi");
    assertThat(Quantities.formatBytes(4096)).isEqualTo("4Ki");
    assertThat(Quantities.formatBytes(1536L << 20)).isEqualTo("1.50Gi");
  }

  @Test
  @DisplayName("booleans and ints are typed; garbage names the key")
  void typed() {
    var c = ConfigProperties.of(Map.of("presize.b", "yes", "presize.n", "x"));
    assertThat(c.getBoolean("presize.b", false)).isTrue();
    assertThatThrownBy(() -> c.getInt("presize.n", 1)).hasMessageContaining("presize.n=x");
  }

  @Test
  @DisplayName("the settings nothing asked for are told apart (a misspelt key), across copies made with with()")
  void neverAsked() {
    var base = ConfigProperties.of(Map.of("presize.a", "1"));
    var copy = base.with(Map.of("presize.policy.memory.headroomm", "20%", "presize.sampling.tree.rescan", "1s"));
    var keys = java.util.List.of("presize.a", "presize.policy.memory.headroomm", "presize.sampling.tree.rescan",
        "presize.b");
    assertThat(copy.neverAsked(keys)).containsExactly("presize.a", "presize.b", "presize.policy.memory.headroomm",
        "presize.sampling.tree.rescan");
    assertThat(base.getString("presize.a")).contains("1");
    copy.getDuration("presize.sampling.tree-rescan"); // the dashed key finds the dotted one: asked
    copy.getInt("presize.b", 3); // asked, though not set
    copy.getString("presize.policy.memory.headroom");
    assertThat(copy.neverAsked(keys)).containsExactly("presize.policy.memory.headroomm");
    assertThat(base.neverAsked(keys)).as("shared with the copy it was made from")
        .containsExactly("presize.policy.memory.headroomm");
  }
}
