package dev.presize.local.run;

import dev.presize.spi.resources.Forecast;
import dev.presize.spi.resources.ResourceProfile;
import java.util.List;
import java.util.Optional;

/**
 * A sizing method driving {@code presize run}: after every decision step it says what the command needs next,
 * either as a {@link Forecast} (quantiles, turned into limits by the allocation policy: Presize) or as limits
 * decided by the method itself (a baseline such as the VPA recommender), or nothing (static sizing).
 *
 * <p>Called on the controller's one thread, once per step, with every step so far (oldest first, the last one just
 * ended). It must decide from these only.
 */
public interface Sizer {

  /** The method's name in summaries and reports, e.g. {@code presize}, {@code vpa}, {@code static}. */
  String name();

  /**
   * Whether the controller keeps memory above usage plus the guard between decisions, at the sample rate, for this
   * method (Presize's own sizing: its limits follow the need, and a loop that is late under load must not let a
   * ramp reach the limit before the next decision). A baseline is left to its own decisions, as it would run
   * elsewhere.
   */
  default boolean keepsGuard() {
    return false;
  }

  /** What the command needs after {@code steps}; {@code inForce} is the profile the group has now. */
  Sizing next(List<Step> steps, ResourceProfile inForce);

  /**
   * One decision.
   *
   * @param forecast the need over the horizon, when the method forecasts (the policy sizes from it)
   * @param memoryBytes the memory limit the method asks for directly, or 0 for none
   * @param cpuMillicores the CPU limit the method asks for directly, or 0 for none
   */
  record Sizing(Optional<Forecast> forecast, long memoryBytes, long cpuMillicores) {

    /** Nothing to change. */
    public static final Sizing KEEP = new Sizing(Optional.empty(), 0, 0);

    public Sizing {
      if (memoryBytes < 0 || cpuMillicores < 0) {
        throw new IllegalArgumentException("limits must be >= 0 (0 = none), were memory " + memoryBytes
            + " cpu " + cpuMillicores + "m");
      }
      if (forecast.isPresent() && (memoryBytes > 0 || cpuMillicores > 0)) {
        throw new IllegalArgumentException("a sizing is a forecast or limits, not both");
      }
    }

    public static Sizing of(Forecast forecast) {
      return new Sizing(Optional.of(forecast), 0, 0);
    }

    public static Sizing limits(long memoryBytes, long cpuMillicores) {
      return new Sizing(Optional.empty(), memoryBytes, cpuMillicores);
    }
  }

  /** Static sizing: the limits the command started with, never changed. */
  static Sizer fixed() {
    return new Sizer() {
      @Override
      public String name() {
        return "static";
      }

      @Override
      public Sizing next(List<Step> steps, ResourceProfile inForce) {
        return Sizing.KEEP;
      }
    };
  }
}
