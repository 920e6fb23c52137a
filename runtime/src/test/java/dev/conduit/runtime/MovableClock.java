package dev.conduit.runtime;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock in UTC that stands at whatever instant the test sets, so expiries pass without waiting.
 */
public final class MovableClock extends Clock {
  private final AtomicReference<Instant> now;

  /** Reads {@code now} at every tick: the test moves time by setting it. */
  public MovableClock(AtomicReference<Instant> now) {
    this.now = now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now.get();
  }
}
