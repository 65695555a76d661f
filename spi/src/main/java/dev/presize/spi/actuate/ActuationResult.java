package dev.presize.spi.actuate;

import dev.presize.spi.resources.ResourceProfile;
import java.time.Duration;
import java.util.Objects;

/**
 * What became of one request to apply a resource profile. Closed: callers switch over it exhaustively.
 */
public sealed interface ActuationResult
    permits ActuationResult.Applied, ActuationResult.Skipped, ActuationResult.Rejected, ActuationResult.Failed {

  /** The profile now in force (possibly adjusted from what was asked, e.g. rounded to the platform's steps). */
  record Applied(ResourceProfile inForce, Duration took) implements ActuationResult {
    public Applied {
      Objects.requireNonNull(inForce, "inForce");
      Objects.requireNonNull(took, "took");
    }
  }

  /** Nothing was done because nothing needed doing (same profile, change under the hysteresis threshold). */
  record Skipped(String reason) implements ActuationResult {
    public Skipped {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The request was refused before reaching the platform because applying it would be unsafe or outside bounds
   * (e.g. memory below current usage plus the guard, above the function's maximum).
   */
  record Rejected(ResourceProfile requested, String reason) implements ActuationResult {
    public Rejected {
      Objects.requireNonNull(requested, "requested");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The platform call failed. What is in force is the previous profile unless the actuator's message says part of
   * the request took effect (e.g. memory written, then CPU refused): callers that keep the profile in force read it
   * back with {@link Actuator#current()}.
   */
  record Failed(ResourceProfile requested, String message, Throwable cause, boolean retryable)
      implements ActuationResult {
    public Failed {
      Objects.requireNonNull(requested, "requested");
      Objects.requireNonNull(message, "message");
    }
  }
}
