package dev.presize.cli;

import dev.presize.core.checkpoint.CheckpointConfig;
import dev.presize.core.input.host.PerfCountersSourceProvider;
import dev.presize.core.input.host.WorkingSetSourceProvider;
import dev.presize.core.input.jvm.JfrPhaseSourceProvider;
import dev.presize.core.input.proc.NetDevSourceProvider;
import dev.presize.core.input.proc.ProcessTreeSourceProvider;
import dev.presize.core.policy.PolicyConfig;
import dev.presize.core.predict.PredictorConfig;
import dev.presize.core.sampling.MetricSources;
import dev.presize.core.sampling.Sampler;
import dev.presize.service.ServiceConfig;
import dev.presize.spi.ProviderRegistry;
import dev.presize.spi.config.ConfigProperties;
import dev.presize.spi.metrics.MetricSourceProvider;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every {@code presize.*} setting some part of Presize reads: the {@code static final String} constants starting with
 * {@code presize.} of the classes that read them (a constant ending in {@code .} is a prefix, completed by a name,
 * such as {@code presize.sampling.source.<family>}, whose names are the families of the metric source providers on
 * the class path). The README's settings table lists the same keys ({@code ConfigTableTest#knownSettingsAreTheTable}).
 * It tells a misspelt {@code -D} key from a real one a command did not need. Keys compare as the configuration reads
 * them ({@link ConfigProperties#keyToEnv}: {@code presize.service.data.dir} is {@code presize.service.data-dir}).
 */
final class KnownSettings {

  /** The classes whose constants name settings; those of modules found only at run time, by name. */
  private static final List<Object> HOLDERS = List.of(Sampler.class, MetricSources.class,
      ProcessTreeSourceProvider.class, NetDevSourceProvider.class, WorkingSetSourceProvider.class,
      PerfCountersSourceProvider.class, JfrPhaseSourceProvider.class, CheckpointConfig.class, PolicyConfig.class,
      PredictorConfig.class, ServiceConfig.class, ModelsCommand.class,
      "dev.presize.adapter.cgroups.CgroupConfig", "dev.presize.adapter.cgroups.actuate.CgroupActuatorConfig");

  private static final Set<String> KEYS;
  private static final Set<String> PREFIXES;
  /** Every key a command may read: the exact ones and each source family's, by {@link ConfigProperties#keyToEnv}. */
  private static final java.util.Map<String, String> READABLE;

  static {
    Set<String> keys = new TreeSet<>();
    Set<String> prefixes = new TreeSet<>();
    for (Object holder : HOLDERS) {
      Class<?> c;
      if (holder instanceof Class<?> k) {
        c = k;
      } else {
        try {
          c = Class.forName((String) holder, false, KnownSettings.class.getClassLoader());
        } catch (ClassNotFoundException e) {
          continue; // that module is not on this class path: nothing here reads its settings either
        }
      }
      for (Field f : c.getDeclaredFields()) {
        int m = f.getModifiers();
        if (f.getType() != String.class || !Modifier.isStatic(m) || !Modifier.isFinal(m)) {
          continue;
        }
        try {
          f.setAccessible(true);
          if (f.get(null) instanceof String s && s.startsWith("presize.")) {
            (s.endsWith(".") ? prefixes : keys).add(s);
          }
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new IllegalStateException("cannot read the setting " + c.getName() + "." + f.getName(), e);
        }
      }
    }
    KEYS = Collections.unmodifiableSet(keys);
    PREFIXES = Collections.unmodifiableSet(prefixes);
    java.util.Map<String, String> readable = new java.util.TreeMap<>();
    for (String k : keys) {
      readable.put(ConfigProperties.keyToEnv(k), k);
    }
    for (MetricSourceProvider p : ProviderRegistry.load(MetricSourceProvider.class,
        KnownSettings.class.getClassLoader()).all()) {
      String k = MetricSources.SOURCE_PREFIX + p.family();
      readable.put(ConfigProperties.keyToEnv(k), k);
    }
    READABLE = Collections.unmodifiableMap(readable);
  }

  private KnownSettings() {}

  /** The exact keys, sorted. */
  static Set<String> keys() {
    return KEYS;
  }

  /** The prefixes (ending in {@code .}) that a name completes, sorted. */
  static Set<String> prefixes() {
    return PREFIXES;
  }

  /** Whether {@code key} is a setting some part of Presize reads (a source family's included). */
  static boolean known(String key) {
    return READABLE.containsKey(ConfigProperties.keyToEnv(key));
  }

  /**
   * The known key closest to {@code key} by edit distance, when it is close enough to be what was meant (at most 3
   * edits, or one per 8 characters of a key of 32 or more): {@code presize.sampler.interval} gives
   * {@code presize.sampling.interval}, {@code presize.sampling.source.cgrop} gives
   * {@code presize.sampling.source.cgroup}.
   */
  static Optional<String> closest(String key) {
    int limit = Math.max(3, key.length() / 8);
    String best = null;
    int bestDistance = limit + 1;
    for (String c : READABLE.values()) {
      int d = distance(key, c, bestDistance);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance of {@code a} and {@code b}, or any value {@code >= cap} once it is known to be that far. */
  static int distance(String a, String b, int cap) {
    if (Math.abs(a.length() - b.length()) >= cap) {
      return cap;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin >= cap) {
        return cap;
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
