package dev.presize.core.registry;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock tests advance by hand. */
public final class MutableClock implements InstantSource {

  private Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  public synchronized void advance(Duration d) {
    now = now.plus(d);
  }
}
