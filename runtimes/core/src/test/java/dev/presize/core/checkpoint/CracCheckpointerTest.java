package dev.presize.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.Support;
import dev.presize.spi.checkpoint.CheckpointException;
import dev.presize.spi.checkpoint.CheckpointManifest;
import dev.presize.spi.checkpoint.CheckpointRequest;
import dev.presize.spi.checkpoint.CheckpointTrigger;
import dev.presize.spi.checkpoint.Checkpointer;
import dev.presize.spi.checkpoint.CheckpointerProvider;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.resources.ResourceProfile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.crac.Context;
import org.crac.Resource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CracCheckpointerTest {

  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final CheckpointRequest REQUEST = new CheckpointRequest("fn", "inv", CheckpointTrigger.CONTENTION,
      ResourceProfile.of(250, 128L << 20), T0);

  @TempDir
  Path root;

  private static boolean cracJdk() {
    return CracCheckpointer.probe().supported();
  }

  @Test
  @DisplayName("on this JDK (no CRaC) the provider reports unsupported naming CRaC, and the real checkpoint call fails saying so")
  void unsupportedHere() {
    assumeFalse(cracJdk(), "this JVM has CRaC: the unsupported path cannot be shown here");
    Support s = new CracCheckpointerProvider().probe(ProviderContext.of(ConfigProperties.empty()));
    assertThat(s.supported()).isFalse();
    assertThat(s.reason()).contains("no CRaC support").contains("jdk.crac.Core").contains("app-state")
        .contains(System.getProperty("java.runtime.version"));
    CracCheckpointer real = new CracCheckpointer(new FileCheckpointStore(root, 2), () -> 0L, Clock.systemUTC());
    assertThatThrownBy(() -> real.checkpoint(REQUEST)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("fn/inv").hasMessageContaining("no CRaC support")
        .hasCauseInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new CracCheckpointerProvider().create(new FileCheckpointStore(root, 2),
        ProviderContext.of(ConfigProperties.empty()))).hasMessageContaining("no CRaC support");
  }

  @Test
  @DisplayName("ServiceLoader finds both providers; here app-state is chosen, crac is higher priority where supported")
  void discovery() {
    ProviderRegistry<CheckpointerProvider> registry = ProviderRegistry.load(CheckpointerProvider.class);
    assertThat(registry.all()).extracting(CheckpointerProvider::name).containsExactly("crac", "app-state");
    ProviderContext ctx = ProviderContext.of(ConfigProperties.empty());
    var chosen = registry.select(Optional.empty(), p -> p.probe(ctx));
    assertThat(chosen.provider().name()).isEqualTo(cracJdk() ? "crac" : "app-state");
    Checkpointer c = registry.byName("app-state").orElseThrow().create(new FileCheckpointStore(root, 2), ctx);
    assertThat(c).isInstanceOf(AppStateCheckpointer.class);
  }

  /** A resource that records its hook calls in a shared log and optionally fails. */
  private record Recording(String name, List<String> log, boolean fail) implements Resource {
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws Exception {
      log.add("before " + name);
      if (fail) {
        throw new IllegalStateException(name + " cannot close");
      }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) throws Exception {
      log.add("after " + name);
      if (fail) {
        throw new IllegalStateException(name + " cannot reopen");
      }
    }
  }

  @Test
  @DisplayName("hooks run in reverse order before the checkpoint and forward after the restore; the manifest is stored")
  void hookOrder() {
    List<String> log = new ArrayList<>();
    FileCheckpointStore store = new FileCheckpointStore(root, 2);
    CracCheckpointer[] self = new CracCheckpointer[1];
    // What a CRaC JDK does inside Core.checkpointRestore(): the global context's hooks, then (restored) after.
    self[0] = new CracCheckpointer(store, () -> 5L, Clock.fixed(T0, ZoneOffset.UTC), () -> {
      self[0].hooks().beforeCheckpoint(null);
      log.add("-- checkpoint/restore --");
      self[0].hooks().afterRestore(null);
    });
    for (String n : new String[] {"a", "b", "c"}) {
      self[0].register(new Recording(n, log, false));
    }
    CheckpointManifest m = self[0].checkpoint(REQUEST);
    assertThat(log).containsExactly("before c", "before b", "before a", "-- checkpoint/restore --",
        "after a", "after b", "after c");
    assertThat(m.trigger()).isEqualTo(CheckpointTrigger.CONTENTION);
    assertThat(m.stateBytes()).isZero();
    assertThat(m.attributes()).containsEntry("checkpointer", "crac");
    assertThat(store.latest("fn", "inv")).contains(m);
  }

  @Test
  @DisplayName("every failing hook runs and is reported as suppressed; the checkpoint fails naming the count")
  void failuresCollected() {
    List<String> log = new ArrayList<>();
    CracHooks hooks = new CracHooks();
    hooks.register(new Recording("a", log, true));
    hooks.register(new Recording("b", log, false));
    hooks.register(new Recording("c", log, true));
    CracCheckpointer c = new CracCheckpointer(new FileCheckpointStore(root, 2), () -> 0L, Clock.systemUTC(),
        () -> hooks.beforeCheckpoint(null));
    assertThatThrownBy(() -> c.checkpoint(REQUEST)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("2 hook failure(s)")
        .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
            .containsExactly("c cannot close", "a cannot close"));
    assertThat(log).containsExactly("before c", "before b", "before a");
    assertThatThrownBy(() -> hooks.afterRestore(null)).isInstanceOf(org.crac.RestoreException.class)
        .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
            .containsExactly("a cannot reopen", "c cannot reopen"));
    assertThat(new FileCheckpointStore(root, 2).list("fn", "inv")).isEmpty();
  }
}
