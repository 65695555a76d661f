package dev.presize.spi.config;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable set of {@code presize.*} configuration properties with typed getters.
 *
 * <p>Built by a pure function over maps, layered defaults &lt; file &lt; environment &lt; system properties. An
 * environment variable {@code PRESIZE_SAMPLING_INTERVAL} stands for the key {@code presize.sampling.interval}
 * (dots and dashes become underscores, upper-cased). Never read into static fields: a SnapStart or CRaC
 * snapshot would freeze them.
 *
 * <p>The keys asked for are remembered (in the env-variable form, so {@code tree-rescan} and {@code tree.rescan} are
 * one key), shared by every copy made with {@link #with}: {@link #neverAsked} tells a command which of the settings
 * its user gave nothing asked for, a misspelt key most likely.
 */
public final class ConfigProperties {

  private final Map<String, String> values;
  private final Set<String> asked;

  private ConfigProperties(Map<String, String> values) {
    this(values, ConcurrentHashMap.newKeySet());
  }

  private ConfigProperties(Map<String, String> values, Set<String> asked) {
    this.values = Map.copyOf(values);
    this.asked = asked;
  }

  /** Exactly these properties (keys in {@code a.b.c} form). */
  public static ConfigProperties of(Map<String, String> properties) {
    return new ConfigProperties(properties);
  }

  /** No properties: every getter falls back to its default. */
  public static ConfigProperties empty() {
    return new ConfigProperties(Map.of());
  }

  /**
   * Layers the sources; later ones win. Only keys starting with {@code presize.} (or env vars starting with
   * {@code PRESIZE_}) are taken from the environment and the system properties.
   */
  public static ConfigProperties layered(Map<String, String> defaults, Map<String, String> file,
      Map<String, String> env, Map<String, String> systemProperties) {
    Map<String, String> merged = new HashMap<>(defaults);
    merged.putAll(file);
    env.forEach((k, v) -> {
      if (k.startsWith("PRESIZE_")) {
        merged.put(envToKey(k), v);
      }
    });
    systemProperties.forEach((k, v) -> {
      if (k.startsWith("presize.")) {
        merged.put(k, v);
      }
    });
    return new ConfigProperties(merged);
  }

  /** The process's own environment and system properties over the given defaults. */
  public static ConfigProperties fromEnvironment(Map<String, String> defaults) {
    Map<String, String> sys = new HashMap<>();
    System.getProperties().forEach((k, v) -> sys.put(String.valueOf(k), String.valueOf(v)));
    return layered(defaults, Map.of(), System.getenv(), sys);
  }

  /** {@code PRESIZE_SAMPLING_INTERVAL} to {@code presize.sampling.interval}. */
  public static String envToKey(String env) {
    return env.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /** {@code presize.sampling.interval} (or {@code presize.tree-rescan}) to {@code PRESIZE_SAMPLING_INTERVAL}. */
  public static String keyToEnv(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** A copy with these properties set over the current ones; what either is asked is remembered for both. */
  public ConfigProperties with(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(values);
    merged.putAll(overrides);
    return new ConfigProperties(merged, asked);
  }

  /**
   * Those of {@code keys} that no getter of this configuration (or of a copy made with {@link #with}) has asked for
   * so far, sorted: settings nothing read, e.g. {@code presize.policy.memory.headroomm}.
   */
  public Set<String> neverAsked(Collection<String> keys) {
    Set<String> never = new TreeSet<>();
    for (String key : keys) {
      if (!asked.contains(keyToEnv(key))) {
        never.add(key);
      }
    }
    return never;
  }

  public Optional<String> getString(String key) {
    asked.add(keyToEnv(key));
    String v = values.get(key);
    if (v == null) {
      // An env var always lands dotted; accept dashed keys written as env vars too.
      v = values.get(envToKey(keyToEnv(key)));
    }
    return Optional.ofNullable(v).map(String::strip);
  }

  public String getString(String key, String defaultValue) {
    return getString(key).orElse(defaultValue);
  }

  /** A duration with a unit ({@code 10ms}); a unitless number is rejected. */
  public Optional<Duration> getDuration(String key) {
    return getString(key).map(v -> {
      try {
        return Quantities.parseDuration(v);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(key, key + "=" + v + ": " + e.getMessage());
      }
    });
  }

  public Duration getDuration(String key, Duration defaultValue) {
    return getDuration(key).orElse(defaultValue);
  }

  /** A positive duration, rejecting zero and negatives with the key named. */
  public Duration getPositiveDuration(String key, Duration defaultValue) {
    Duration d = getDuration(key, defaultValue);
    if (d.isZero() || d.isNegative()) {
      throw new ConfigurationException(key, key + "=" + getString(key, "") + ": must be greater than zero");
    }
    return d;
  }

  /** A byte size with a unit ({@code 512Mi}); a unitless number is rejected. */
  public Optional<Long> getBytes(String key) {
    return getString(key).map(v -> {
      try {
        return Quantities.parseBytes(v);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(key, key + "=" + v + ": " + e.getMessage());
      }
    });
  }

  public long getBytes(String key, long defaultValue) {
    return getBytes(key).orElse(defaultValue);
  }

  public Optional<Integer> getInt(String key) {
    return getString(key).map(v -> {
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new ConfigurationException(key, key + "=" + v + ": expected a whole number");
      }
    });
  }

  public int getInt(String key, int defaultValue) {
    return getInt(key).orElse(defaultValue);
  }

  public Optional<Boolean> getBoolean(String key) {
    return getString(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new ConfigurationException(key, key + "=" + v + ": expected true or false");
    });
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    return getBoolean(key).orElse(defaultValue);
  }

  /** Every property, sorted by key (for diagnostics; values are not secrets by contract). */
  public Map<String, String> asMap() {
    return new TreeMap<>(values);
  }

  @Override
  public String toString() {
    return "ConfigProperties" + asMap();
  }
}
