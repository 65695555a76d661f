package dev.presize.spi.actuate;

import dev.presize.spi.Provider;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.Support;

/** Creates an {@link Actuator} for one platform. Discovered with ServiceLoader. */
public interface ActuatorProvider extends Provider {

  /** Whether this provider can resize {@code target} here. Cheap; never throws. */
  Support probe(ActuationTarget target, ProviderContext context);

  /** Creates the actuator; throws {@link dev.presize.spi.PresizeException} naming what failed. */
  Actuator create(ActuationTarget target, ProviderContext context);
}
