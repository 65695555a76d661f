package dev.presize.core.policy;

import dev.presize.spi.resources.Resource;
import dev.presize.spi.resources.ResourceProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A target resource profile and why: every step of the policy chain that changed a value, in order, and the
 * resources that could not be given what they need within their bounds (contention).
 *
 * <p>Immutable; each decorator returns a new decision via {@link #with} and {@link #withContention}.
 *
 * @param current the profile in force when the decision was made
 * @param profile the profile decided
 * @param adjustments each change a step made, in the order the steps ran (innermost first)
 * @param contention resources whose need exceeded their maximum: memory whose usage plus guard is above
 *     {@code presize.policy.memory.max} (the limit is then set above the maximum rather than below usage), or
 *     a resource whose sized target was capped at its maximum
 */
public record AllocationDecision(ResourceProfile current, ResourceProfile profile, List<Adjustment> adjustments,
    Set<Resource> contention) {

  /**
   * One step's change to one resource.
   *
   * @param by the step, e.g. {@code quantile}, {@code headroom}, {@code usage-guard}
   * @param resource what it changed
   * @param fromValue the value before the step, in {@link Resource#unit()}
   * @param toValue the value after it, in the same unit
   * @param why in words, with the numbers that decided it
   */
  public record Adjustment(String by, Resource resource, long fromValue, long toValue, String why) {
    public Adjustment {
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(resource, "resource");
      Objects.requireNonNull(why, "why");
    }

    @Override
    public String toString() {
      return by + " " + resource.name().toLowerCase(java.util.Locale.ROOT) + " " + fromValue + "->" + toValue
          + " (" + why + ")";
    }
  }

  public AllocationDecision {
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(profile, "profile");
    adjustments = List.copyOf(adjustments);
    contention = contention.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(contention));
  }

  /** The decision to keep {@code current} as it is, before any step has run. */
  public static AllocationDecision keep(ResourceProfile current) {
    return new AllocationDecision(current, current, List.of(), Set.of());
  }

  /** Whether the decided profile differs from the one in force (else there is nothing to actuate). */
  public boolean changed() {
    return !profile.equals(current);
  }

  /** The decided value of {@code resource} in its unit. */
  public long value(Resource resource) {
    return valueOf(profile, resource);
  }

  /** Whether {@code resource} is in contention. */
  public boolean contended(Resource resource) {
    return contention.contains(resource);
  }

  /**
   * This decision with {@code resource} set to {@code value} by step {@code by}; itself if the value is
   * unchanged (so only real changes are recorded).
   */
  public AllocationDecision with(String by, Resource resource, long value, String why) {
    long from = value(resource);
    if (from == value) {
      return this;
    }
    ResourceProfile p = switch (resource) {
      case CPU -> profile.withCpuMillicores(value);
      case MEMORY -> profile.withMemoryBytes(value);
      case NETWORK -> new ResourceProfile(profile.cpuMillicores(), profile.memoryBytes(), value);
      case DISK -> throw new IllegalArgumentException("a resource profile has no DISK allocation");
    };
    List<Adjustment> a = new ArrayList<>(adjustments.size() + 1);
    a.addAll(adjustments);
    a.add(new Adjustment(by, resource, from, value, why));
    return new AllocationDecision(current, p, a, contention);
  }

  /** This decision with {@code resource} flagged as in contention. */
  public AllocationDecision withContention(Resource resource) {
    if (contention.contains(resource)) {
      return this;
    }
    Set<Resource> c = EnumSet.of(resource);
    c.addAll(contention);
    return new AllocationDecision(current, profile, adjustments, c);
  }

  /** The value of {@code resource} in {@code p}, in the resource's unit. */
  static long valueOf(ResourceProfile p, Resource resource) {
    return switch (resource) {
      case CPU -> p.cpuMillicores();
      case MEMORY -> p.memoryBytes();
      case NETWORK -> p.networkMbps();
      case DISK -> throw new IllegalArgumentException("a resource profile has no DISK allocation");
    };
  }

  @Override
  public String toString() {
    return "AllocationDecision[" + current + " -> " + profile + (contention.isEmpty() ? "" : " contention="
        + contention) + " " + adjustments + "]";
  }
}
