package dev.conduit.runtime.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.conduit.runtime.MovableClock;
import dev.conduit.runtime.identity.SignInThrottle.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Which failures of a login count together, and when its lock ends. */
class SignInThrottleTest {

  static final PasswordCheck REGISTRY = (login, password) -> password.equals(login + "-pw");

  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-03T08:00:00Z"));
  final InMemoryIdentityStore store = new InMemoryIdentityStore();

  /** 5 failures within 15 minutes lock for {@code lock}. */
  SignInThrottle throttle(Duration lock) {
    IdentitySettings d = IdentitySettings.DEFAULT;
    return new SignInThrottle(
        store,
        new MovableClock(now),
        new IdentitySettings(
            d.accessTokenTtl(), d.refreshTokenTtl(), d.codeTtl(), 5, Duration.ofMinutes(15), lock));
  }

  void later(Duration d) {
    now.set(now.get().plus(d));
  }

  Verdict wrong(SignInThrottle t) {
    return t.check("dave", "guess", REGISTRY);
  }

  @Test
  void theFifthFailureWithinTheWindowLocksUntilTheLockEnds() {
    SignInThrottle t = throttle(Duration.ofMinutes(15));
    for (int i = 1; i < 5; i++) {
      assertEquals(Verdict.WRONG, wrong(t), "failure " + i);
      later(Duration.ofMinutes(3));
    }
    assertEquals(Verdict.LOCKED, wrong(t), "the 5th, 12 minutes after the 1st");
    later(Duration.ofMinutes(14));
    assertEquals(Verdict.LOCKED, t.check(" DAVE ", "dave-pw", REGISTRY), "right password, locked");
    later(Duration.ofMinutes(2));
    assertEquals(Verdict.SIGNED_IN, t.check("dave", "dave-pw", REGISTRY));
  }

  @Test
  void failuresOlderThanTheWindowStartANewCount() {
    SignInThrottle t = throttle(Duration.ofMinutes(15));
    for (int i = 1; i < 5; i++) {
      assertEquals(Verdict.WRONG, wrong(t));
    }
    later(Duration.ofMinutes(16));
    for (int i = 1; i < 5; i++) {
      assertEquals(Verdict.WRONG, wrong(t), "failure " + i + " of the new window");
    }
    assertEquals(Verdict.LOCKED, wrong(t));
  }

  @Test
  void aFailureAfterAnEndedLockStartsANewCountEvenWithinTheWindow() {
    // a lock shorter than the window: the failures that caused it are still in their window
    SignInThrottle t = throttle(Duration.ofMinutes(1));
    for (int i = 1; i < 5; i++) {
      wrong(t);
    }
    assertEquals(Verdict.LOCKED, wrong(t));
    later(Duration.ofMinutes(2));
    for (int i = 1; i < 5; i++) {
      assertEquals(Verdict.WRONG, wrong(t), "failure " + i + " after the lock");
    }
    assertEquals(Verdict.LOCKED, wrong(t));
  }
}
