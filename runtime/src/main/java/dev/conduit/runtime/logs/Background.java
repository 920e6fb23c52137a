package dev.conduit.runtime.logs;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Database work that a call causes but must not wait for (alerts) runs on one background thread;
 * when its bounded queue is full the work is dropped and counted, never blocking the call.
 */
public final class Background implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Background.class.getName());

  private final AtomicLong dropped = new AtomicLong();
  private final ThreadPoolExecutor executor =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.MILLISECONDS,
          new ArrayBlockingQueue<>(1000),
          Thread.ofPlatform().daemon().name("conduit-background").factory(),
          (task, pool) -> dropped.incrementAndGet());

  /** Queues the task; a failure is logged (its message only), never thrown at the caller. */
  public void run(Runnable task) {
    executor.execute(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.warning("background task failed: " + e.getMessage());
          }
        });
  }

  /** Tasks dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
