package dev.conduit.code.python;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the spares a pool wants ({@link IdleWorkers#reserveSpares}) in the background, retrying a
 * failed start after 1 s, 2 s, 4 s ... up to 60 s.
 *
 * <p>Workers are started from long-lived threads of this starter only: the kernel sends the
 * parent-death signal (bubblewrap's --die-with-parent) when the thread that started a process ends,
 * so a worker started from a short-lived thread would die with it.
 */
final class SpareStarter {

  // the pool's log: what an operator reads about Python workers is in one place
  private static final Logger LOG = Logger.getLogger(PythonWorkers.class.getName());
  private static final long START_TIMEOUT = 60_000;
  private static final int FAILURES_BEFORE_FAST_FAIL = 3;

  private final WorkerLaunch launch;
  private final IdleWorkers idle;
  private final ExecutorService threads;
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger failuresInARow = new AtomicInteger();
  private volatile boolean closed;

  SpareStarter(WorkerLaunch launch, IdleWorkers idle, int size) {
    this.launch = launch;
    this.idle = idle;
    this.threads =
        Executors.newFixedThreadPool(
            size, Thread.ofPlatform().daemon().name("conduit-python-spawner-", 0).factory());
  }

  /** How many workers were started so far (replacements included). */
  int started() {
    return started.get();
  }

  /** Whether starts keep failing: calls should fail at once rather than wait for a worker. */
  boolean failing() {
    return failuresInARow.get() >= FAILURES_BEFORE_FAST_FAIL;
  }

  /** Starts the spares the pool wants now: after a worker is discarded, evicted or pinned. */
  void replenish() {
    if (closed) {
      return;
    }
    for (int n = idle.reserveSpares(); n > 0; n--) {
      startInBackground();
    }
  }

  private void startInBackground() {
    try {
      threads.execute(this::startOne);
    } catch (RejectedExecutionException e) {
      idle.spareNotComing(); // closing
    }
  }

  private void startOne() {
    int failures = failuresInARow.get();
    if (failures > 0) {
      sleep(Math.min(60_000L, 1000L << Math.min(6, failures - 1))); // 1 s, 2 s, 4 s ... 60 s
    }
    if (closed) {
      idle.spareNotComing();
      return;
    }
    try {
      PythonWorker w = launch.start(START_TIMEOUT);
      started.incrementAndGet();
      failuresInARow.set(0);
      if (closed) {
        w.kill();
        idle.spareNotComing();
      } else {
        idle.addSpare(w);
      }
    } catch (IOException | RuntimeException e) {
      int n = failuresInARow.incrementAndGet();
      LOG.log(
          n == 1 ? Level.WARNING : Level.FINE,
          "cannot start a Python worker (attempt " + n + "): " + e.getMessage());
      if (closed) {
        idle.spareNotComing();
      } else {
        startInBackground(); // the same spare, still expected
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts nothing more and interrupts the starts under way. */
  void stop() {
    closed = true;
    threads.shutdownNow();
  }

  /** Waits a little for the starts under way to end, after {@link #stop}. */
  void awaitStopped() {
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
