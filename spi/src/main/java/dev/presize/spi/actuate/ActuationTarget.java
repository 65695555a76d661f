package dev.presize.spi.actuate;

import java.util.Map;
import java.util.Objects;

/**
 * The function instance an actuator resizes, identified the way its platform does.
 *
 * @param functionId Presize's id of the function
 * @param coordinates platform coordinates, e.g. {@code pid}, {@code cgroup.memory}, {@code namespace},
 *     {@code pod}, {@code container}, {@code lambda.function}
 */
public record ActuationTarget(String functionId, Map<String, String> coordinates) {

  public ActuationTarget {
    Objects.requireNonNull(functionId, "functionId");
    coordinates = Map.copyOf(coordinates);
  }

  /** The coordinate {@code key}, or an error naming the function and the key. */
  public String require(String key) {
    String v = coordinates.get(key);
    if (v == null) {
      throw new IllegalArgumentException("function " + functionId + " has no coordinate '" + key + "'; has "
          + coordinates.keySet());
    }
    return v;
  }
}
