package dev.presize.workloads;

import dev.presize.spi.function.PresizeFunction;
import dev.presize.spi.resources.Resource;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One workload of the suite: a named function, what it stresses, and the ladder of input sizes it is recorded at.
 *
 * @param name lower-case-dashed, unique in the suite, e.g. {@code matrix-multiply}
 * @param category the shape of its load: {@code cpu}, {@code memory}, {@code network}, {@code disk} or
 *     {@code mixed}
 * @param resources the resources it stresses, the dominant one first (iteration order is kept)
 * @param checkpointable whether its functions implement {@link dev.presize.spi.checkpoint.Checkpointable}
 * @param description what it does, including the unit of its size
 * @param sizes the input-size ladder, strictly ascending, at least 4 positive values
 * @param maxSize the largest input size its function accepts (its request is refused above it), at least the
 *     ladder's last
 * @param needsServer whether its request needs the loopback HTTP server's URI
 * @param factory creates a fresh function instance
 */
public record Workload(
    String name,
    String category,
    Set<Resource> resources,
    boolean checkpointable,
    String description,
    List<Long> sizes,
    long maxSize,
    boolean needsServer,
    Supplier<PresizeFunction> factory) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  public Workload {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name must be lower-case-dashed, was '" + name + "'");
    }
    if (category == null || category.isBlank()) {
      throw new IllegalArgumentException("category must not be blank, was '" + category + "' for " + name);
    }
    if (resources == null || resources.isEmpty()) {
      throw new IllegalArgumentException("resources must name at least one resource, was " + resources + " for " + name);
    }
    resources = Collections.unmodifiableSet(new LinkedHashSet<>(resources));
    if (description == null || description.isBlank()) {
      throw new IllegalArgumentException("description must not be blank for " + name);
    }
    if (sizes == null || sizes.size() < 4) {
      throw new IllegalArgumentException("sizes must have at least 4 values, was " + sizes + " for " + name);
    }
    sizes = List.copyOf(sizes);
    for (int i = 0; i < sizes.size(); i++) {
      if (sizes.get(i) < 1 || (i > 0 && sizes.get(i) <= sizes.get(i - 1))) {
        throw new IllegalArgumentException("sizes must be positive and strictly ascending, was " + sizes + " for " + name);
      }
    }
    if (maxSize < sizes.get(sizes.size() - 1)) {
      throw new IllegalArgumentException("maxSize " + maxSize + " is below the ladder's last size " + sizes + " for "
          + name);
    }
    Objects.requireNonNull(factory, "factory");
  }

  /**
   * Checks an input size against what this workload's function accepts (1 to {@link #maxSize}), before a run starts.
   *
   * @throws IllegalArgumentException naming the range, the size and the ladder, e.g. {@code size must be 1 to 1024,
   *     was 5000 (its sizes: [8, 16, 64, 256])}
   */
  public void checkSize(long size) {
    if (size < 1 || size > maxSize) {
      throw new IllegalArgumentException("size must be 1 to " + maxSize + ", was " + size + " (its sizes: " + sizes
          + ")");
    }
  }

  /** The resource this workload stresses most. */
  public Resource dominant() {
    return resources.iterator().next();
  }
}
