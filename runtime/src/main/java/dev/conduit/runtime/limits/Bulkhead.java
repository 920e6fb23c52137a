package dev.conduit.runtime.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code limit} calls in flight per key (a connection, an application); a call over the
 * limit is refused at once instead of waiting. Waiting would hold a request thread for nothing: the
 * point is that one slow upstream or one greedy caller cannot take every thread of the server. A
 * limit of 0 or less means no limit.
 *
 * <p>Counters are kept per key for the life of the server (keys are connections and applications of
 * the loaded bundles: a bounded set), so entering costs one map lookup and one compare-and-set, no
 * lock.
 */
public final class Bulkhead {

  /** A place in the bulkhead: close it when the call ends, however it ends. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  private static final Permit UNLIMITED = () -> {};

  private final int limit;
  private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

  public Bulkhead(int limit) {
    this.limit = limit;
  }

  /** A bulkhead that never refuses. */
  public static Bulkhead unlimited() {
    return new Bulkhead(0);
  }

  public int limit() {
    return limit;
  }

  /**
   * A permit for one call under {@code key}, or null when {@code limit} calls are already in
   * flight.
   */
  public Permit enter(String key) {
    if (limit <= 0) {
      return UNLIMITED;
    }
    AtomicInteger n = inFlight.computeIfAbsent(key, k -> new AtomicInteger());
    for (int current = n.get(); ; current = n.get()) {
      if (current >= limit) {
        return null;
      }
      if (n.compareAndSet(current, current + 1)) {
        return new Once(n);
      }
    }
  }

  /** Calls in flight under {@code key} now. */
  public int inFlight(String key) {
    AtomicInteger n = inFlight.get(key);
    return n == null ? 0 : n.get();
  }

  /** Gives its place back once, even if closed twice. */
  private static final class Once implements Permit {
    private final AtomicInteger counter;
    private boolean closed;

    Once(AtomicInteger counter) {
      this.counter = counter;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        counter.decrementAndGet();
      }
    }
  }
}
