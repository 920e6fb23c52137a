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
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes request logs in group commits: a call hands its log over and, with {@link #write}, waits
 * until the batch holding it is committed, so an answered call has its row even when the process is
 * killed right after. One commit runs at a time; the logs of the calls that finish meanwhile gather
 * into the next one, without a fixed delay to fill batches.
 *
 * <p>Who commits: when no commit is running and the database has been answering quickly, the
 * calling thread commits the queued logs itself (it leads the group). Handing the log to another
 * thread and being woken again costs two thread switches, and on a busy machine each of them waits
 * for a core: that was most of the wait. While a commit runs, the logs that arrive go to the writer
 * thread, which commits them as soon as the running commit ends. Before the first commit, and after
 * one that took more than a quarter of the caller's wait, calls hand over to the writer thread too:
 * then a slow or stuck database delays a call by at most its wait. The one exception is a call that
 * was already leading a commit when the database stalled: it answers when that commit ends (the
 * connection pool's and the driver's timeouts bound it).
 *
 * <p>The queue is bounded and the wait too: when the database cannot keep up, a log is dropped or
 * answered late, and counted, so a slow database never fails a call.
 */
public final class RequestLogWriter implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RequestLogWriter.class.getName());
  private static final int BATCH = 500;
  private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** A log and what its caller waits on: completed once its batch is committed. */
  private record Entry(RequestLog log, CompletableFuture<Void> committed) {}

  private final BlockingQueue<Entry> queue;
  private final RequestLogStore store;

  /** Held while a batch is drained and committed: one commit at a time, in queue order. */
  private final ReentrantLock committing = new ReentrantLock();

  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private final AtomicLong ledByCallers = new AtomicLong();

  /** How long the last commit took; unknown (MAX_VALUE) until one has ended. */
  private volatile long lastCommitNanos = Long.MAX_VALUE;

  private final boolean callersLead;
  private final Thread thread;
  private volatile boolean running = true;

  public RequestLogWriter(RequestLogStore store, int capacity) {
    this(store, capacity, true);
  }

  /**
   * @param callersLead false: every commit runs on the writer thread (the runtime before; kept for
   *     bench/runtime/group-commit.sh, which compares the two)
   */
  public RequestLogWriter(RequestLogStore store, int capacity, boolean callersLead) {
    this.store = store;
    this.callersLead = callersLead;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = Thread.ofPlatform().daemon().name("conduit-request-log-writer").start(this::run);
  }

  /** Queues a log without waiting; returns false (and counts a drop) when the queue is full. */
  public boolean offer(RequestLog log) {
    if (enqueue(log) == null) {
      return false;
    }
    LockSupport.unpark(thread);
    return true;
  }

  /**
   * Queues a log and waits up to {@code waitMillis} for its batch to be committed: true when it is.
   * False when the queue was full (a drop), the batch failed, or the wait ran out (counted as late:
   * the row is likely written soon, but a crash before then loses it). A wait of 0 does not wait
   * (the log is written soon after; a crash may lose the last ones).
   */
  public boolean write(RequestLog log, long waitMillis) {
    if (waitMillis <= 0) {
      return offer(log);
    }
    CompletableFuture<Void> committed = enqueue(log);
    if (committed == null) {
      return false;
    }
    if (lastCommitNanos <= TimeUnit.MILLISECONDS.toNanos(waitMillis) / 4 && committing.tryLock()) {
      Runnable answer;
      try {
        ledByCallers.incrementAndGet();
        answer = commitQueued(); // ours is in it, unless a full batch of older logs was ahead
      } finally {
        committing.unlock();
      }
      answer.run();
    }
    if (!committed.isDone()) {
      LockSupport.unpark(thread); // a commit is running (or ours was not in the batch): hand over
    }
    try {
      committed.get(waitMillis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      late.incrementAndGet();
      return false;
    } catch (ExecutionException e) {
      return false; // counted as failed by whoever committed
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

  /**
   * Commits up to one batch of what is queued; the caller holds {@link #committing}. Returns what
   * tells the batch's callers, to run once the lock is released (a woken caller may then lead the
   * next commit at once).
   */
  private Runnable commitQueued() {
    List<Entry> batch = new ArrayList<>(Math.min(BATCH, Math.max(1, queue.size())));
    queue.drainTo(batch, BATCH);
    if (batch.isEmpty()) {
      return () -> {};
    }
    List<RequestLog> logs = new ArrayList<>(batch.size());
    for (Entry e : batch) {
      logs.add(e.log());
    }
    long start = System.nanoTime();
    try {
      store.insert(logs);
      lastCommitNanos = System.nanoTime() - start;
      written.addAndGet(batch.size());
      return () -> batch.forEach(e -> e.committed().complete(null));
    } catch (RuntimeException e) {
      lastCommitNanos = Long.MAX_VALUE; // until a commit succeeds again, the writer thread commits
      failed.addAndGet(batch.size());
      LOG.log(
          Level.WARNING, "could not write " + batch.size() + " request logs: " + e.getMessage());
      return () -> batch.forEach(entry -> entry.committed().completeExceptionally(e));
    }
  }

  private void run() {
    while (running || !queue.isEmpty()) {
      if (queue.isEmpty()) {
        // woken by a call that handed its log over; the timeout only notices close()
        LockSupport.parkNanos(this, IDLE_NANOS);
        continue;
      }
      Runnable answer;
      committing.lock();
      try {
        answer = commitQueued();
      } finally {
        committing.unlock();
      }
      answer.run();
    }
  }

  /** Waits until everything queued so far is written (tests, shutdown). */
  public void flush(long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while ((!queue.isEmpty() || committing.isLocked()) && System.currentTimeMillis() < deadline) {
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

  /** Commits run by a calling thread itself rather than the writer thread. */
  public long ledByCallers() {
    return ledByCallers.get();
  }

  public int queued() {
    return queue.size();
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
