package dev.presize.core.sampling;

import dev.presize.spi.PresizeException;
import dev.presize.spi.ProviderContext;
import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.Support;
import dev.presize.spi.metrics.MetricSource;
import dev.presize.spi.metrics.MetricSourceProvider;
import dev.presize.spi.metrics.SamplingTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Opens one metric source per family for a target: the providers found with ServiceLoader, chosen per family by
 * the registry rule (name from config wins, else highest priority among supported).
 *
 * <p>Config: {@code presize.sampling.source.<family>=<provider>} selects a provider by name;
 * {@code presize.sampling.families} (comma-separated) limits sampling to those families;
 * {@code presize.sampling.exclude} (comma-separated) leaves families out.
 */
public final class MetricSources {

  /** Prefix of the per-family explicit selection keys. */
  public static final String SOURCE_PREFIX = "presize.sampling.source.";
  /** Only these families (comma-separated), if set. */
  public static final String FAMILIES = "presize.sampling.families";
  /** Families left out (comma-separated). */
  public static final String EXCLUDE = "presize.sampling.exclude";

  private MetricSources() {}

  /**
   * The sources opened and what could not be.
   *
   * @param sources opened sources, one per family, in family-name order
   * @param chosen family to provider name
   * @param unavailable family to the reason no provider could run (names what is missing)
   * @param warnings ties and other selection warnings
   */
  public record Opened(List<MetricSource> sources, Map<String, String> chosen, Map<String, String> unavailable,
      List<String> warnings) {
    public Opened {
      sources = List.copyOf(sources);
      chosen = Map.copyOf(chosen);
      unavailable = Map.copyOf(unavailable);
      warnings = List.copyOf(warnings);
    }
  }

  /** Opens sources from every provider visible to {@code loader}. */
  public static Opened open(SamplingTarget target, ProviderContext context, ClassLoader loader) {
    return open(target, context, ProviderRegistry.load(MetricSourceProvider.class, loader).all());
  }

  /** Opens sources from the given providers. */
  public static Opened open(SamplingTarget target, ProviderContext context, List<MetricSourceProvider> providers) {
    ProviderRegistry.of(MetricSourceProvider.class, providers); // fail fast on duplicate names
    Set<String> only = list(context, FAMILIES);
    Set<String> excluded = list(context, EXCLUDE);
    Map<String, List<MetricSourceProvider>> byFamily = providers.stream()
        .collect(Collectors.groupingBy(MetricSourceProvider::family, TreeMap::new, Collectors.toList()));
    List<MetricSource> sources = new ArrayList<>();
    Map<String, String> chosen = new LinkedHashMap<>();
    Map<String, String> unavailable = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<String, List<MetricSourceProvider>> e : byFamily.entrySet()) {
      String family = e.getKey();
      if ((!only.isEmpty() && !only.contains(family)) || excluded.contains(family)) {
        continue;
      }
      Optional<String> explicit = context.config().getString(SOURCE_PREFIX + family);
      Map<MetricSourceProvider, Support> answers = new LinkedHashMap<>();
      for (MetricSourceProvider p : e.getValue()) {
        answers.put(p, safeProbe(p, target, context)); // each probe once: some self-test (working set)
      }
      if (explicit.isEmpty() && answers.values().stream().noneMatch(Support::supported)) {
        unavailable.put(family, answers.entrySet().stream()
            .map(a -> a.getKey().name() + ": " + a.getValue().reason()).collect(Collectors.joining("; ")));
        continue;
      }
      try {
        ProviderRegistry.Selection<MetricSourceProvider> sel = ProviderRegistry
            .of(MetricSourceProvider.class, e.getValue()).select(explicit, answers::get);
        warnings.addAll(sel.warnings());
        sources.add(sel.provider().create(target, context));
        chosen.put(family, sel.provider().name());
      } catch (PresizeException ex) {
        if (explicit.isPresent()) {
          closeAll(sources);
          throw ex; // the user asked for this provider by name: not having it is an error, not a gap
        }
        unavailable.put(family, ex.getMessage());
      } catch (IOException | RuntimeException ex) {
        if (explicit.isPresent()) {
          closeAll(sources);
          throw PresizeException.launder("open metric source", explicit.get(), ex);
        }
        unavailable.put(family, "could not open: " + ex);
      }
    }
    return new Opened(sources, chosen, unavailable, warnings);
  }

  private static Support safeProbe(MetricSourceProvider p, SamplingTarget t, ProviderContext c) {
    try {
      return p.probe(t, c);
    } catch (RuntimeException e) {
      return Support.no("probe of " + p.name() + " threw " + e + " (a provider bug)");
    }
  }

  private static Set<String> list(ProviderContext context, String key) {
    return context.config().getString(key)
        .map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty())
            .collect(Collectors.toSet()))
        .orElse(Set.of());
  }

  private static void closeAll(List<MetricSource> sources) {
    for (MetricSource s : sources) {
      s.close();
    }
  }
}
