package dev.presize.core.registry;

import dev.presize.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A model name's {@code current} pointer, stored as {@code models/<name>/current} and always replaced whole in
 * one atomic step: the current version, the stack of versions that were current before it (for rollback,
 * oldest first) and the history of promotions and rollbacks. Transitions are pure functions.
 */
public record Pointer(String name, Optional<Version> current, List<Version> previous, List<Event> history) {

  /** The file (or key suffix) holding the pointer. */
  public static final String FILE = "current";
  /** The {@code format} field of a pointer. */
  public static final String FORMAT = "presize-registry-pointer/1";

  /** One change of the pointer: {@code promote} or {@code rollback}, to {@code version}, from {@code from}. */
  public record Event(String action, Version version, Optional<Version> from, Instant at) {
    public Event {
      if (!action.equals("promote") && !action.equals("rollback")) {
        throw new IllegalArgumentException("pointer event action must be promote or rollback, got '" + action + "'");
      }
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(at, "at");
    }
  }

  public Pointer {
    ModelNames.check(name);
    Objects.requireNonNull(current, "current");
    previous = List.copyOf(previous);
    history = List.copyOf(history);
    if (current.isEmpty() && !previous.isEmpty()) {
      throw new IllegalArgumentException("pointer of " + name + " has previous versions " + previous
          + " but no current one");
    }
  }

  /** The pointer of a name nothing was promoted for yet. */
  public static Pointer empty(String name) {
    return new Pointer(name, Optional.empty(), List.of(), List.of());
  }

  /** When {@code v} last became current (by promotion or rollback), if ever. */
  public Optional<Instant> promotedAt(Version v) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).version().equals(v)) {
        return Optional.of(history.get(i).at());
      }
    }
    return Optional.empty();
  }

  /**
   * The pointer after promoting {@code v}: the old current goes on the rollback stack.
   *
   * @throws RegistryException (STATE) if {@code v} is current already
   */
  public Pointer promote(Version v, Instant at) {
    if (current.filter(v::equals).isPresent()) {
      throw new RegistryException(RegistryException.Problem.STATE, "promote", name + "/" + v, "already current");
    }
    List<Version> prev = new ArrayList<>(previous);
    current.ifPresent(prev::add);
    List<Event> h = new ArrayList<>(history);
    h.add(new Event("promote", v, current, at));
    return new Pointer(name, Optional.of(v), prev, h);
  }

  /** The version a rollback would make current: the one that was current before the current one. */
  public Optional<Version> rollbackTarget() {
    return previous.isEmpty() ? Optional.empty() : Optional.of(previous.get(previous.size() - 1));
  }

  /**
   * The pointer after a rollback: the previous current is current again, the current one is retired.
   *
   * @throws RegistryException (STATE) if there is nothing to roll back to
   */
  public Pointer rollback(Instant at) {
    Version target = rollbackTarget().orElseThrow(() -> new RegistryException(RegistryException.Problem.STATE,
        "rollback", name, current.isEmpty() ? "no version was ever promoted"
            : "no previous version to roll back to (" + current.get() + " is the only one ever promoted)"));
    List<Version> prev = new ArrayList<>(previous.subList(0, previous.size() - 1));
    List<Event> h = new ArrayList<>(history);
    h.add(new Event("rollback", target, current, at));
    return new Pointer(name, Optional.of(target), prev, h);
  }

  public byte[] encode() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("name", name);
    m.put("current", current.map(Version::toString).orElse(null));
    m.put("previous", previous.stream().map(Version::toString).toList());
    List<Object> h = new ArrayList<>();
    for (Event e : history) {
      Map<String, Object> em = new LinkedHashMap<>();
      em.put("action", e.action());
      em.put("version", e.version().toString());
      em.put("from", e.from().map(Version::toString).orElse(null));
      em.put("at", e.at().toString());
      h.add(em);
    }
    m.put("history", h);
    return Json.write(m).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a pointer; {@code where} names the file or object in errors.
   *
   * @throws RegistryException (DAMAGED) when it is not a well-formed pointer
   */
  public static Pointer decode(byte[] bytes, String where) {
    try {
      if (!(Json.parse(new String(bytes, StandardCharsets.UTF_8)) instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("not a JSON object");
      }
      if (!FORMAT.equals(m.get("format"))) {
        throw new IllegalArgumentException("format is '" + m.get("format") + "', expected " + FORMAT);
      }
      List<Version> previous = ((List<?>) m.get("previous")).stream().map(o -> Version.parse((String) o)).toList();
      List<Event> history = new ArrayList<>();
      for (Object o : (List<?>) m.get("history")) {
        Map<?, ?> em = (Map<?, ?>) o;
        history.add(new Event((String) em.get("action"), Version.parse((String) em.get("version")),
            Optional.ofNullable((String) em.get("from")).map(Version::parse), Instant.parse((String) em.get("at"))));
      }
      return new Pointer((String) m.get("name"), Optional.ofNullable((String) m.get("current")).map(Version::parse),
          previous, history);
    } catch (IllegalArgumentException | DateTimeParseException | ClassCastException | NullPointerException e) {
      throw new RegistryException(RegistryException.Problem.DAMAGED, "read current pointer", where,
          String.valueOf(e.getMessage()), e);
    }
  }
}
