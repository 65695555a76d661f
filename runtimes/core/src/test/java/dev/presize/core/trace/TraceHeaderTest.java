package dev.presize.core.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presize.spi.metrics.Metric;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TraceHeaderTest {

  @Test
  @DisplayName("the builder defaults to the current format, the SPI schema and a 10 ms interval")
  void defaults() {
    TraceHeader h = TraceHeader.builder("fn", Metric.PROC_RSS_BYTES, Metric.JVM_GC_COUNT).build();

    assertThat(h.formatVersion()).isEqualTo(TraceFormatVersion.CURRENT);
    assertThat(h.schemaId()).isEqualTo(Metric.SCHEMA_ID);
    assertThat(h.samplingInterval()).isEqualTo(Duration.ofMillis(10));
    assertThat(h.columns()).containsExactly("proc.rss", "jvm.gc.count");
    assertThat(h.columnIndex("jvm.gc.count")).isEqualTo(1);
    assertThat(h.columnIndex("nope")).isEqualTo(-1);
  }

  @Test
  @DisplayName("invalid values are rejected with the bad value in the message")
  void validation() {
    assertThatThrownBy(() -> TraceHeader.builder(" ", List.of("a")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("functionId must not be blank but was ' '");
    assertThatThrownBy(() -> TraceHeader.builder("fn", List.of()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("columns must name at least one");
    assertThatThrownBy(() -> TraceHeader.builder("fn", List.of("a", "b", "a")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a' repeats in [a, b, a]");
    assertThatThrownBy(() -> TraceHeader.builder("fn", List.of("a")).samplingInterval(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("samplingInterval must be positive but was PT0S");
    assertThatThrownBy(() -> TraceHeader.builder("fn", List.of("a")).inputSizeBytes(-3).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inputSizeBytes must not be negative but was -3");
    assertThatThrownBy(() -> TraceHeader.builder("fn", List.of("a")).command(Arrays.asList("java", null)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("command[1] must not be null");
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("memory.limit", null);
    assertThatThrownBy(() -> TraceHeader.builder("fn", List.of("a")).limits(nullValue).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limits[memory.limit] must not be null");
    assertThatThrownBy(() -> new TraceFormatVersion(0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("major must be in [1, 65535] but was 0");
  }

  @Test
  @DisplayName("the header is immutable: later changes to the caller's lists and maps do not leak in")
  void defensiveCopies() {
    List<String> columns = new java.util.ArrayList<>(List.of("a"));
    Map<String, String> attrs = new HashMap<>(Map.of("k", "v"));
    TraceHeader h = TraceHeader.builder("fn", columns).attributes(attrs).build();
    columns.add("b");
    attrs.put("k2", "v2");

    assertThat(h.columns()).containsExactly("a");
    assertThat(h.attributes()).containsOnlyKeys("k");
    assertThatThrownBy(() -> h.limits().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  @DisplayName("a string that is not valid Unicode (an unpaired surrogate) is refused at create, not mangled")
  void unpairedSurrogate() {
    TraceHeader h = TraceHeader.builder("fn", List.of("a")).command(List.of("bad\uD800arg")).build();
    assertThatThrownBy(() -> TraceFormat.encodeHeader(h))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid Unicode");
  }
}
