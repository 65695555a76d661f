package dev.presize.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The providers of one kind, and the one rule for choosing among them.
 *
 * <p>Explicit selection by name wins. Otherwise the supported provider with the highest priority is chosen; a
 * tie among the best is reported as a warning naming every candidate; none supported is an actionable error
 * listing each provider and why it cannot run. Two providers with the same name fail fast when the registry is
 * built. Immutable and thread-safe.
 *
 * @param <P> the provider kind
 */
public final class ProviderRegistry<P extends Provider> {

  private static final System.Logger LOG = System.getLogger(ProviderRegistry.class.getName());

  private final Class<P> type;
  private final Map<String, P> byName;

  private ProviderRegistry(Class<P> type, Map<String, P> byName) {
    this.type = type;
    this.byName = byName;
  }

  /** Loads every provider of {@code type} visible to {@code loader} through {@link ServiceLoader}. */
  public static <P extends Provider> ProviderRegistry<P> load(Class<P> type, ClassLoader loader) {
    List<P> found = new ArrayList<>();
    try {
      for (P p : ServiceLoader.load(type, loader)) {
        found.add(p);
      }
    } catch (ServiceConfigurationError e) {
      throw new PresizeException("load providers", type.getName(), "a provider could not be instantiated", e);
    }
    return of(type, found);
  }

  /** Loads every provider of {@code type} visible to the loader that loaded {@code type}. */
  public static <P extends Provider> ProviderRegistry<P> load(Class<P> type) {
    return load(type, type.getClassLoader());
  }

  /** A registry over the given providers; two with the same name fail fast naming both classes. */
  public static <P extends Provider> ProviderRegistry<P> of(Class<P> type, Collection<? extends P> providers) {
    Objects.requireNonNull(type, "type");
    Map<String, P> byName = new LinkedHashMap<>();
    for (P p : providers) {
      String name = Objects.requireNonNull(p.name(), () -> p.getClass().getName() + ".name() returned null");
      P previous = byName.putIfAbsent(name, p);
      if (previous != null) {
        throw new PresizeException("register provider", type.getSimpleName(),
            "duplicate provider name '" + name + "': " + previous.getClass().getName() + " and "
                + p.getClass().getName() + " (names must be unique; remove one jar from the class path)");
      }
    }
    return new ProviderRegistry<>(type, Map.copyOf(byName));
  }

  /** Every registered provider, highest priority first, then by name. */
  public List<P> all() {
    return byName.values().stream()
        .sorted(Comparator.comparingInt(Provider::priority).reversed().thenComparing(Provider::name))
        .collect(Collectors.toUnmodifiableList());
  }

  /** The provider with this exact name, if registered. */
  public Optional<P> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * Chooses one provider.
   *
   * @param explicitName a name the user selected (wins over priority), or empty
   * @param probe asks a provider whether it can run here; must be cheap and must not throw
   * @return the chosen provider, with any warning raised while choosing
   * @throws PresizeException when the named provider does not exist or is unsupported, or when none is supported
   */
  public Selection<P> select(Optional<String> explicitName, Function<? super P, Support> probe) {
    if (explicitName.isPresent()) {
      String name = explicitName.get();
      P p = byName.get(name);
      if (p == null) {
        throw new PresizeException("select provider", type.getSimpleName(),
            "no provider named '" + name + "'; available: " + names());
      }
      Support s = probe.apply(p);
      if (!s.supported()) {
        throw new PresizeException("select provider", type.getSimpleName(),
            "provider '" + name + "' was selected by name but cannot run here: " + s.reason());
      }
      return new Selection<>(p, s, List.of());
    }
    List<P> supported = new ArrayList<>();
    Map<String, Support> answers = new LinkedHashMap<>();
    for (P p : all()) {
      Support s = probe.apply(p);
      answers.put(p.name(), s);
      if (s.supported()) {
        supported.add(p);
      }
    }
    if (supported.isEmpty()) {
      String why = answers.isEmpty()
          ? "none is on the class path"
          : answers.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().reason())
              .collect(Collectors.joining("; "));
      throw new PresizeException("select provider", type.getSimpleName(),
          "no supported provider (" + why + "); add a provider module to the class path or fix what is missing");
    }
    P best = supported.get(0);
    List<P> tied = supported.stream().filter(p -> p.priority() == best.priority()).collect(Collectors.toList());
    List<String> warnings = List.of();
    if (tied.size() > 1) {
      String msg = "several " + type.getSimpleName() + " providers tie at priority " + best.priority() + ": "
          + tied.stream().map(p -> p.name() + " (" + p.getClass().getName() + ")").collect(Collectors.joining(", "))
          + "; chose '" + best.name() + "' by name order; select one by name to silence this";
      LOG.log(System.Logger.Level.WARNING, msg);
      warnings = List.of(msg);
    }
    return new Selection<>(best, answers.get(best.name()), warnings);
  }

  private String names() {
    return byName.isEmpty() ? "(none)" : String.join(", ", byName.keySet().stream().sorted().toList());
  }

  /**
   * The outcome of {@link #select}: the provider, its probe's answer, and warnings (e.g. a tie).
   *
   * @param <P> the provider kind
   */
  public record Selection<P>(P provider, Support support, List<String> warnings) {
    public Selection {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(support, "support");
      warnings = List.copyOf(warnings);
    }
  }
}
