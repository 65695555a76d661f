package dev.presize.trainer.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FeatureSchemaTest {

  private static final FeatureSchema STANDARD = FeatureExtractor.standard().schema();

  @Test
  @DisplayName("the standard schema has 28 features per resource, steps since start, step length and 12 invocation features")
  void standard() {
    assertThat(STANDARD.size()).isEqualTo(4 * 28 + 2 + 12);
    assertThat(STANDARD.names()).startsWith("cpu.level", "cpu.lag1").endsWith("cpu.history_same_input_ahead4", "cpu.history_same_input_ahead4_to_dpeak");
    assertThat(STANDARD.id()).as("the id documented in docs/features.md; update both together")
        .isEqualTo("presize-features/5-1e67c114");
    assertThat(FeatureExtractor.standard().schema().id()).as("stable").isEqualTo(STANDARD.id());
  }

  @Test
  @DisplayName("the schema id changes when a feature is added, removed, renamed or reordered, or the version bumps")
  void idChanges() {
    List<String> names = STANDARD.names();
    List<String> added = new ArrayList<>(names);
    added.add("memory.page_faults");
    List<String> removed = names.subList(0, names.size() - 1);
    List<String> renamed = new ArrayList<>(names);
    renamed.set(0, "cpu.value");
    List<String> reordered = new ArrayList<>(names);
    Collections.swap(reordered, 0, 1);

    int v = STANDARD.version();
    assertThat(new FeatureSchema(v, names).id()).isEqualTo(STANDARD.id());
    assertThat(List.of(new FeatureSchema(v, added).id(), new FeatureSchema(v, removed).id(),
        new FeatureSchema(v, renamed).id(), new FeatureSchema(v, reordered).id(), new FeatureSchema(v + 1, names).id(),
        STANDARD.id())).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("duplicate, blank or multi-line names are rejected with the name in the message")
  void invalid() {
    assertThatThrownBy(() -> new FeatureSchema(1, List.of("a", "a"))).hasMessageContaining("'a'");
    assertThatThrownBy(() -> new FeatureSchema(1, List.of(" "))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FeatureSchema(1, List.of("a\nb"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FeatureSchema(0, List.of("a"))).hasMessageContaining("0");
    assertThatThrownBy(() -> STANDARD.indexOf("nope")).hasMessageContaining("nope").hasMessageContaining(STANDARD.id());
  }
}
