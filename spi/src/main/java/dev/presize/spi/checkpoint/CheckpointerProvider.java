package dev.presize.spi.checkpoint;

import dev.presize.spi.Provider;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;

/** Creates a {@link Checkpointer}. Discovered with ServiceLoader; CRaC reports itself unsupported off CRaC JDKs. */
public interface CheckpointerProvider extends Provider {

  /** Whether this JVM and host can take this kind of checkpoint. Cheap; never throws. */
  Support probe(ProviderContext context);

  /** Creates the checkpointer writing into {@code store}. */
  Checkpointer create(CheckpointStore store, ProviderContext context);
}
