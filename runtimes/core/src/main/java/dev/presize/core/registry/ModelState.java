package dev.presize.core.registry;

import java.util.Locale;

/** Where a published model version stands in its name's lifecycle. */
public enum ModelState {
  /** Published, not (yet) promoted, not rejected: waiting for the validation gate or an operator. */
  CANDIDATE,
  /** The version the {@code current} pointer names: what services and agents load. */
  CURRENT,
  /** Refused by the validation gate or an operator, with a reason; kept but never promoted. */
  REJECTED,
  /** Was current once and has been replaced (by a promotion or a rollback); can be promoted again. */
  RETIRED;

  /** {@code "candidate"}, as in JSON and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
