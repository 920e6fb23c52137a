package dev.conduit.runtime.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes request logs off the call path: calls only offer to a bounded queue (never block,
 * never fail); one background thread writes in batches. When the queue is full a log is
 * dropped and counted, so a slow database slows nothing else.
 */
public final class RequestLogWriter implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RequestLogWriter.class.getName());
  private static final int BATCH = 500;
  /** How long a batch that is filling up may wait for more rows. */
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final BlockingQueue<RequestLog> queue;
  private final RequestLogStore store;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  public RequestLogWriter(RequestLogStore store, int capacity) {
    this.store = store;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = Thread.ofPlatform().daemon().name("conduit-request-log-writer").start(this::run);
  }

  /** Queues a log; returns false (and counts a drop) when the queue is full. */
  public boolean offer(RequestLog log) {
    if (queue.offer(log)) {
      return true;
    }
    dropped.incrementAndGet();
    return false;
  }

  private void run() {
    List<RequestLog> batch = new ArrayList<>(BATCH);
    while (running || !queue.isEmpty()) {
      try {
        RequestLog first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        // under load, wait a moment for a fuller batch: one commit (and one rewrite of the
        // indexes' pages) for many rows instead of a few; when idle, a log is written at once
        long lingerUntil = System.nanoTime() + LINGER_NANOS;
        while (batch.size() < BATCH && running && System.nanoTime() < lingerUntil) {
          if (queue.drainTo(batch, BATCH - batch.size()) == 0) {
            if (batch.size() < 2) {
              break;
            }
            Thread.sleep(2);
          }
        }
        store.insert(batch);
        written.addAndGet(batch.size());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        failed.addAndGet(batch.size());
        LOG.log(Level.WARNING, "could not write " + batch.size() + " request logs: " + e.getMessage());
      } finally {
        batch.clear();
      }
    }
  }

  /** Waits until everything queued so far is written (tests, shutdown). */
  public void flush(long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!queue.isEmpty() && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  public long written() {
    return written.get();
  }

  public long dropped() {
    return dropped.get();
  }

  public long failed() {
    return failed.get();
  }

  public int queued() {
    return queue.size();
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
