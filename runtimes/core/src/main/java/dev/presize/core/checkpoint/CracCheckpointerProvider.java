package dev.presize.core.checkpoint;

import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;
import dev.presize.spi.checkpoint.CheckpointStore;
import dev.presize.spi.checkpoint.Checkpointer;
import dev.presize.spi.checkpoint.CheckpointerProvider;
import java.time.InstantSource;

/** Provides the {@link CracCheckpointer}: preferred where CRaC works, unsupported (saying why) elsewhere. */
public final class CracCheckpointerProvider implements CheckpointerProvider {

  @Override
  public String name() {
    return CracCheckpointer.NAME;
  }

  @Override
  public int priority() {
    return 20;
  }

  @Override
  public Support probe(ProviderContext context) {
    return CracCheckpointer.probe();
  }

  @Override
  public Checkpointer create(CheckpointStore store, ProviderContext context) {
    Support s = probe(context);
    if (!s.supported()) {
      throw new dev.presize.spi.checkpoint.CheckpointException("create", "checkpointer " + NAME_FOR_MESSAGES,
          s.reason());
    }
    return new CracCheckpointer(store, context.ticker(), InstantSource.system());
  }

  private static final String NAME_FOR_MESSAGES = CracCheckpointer.NAME;
}
