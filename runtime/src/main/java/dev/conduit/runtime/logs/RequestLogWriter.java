package dev.conduit.runtime.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes request logs in batches on one background thread (group commit): a call hands its log over
 * and, with {@link #write}, waits until the batch holding it is committed, so an answered call has
 * its row even when the process is killed right after. While one batch commits, the logs of the
 * calls that finish meanwhile gather into the next one: one commit serves every call waiting at
 * that moment, without a fixed delay to fill batches. The queue is bounded and the wait too: when
 * the database cannot keep up, a log is dropped or answered late, and counted, so a slow database
 * delays a call by at most the wait and never fails it.
 */
public final class RequestLogWriter implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RequestLogWriter.class.getName());
  private static final int BATCH = 500;

  /** A log and what its caller waits on: completed once its batch is committed. */
  private record Entry(RequestLog log, CompletableFuture<Void> committed) {}

  private final BlockingQueue<Entry> queue;
  private final RequestLogStore store;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  public RequestLogWriter(RequestLogStore store, int capacity) {
    this.store = store;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = Thread.ofPlatform().daemon().name("conduit-request-log-writer").start(this::run);
  }

  /** Queues a log without waiting; returns false (and counts a drop) when the queue is full. */
  public boolean offer(RequestLog log) {
    return enqueue(log) != null;
  }

  /**
   * Queues a log and waits up to {@code waitMillis} for its batch to be committed: true when it is.
   * False when the queue was full (a drop), the batch failed, or the wait ran out (counted as late:
   * the row is likely written soon, but a crash before then loses it). A wait of 0 does not wait
   * (the log is written soon after; a crash may lose the last ones).
   */
  public boolean write(RequestLog log, long waitMillis) {
    CompletableFuture<Void> committed = enqueue(log);
    if (committed == null || waitMillis <= 0) {
      return false;
    }
    try {
      committed.get(waitMillis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      late.incrementAndGet();
      return false;
    } catch (ExecutionException e) {
      return false; // counted as failed by the writer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      late.incrementAndGet();
      return false;
    }
  }

  private CompletableFuture<Void> enqueue(RequestLog log) {
    Entry e = new Entry(log, new CompletableFuture<>());
    if (queue.offer(e)) {
      return e.committed();
    }
    dropped.incrementAndGet();
    return null;
  }

  private void run() {
    List<Entry> batch = new ArrayList<>(BATCH);
    List<RequestLog> logs = new ArrayList<>(BATCH);
    while (running || !queue.isEmpty()) {
      try {
        Entry first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        // whatever else is waiting goes into the same commit
        queue.drainTo(batch, BATCH - 1);
        for (Entry e : batch) {
          logs.add(e.log());
        }
        store.insert(logs);
        written.addAndGet(batch.size());
        batch.forEach(e -> e.committed().complete(null));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        failed.addAndGet(batch.size());
        batch.forEach(entry -> entry.committed().completeExceptionally(e));
        LOG.log(
            Level.WARNING, "could not write " + batch.size() + " request logs: " + e.getMessage());
      } finally {
        batch.clear();
        logs.clear();
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

  /** Calls answered before their log was committed, because the wait for it ran out. */
  public long late() {
    return late.get();
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
