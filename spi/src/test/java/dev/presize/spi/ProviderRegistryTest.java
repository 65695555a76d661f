package dev.presize.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

  interface Thing extends Provider {}

  record Fake(String name, int priority, boolean ok) implements Thing {}

  private static final Map<String, Support> NONE = Map.of();

  private static Support probe(Thing t) {
    Fake f = (Fake) t;
    return f.ok() ? Support.yes("here") : Support.no(f.name() + " needs /dev/thing");
  }

  @Test
  @DisplayName("the supported provider with the highest priority is chosen when none is named")
  void highestSupportedPriority() {
    var reg = ProviderRegistry.of(Thing.class, List.of(new Fake("a", 10, true), new Fake("b", 50, false),
        new Fake("c", 20, true)));
    var sel = reg.select(Optional.empty(), ProviderRegistryTest::probe);
    assertThat(sel.provider().name()).isEqualTo("c");
    assertThat(sel.warnings()).isEmpty();
  }

  @Test
  @DisplayName("explicit selection by name wins over priority")
  void explicitWins() {
    var reg = ProviderRegistry.of(Thing.class, List.of(new Fake("a", 10, true), new Fake("c", 20, true)));
    assertThat(reg.select(Optional.of("a"), ProviderRegistryTest::probe).provider().name()).isEqualTo("a");
  }

  @Test
  @DisplayName("a provider named explicitly but unsupported is an error with its reason, not a silent fallback")
  void explicitUnsupported() {
    var reg = ProviderRegistry.of(Thing.class, List.of(new Fake("a", 10, false), new Fake("c", 20, true)));
    assertThatThrownBy(() -> reg.select(Optional.of("a"), ProviderRegistryTest::probe))
        .isInstanceOf(PresizeException.class).hasMessageContaining("'a'").hasMessageContaining("needs /dev/thing");
  }

  @Test
  @DisplayName("an unknown explicit name lists the available providers")
  void explicitUnknown() {
    var reg = ProviderRegistry.of(Thing.class, List.of(new Fake("a", 10, true), new Fake("c", 20, true)));
    assertThatThrownBy(() -> reg.select(Optional.of("zz"), ProviderRegistryTest::probe))
        .hasMessageContaining("no provider named 'zz'").hasMessageContaining("a, c");
  }

  @Test
  @DisplayName("a tie at the top priority warns naming every tied candidate")
  void tieWarns() {
    var reg = ProviderRegistry.of(Thing.class, List.of(new Fake("x", 5, true), new Fake("y", 5, true),
        new Fake("z", 1, true)));
    var sel = reg.select(Optional.empty(), ProviderRegistryTest::probe);
    assertThat(sel.provider().name()).isEqualTo("x");
    assertThat(sel.warnings()).singleElement().asString().contains("x (", "y (").doesNotContain("z (");
  }

  @Test
  @DisplayName("none supported is an actionable error naming each provider and what it lacks")
  void noneSupported() {
    var reg = ProviderRegistry.of(Thing.class, List.of(new Fake("a", 1, false), new Fake("b", 2, false)));
    assertThatThrownBy(() -> reg.select(Optional.empty(), ProviderRegistryTest::probe))
        .hasMessageContaining("a: a needs /dev/thing").hasMessageContaining("b: b needs /dev/thing")
        .hasMessageContaining("add a provider");
    var empty = ProviderRegistry.of(Thing.class, List.<Thing>of());
    assertThatThrownBy(() -> empty.select(Optional.empty(), ProviderRegistryTest::probe))
        .hasMessageContaining("none is on the class path");
  }

  @Test
  @DisplayName("two providers with the same name fail fast, naming both classes")
  void duplicateNames() {
    Thing other = new Thing() {
      @Override
      public String name() {
        return "a";
      }
    };
    assertThatThrownBy(() -> ProviderRegistry.of(Thing.class, List.of(new Fake("a", 1, true), other)))
        .isInstanceOf(PresizeException.class).hasMessageContaining("duplicate provider name 'a'")
        .hasMessageContaining(Fake.class.getName()).hasMessageContaining("ProviderRegistryTest$1");
  }

  @Test
  @DisplayName("ServiceLoader discovery with no registered providers yields an empty registry")
  void loadEmpty() {
    assertThat(ProviderRegistry.load(Thing.class).all()).isEmpty();
    assertThat(NONE).isEmpty();
  }
}
