package dev.presize.core.checkpoint;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.checkpoint.CheckpointStore;
import dev.presize.spi.checkpoint.Checkpointer;
import dev.presize.spi.checkpoint.CheckpointerProvider;
import java.time.InstantSource;

/** Provides the {@link AppStateCheckpointer}: supported on every JVM, below CRaC when that is supported. */
public final class AppStateCheckpointerProvider implements CheckpointerProvider {

  @Override
  public String name() {
    return AppStateCheckpointer.NAME;
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public Support probe(ProviderContext context) {
    return Support.yes("application state of Checkpointable functions, any JVM");
  }

  @Override
  public Checkpointer create(CheckpointStore store, ProviderContext context) {
    return new AppStateCheckpointer(store, context.ticker(), InstantSource.system());
  }
}
