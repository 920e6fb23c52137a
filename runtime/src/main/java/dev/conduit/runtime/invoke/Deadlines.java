package dev.conduit.runtime.invoke;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Cancels upstream calls that pass their deadline. A blocking client's socket timeout bounds each
 * read, not the whole answer (a body that trickles in a byte at a time never trips it), so one
 * thread looks at the calls in flight every {@value #TICK_MILLIS} ms and cancels the late ones. A
 * call costs an entry in a set, not a timer of its own: no lock, no thread woken.
 */
final class Deadlines implements AutoCloseable {

  static final long TICK_MILLIS = 20;

  /** One call in flight: closed when the call ends, however it ends. */
  final class Watch implements AutoCloseable {
    private final long deadlineNanos;
    private final Runnable cancel;
    private volatile boolean expired;

    private Watch(long deadlineNanos, Runnable cancel) {
      this.deadlineNanos = deadlineNanos;
      this.cancel = cancel;
    }

    /** Whether the deadline passed and the call was cancelled for it. */
    boolean expired() {
      return expired;
    }

    @Override
    public void close() {
      watched.remove(this);
    }
  }

  private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean running = true;

  Deadlines() {
    thread = Thread.ofPlatform().daemon().name("conduit-upstream-deadlines").start(this::run);
  }

  /** Watches a call that must end within timeoutNanos; cancel runs once if it does not. */
  Watch watch(long timeoutNanos, Runnable cancel) {
    Watch w = new Watch(System.nanoTime() + timeoutNanos, cancel);
    watched.add(w);
    return w;
  }

  private void run() {
    while (running) {
      try {
        TimeUnit.MILLISECONDS.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      for (Watch w : watched) {
        if (now - w.deadlineNanos >= 0 && watched.remove(w)) {
          w.expired = true;
          w.cancel.run();
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
