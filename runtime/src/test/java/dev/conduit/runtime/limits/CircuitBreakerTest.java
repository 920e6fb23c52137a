package dev.conduit.runtime.limits;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.runtime.MovableClock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-12-01T08:00:00Z"));
  private final CircuitBreaker breaker =
      new CircuitBreaker(new CircuitBreaker.Settings(3, 10_000, 5_000), new MovableClock(now));

  private void fail(String key) {
    try (CircuitBreaker.Ticket t = breaker.admit(key)) {
      assertNotNull(t);
      t.failed();
    }
  }

  private void advance(long millis) {
    now.updateAndGet(t -> t.plusMillis(millis));
  }

  @Test
  void failuresSpreadWiderThanTheWindowDoNotOpenIt() {
    fail("org/a");
    fail("org/a");
    advance(11_000);
    fail("org/a");
    assertFalse(breaker.isOpen("org/a"));
    fail("org/a");
    fail("org/a");
    assertTrue(breaker.isOpen("org/a"));
    assertNotNull(breaker.admit("org/b"), "other keys are not affected");
  }

  @Test
  void aSuccessBreaksTheRun() {
    fail("k");
    fail("k");
    try (CircuitBreaker.Ticket t = breaker.admit("k")) {
      t.succeeded();
    }
    fail("k");
    fail("k");
    assertFalse(breaker.isOpen("k"));
  }

  @Test
  void halfOpenLetsOneProbeThroughAndAProbeThatNeverSentGivesItsSlotBack() {
    fail("k");
    fail("k");
    fail("k");
    assertNull(breaker.admit("k"));
    advance(5_000);
    CircuitBreaker.Ticket probe = breaker.admit("k");
    assertNotNull(probe);
    assertNull(breaker.admit("k"), "one probe at a time");
    probe.close(); // stopped before reaching the upstream (bad input)
    CircuitBreaker.Ticket next = breaker.admit("k");
    assertNotNull(next);
    next.succeeded();
    next.close();
    assertFalse(breaker.isOpen("k"));
    assertNotNull(breaker.admit("k"));
  }
}
