package dev.presize.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.presize.spi.checkpoint.Checkpointable;
import dev.presize.spi.resources.Resource;
import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CatalogueTest {

  @Test
  @DisplayName("the suite has at least 14 workloads with unique lower-case-dashed names, in a stable order")
  void namesAreUnique() {
    List<String> names = Workloads.all().stream().map(Workload::name).collect(Collectors.toList());
    assertThat(names).hasSizeGreaterThanOrEqualTo(14).doesNotHaveDuplicates();
    assertThat(names).allMatch(n -> n.matches("[a-z0-9]+(-[a-z0-9]+)*"));
    assertThat(Workloads.all()).isSameAs(Workloads.all());
  }

  @Test
  @DisplayName("every resource is the dominant (first) resource of at least two workloads")
  void everyResourceDominatesTwice() {
    Map<Resource, Integer> dominant = new EnumMap<>(Resource.class);
    for (Workload w : Workloads.all()) {
      assertThat(w.dominant()).isEqualTo(w.resources().iterator().next());
      dominant.merge(w.dominant(), 1, Integer::sum);
    }
    assertThat(dominant).containsOnlyKeys(Resource.values());
    assertThat(dominant.values()).allMatch(count -> count >= 2);
  }

  @Test
  @DisplayName("at least three workloads are checkpointable, and the flag matches the function's type")
  void checkpointableFlagIsTrue() {
    assertThat(Workloads.all().stream().filter(Workload::checkpointable).count()).isGreaterThanOrEqualTo(3);
    for (Workload w : Workloads.all()) {
      assertThat(w.factory().get() instanceof Checkpointable).as(w.name()).isEqualTo(w.checkpointable());
      assertThat(w.factory().get()).as("a fresh instance per call").isNotSameAs(w.factory().get());
    }
  }

  @Test
  @DisplayName("size ladders have at least four strictly ascending values, and only network workloads need the server")
  void laddersAscend() {
    for (Workload w : Workloads.all()) {
      assertThat(w.sizes()).as(w.name()).hasSizeGreaterThanOrEqualTo(4).isSorted().doesNotHaveDuplicates();
      assertThat(w.needsServer()).as(w.name()).isEqualTo(w.dominant() == Resource.NETWORK);
      assertThat(w.description()).as(w.name()).containsIgnoringCase("size unit");
    }
  }

  @Test
  @DisplayName("byName finds a workload, and an unknown name is refused listing the known names")
  void byName() {
    assertThat(Workloads.byName("sort-array").name()).isEqualTo("sort-array");
    assertThatThrownBy(() -> Workloads.byName("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope")
        .hasMessageContaining("matrix-multiply")
        .hasMessageContaining("object-sync");
  }

  @Test
  @DisplayName("request() writes size, seed and (for network workloads) server, and refuses a missing server")
  void requestJson() throws Exception {
    JsonNode plain = Json.MAPPER.readTree(Workloads.request(Workloads.byName("sort-array"), 10, -3, Optional.empty()));
    assertThat(plain.get("size").longValue()).isEqualTo(10);
    assertThat(plain.get("seed").longValue()).isEqualTo(-3);
    assertThat(plain.has("server")).isFalse();

    Workload net = Workloads.byName("network-transfer");
    JsonNode withServer = Json.MAPPER.readTree(
        Workloads.request(net, 4, 1, Optional.of(URI.create("http://127.0.0.1:1234/"))));
    assertThat(withServer.get("server").textValue()).isEqualTo("http://127.0.0.1:1234/");
    assertThatThrownBy(() -> Workloads.request(net, 4, 1, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("network-transfer");
    assertThatThrownBy(() -> Workloads.request(net, 0, 1, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
  }

  @Test
  @DisplayName("Workload refuses bad values naming them: a bad name, too few sizes, sizes out of order, no resources")
  void workloadValidation() {
    Workload ok = Workloads.byName("sort-array");
    assertThatThrownBy(() -> new Workload("Bad Name", "cpu", ok.resources(), false, "d", ok.sizes(), ok.maxSize(), false, ok.factory()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Bad Name");
    assertThatThrownBy(() -> new Workload("x", "cpu", ok.resources(), false, "d", List.of(1L, 2L, 3L), 10, false, ok.factory()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 2, 3]");
    assertThatThrownBy(() -> new Workload("x", "cpu", ok.resources(), false, "d", List.of(1L, 3L, 2L, 4L), 10, false, ok.factory()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 3, 2, 4]");
    assertThatThrownBy(() -> new Workload("x", "cpu", Set.of(), false, "d", ok.sizes(), ok.maxSize(), false, ok.factory()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resources");
    assertThatThrownBy(() -> new Workload("x", "cpu", ok.resources(), false, "d", List.of(1L, 2L, 3L, 4L), 3, false,
        ok.factory())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSize 3");
  }

  @Test
  @DisplayName("each workload's maxSize is the bound its own function applies: the function refuses maxSize + 1"
      + " (as it parses its request, before any work), and checkSize refuses what the function would")
  void maxSizeIsTheFunctionsBound() throws Exception {
    for (Workload w : Workloads.all()) {
      Optional<URI> server = w.needsServer() ? Optional.of(URI.create("http://127.0.0.1:1/")) : Optional.empty();
      String tooBig = Json.MAPPER.writeValueAsString(Map.of("size", w.maxSize() + 1, "seed", 0,
          "server", server.map(URI::toString).orElse("http://127.0.0.1:1/")));
      assertThatThrownBy(() -> w.factory().get().invoke(tooBig)).as(w.name())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size must be <= " + w.maxSize());
      w.checkSize(w.maxSize());
      w.checkSize(w.sizes().get(w.sizes().size() - 1));
      assertThatThrownBy(() -> w.checkSize(w.maxSize() + 1)).as(w.name())
          .hasMessage("size must be 1 to " + w.maxSize() + ", was " + (w.maxSize() + 1) + " (its sizes: " + w.sizes()
              + ")");
      assertThatThrownBy(() -> w.checkSize(0)).as(w.name()).hasMessageContaining("was 0");
      assertThatThrownBy(() -> Workloads.request(w, w.maxSize() + 1, 0, server)).as(w.name())
          .hasMessageContaining("size must be 1 to");
    }
  }
}
