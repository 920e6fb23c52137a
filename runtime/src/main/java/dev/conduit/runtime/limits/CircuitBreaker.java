package dev.conduit.runtime.limits;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A circuit breaker per key (a connection): after {@code threshold} consecutive upstream failures,
 * the first and the last no further apart than {@code window}, the circuit opens and calls are
 * refused at once, without reaching the upstream, for {@code openMillis}. Then one call goes
 * through as a probe (half-open) while the others are still refused: its success closes the
 * circuit, its failure opens it again. A bulkhead caps how many threads a slow upstream holds; the
 * breaker stops sending to one that is down, so its callers get an answer at once and the upstream
 * gets room to come back.
 *
 * <p>State is per instance (each instance learns about the upstream from its own calls). A
 * threshold of 0 or less turns the breaker off.
 */
public final class CircuitBreaker {

  /**
   * @param threshold consecutive failures that open the circuit (0: never)
   * @param windowMillis the longest time the run of failures may span
   * @param openMillis how long the circuit stays open before a probe
   */
  public record Settings(int threshold, long windowMillis, long openMillis) {
    public static final Settings OFF = new Settings(0, 0, 0);
  }

  /** A call let through: report how the upstream answered, or close it if it never got there. */
  public interface Ticket extends AutoCloseable {
    void succeeded();

    void failed();

    /** Ends a call that did not reach the upstream: a probe slot is given back. */
    @Override
    void close();
  }

  private static final Ticket FREE =
      new Ticket() {
        @Override
        public void succeeded() {}

        @Override
        public void failed() {}

        @Override
        public void close() {}
      };

  private final Settings settings;
  private final Clock clock;
  private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

  public CircuitBreaker(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  public static CircuitBreaker off() {
    return new CircuitBreaker(Settings.OFF, Clock.systemUTC());
  }

  public Settings settings() {
    return settings;
  }

  /** A ticket for one call, or null when the circuit is open (refuse the call, send nothing). */
  public Ticket admit(String key) {
    if (settings.threshold() <= 0) {
      return FREE;
    }
    State s = states.computeIfAbsent(key, k -> new State());
    synchronized (s) {
      long now = clock.millis();
      if (s.openUntil == 0) {
        return new Call(s, false);
      }
      if (now < s.openUntil || s.probing) {
        return null;
      }
      s.probing = true; // half-open: this call is the probe, the others keep being refused
      return new Call(s, true);
    }
  }

  /** Milliseconds until the circuit of a key lets a probe through (0: closed or due). */
  public long retryAfterMillis(String key) {
    State s = states.get(key);
    if (s == null) {
      return 0;
    }
    synchronized (s) {
      return s.openUntil == 0 ? 0 : Math.max(0, s.openUntil - clock.millis());
    }
  }

  /** Whether the circuit of a key is open or half-open now. */
  public boolean isOpen(String key) {
    State s = states.get(key);
    if (s == null) {
      return false;
    }
    synchronized (s) {
      return s.openUntil != 0;
    }
  }

  private static final class State {
    int failures;
    long firstFailureAt;
    long openUntil; // 0: closed
    boolean probing;
  }

  private final class Call implements Ticket {
    private final State s;
    private final boolean probe;
    private boolean settled;

    Call(State s, boolean probe) {
      this.s = s;
      this.probe = probe;
    }

    @Override
    public void succeeded() {
      synchronized (s) {
        if (settled) {
          return;
        }
        settled = true;
        s.failures = 0;
        if (probe) { // only the probe closes an open circuit: a late answer is older news
          s.probing = false;
          s.openUntil = 0;
        }
      }
    }

    @Override
    public void failed() {
      synchronized (s) {
        if (settled) {
          return;
        }
        settled = true;
        long now = clock.millis();
        if (probe) {
          s.probing = false;
          s.openUntil = now + settings.openMillis();
          return;
        }
        if (s.failures == 0 || now - s.firstFailureAt > settings.windowMillis()) {
          s.failures = 0;
          s.firstFailureAt = now;
        }
        s.failures++;
        if (s.failures >= settings.threshold() && s.openUntil == 0) {
          s.openUntil = now + settings.openMillis();
          s.failures = 0;
        }
      }
    }

    @Override
    public void close() {
      synchronized (s) {
        if (!settled && probe) {
          s.probing = false; // the probe never reached the upstream: the next call probes
        }
        settled = true;
      }
    }
  }
}
