package dev.presize.spi;

import java.util.Objects;

/**
 * The answer of a provider's probe: whether this host can run it and, when not, why in words a user can act on.
 *
 * @param supported whether the provider can run here
 * @param reason why not (names what is missing), or a short description of what was found when supported
 */
public record Support(boolean supported, String reason) {

  public Support {
    Objects.requireNonNull(reason, "reason");
    if (!supported && reason.isBlank()) {
      throw new IllegalArgumentException("an unsupported provider must say why (reason is blank)");
    }
  }

  /** Supported, with what was found (e.g. the path probed). */
  public static Support yes(String found) {
    return new Support(true, found);
  }

  /** Not supported, naming what is missing on this host. */
  public static Support no(String missing) {
    return new Support(false, missing);
  }
}
