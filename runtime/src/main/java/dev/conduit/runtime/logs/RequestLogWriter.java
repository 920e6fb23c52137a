package dev.conduit.runtime.logs;

import java.io.IOException;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes request logs in batches on one background thread (group commit), and makes a waiting
 * call's log durable before the call answers, one of two ways:
 *
 * <ul>
 *   <li>with a {@link RequestLogJournal} (the embedded database): {@link #write} appends the log to
 *       the journal on the calling thread and returns; the database gets it within {@link
 *       #LINGER_MILLIS} or so, in a batch with the logs of the calls around it. Reads of the
 *       request log first wait for what was written before them ({@link #catchUp}), so a caller
 *       that got its answer finds its log at once, as when it waited for the commit;
 *   <li>without (PostgreSQL, or a journal that cannot be written): {@link #write} waits until the
 *       batch holding the log is committed. While one batch commits, the logs of the calls that
 *       finish meanwhile gather into the next one: one commit serves every call waiting then.
 * </ul>
 *
 * The queue is bounded and the wait too: when the database cannot keep up, a log is dropped or
 * answered late, and counted, so a slow database delays a call by at most the wait and never fails
 * it.
 */
public final class RequestLogWriter implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RequestLogWriter.class.getName());
  private static final int BATCH = 500;

  /**
   * How long the writer lets journaled logs gather before it commits them (or until {@link #BATCH}
   * wait): an H2 commit costs about as much as 10 rows (it rewrites the pages it touched whole),
   * and a row costs less in a larger batch: 31 µs of CPU in batches of 500 against 39 in batches of
   * 100 (RequestLogInsertBench, docs/benchmarks.md). 100 ms gathers a full batch from 5,000 calls a
   * second; nobody waits for it, since reads and calls without the journal hurry it.
   */
  static final long LINGER_MILLIS = 100;

  /** How long a read of the request log waits for the logs written before it. */
  static final long CATCH_UP_MILLIS = 2000;

  /**
   * A log and what its caller waits on: completed once its batch is committed.
   *
   * @param segment the journal segment holding it, or null when it is not journaled
   */
  private record Entry(
      RequestLog log, CompletableFuture<Void> committed, RequestLogJournal.Segment segment) {}

  private final BlockingQueue<Entry> queue;
  private final RequestLogStore store;
  private final RequestLogJournal journal;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private final AtomicLong journalFailures = new AtomicLong();
  // logs queued and logs the writer is done with (written or failed), in queue order
  private final AtomicLong queuedSoFar = new AtomicLong();
  private final AtomicLong settledSoFar = new AtomicLong();
  private final Object settledSignal = new Object();
  private final Thread thread;
  private volatile boolean running = true;
  // someone waits for the next commit (a read, a call without the journal): no lingering
  private volatile boolean hurry;

  /** A writer whose waiting calls wait for the database commit. */
  public RequestLogWriter(RequestLogStore store, int capacity) {
    this(store, capacity, null);
  }

  /**
   * @param journal where waiting calls' logs are made durable, or null to wait for the commit
   */
  public RequestLogWriter(RequestLogStore store, int capacity, RequestLogJournal journal) {
    this.store = store;
    this.journal = journal;
    this.queue = new ArrayBlockingQueue<>(capacity);
    store.readsFirst(this::catchUp);
    this.thread = Thread.ofPlatform().daemon().name("conduit-request-log-writer").start(this::run);
  }

  /** Queues a log without waiting; returns false (and counts a drop) when the queue is full. */
  public boolean offer(RequestLog log) {
    return enqueue(log, null) != null;
  }

  /**
   * Makes a log durable before returning true: appended to the journal, or committed within {@code
   * waitMillis}. False when the queue was full (a drop), the batch failed, or the wait ran out
   * (counted as late: the row is likely written soon, but a crash before then loses it). A wait of
   * 0 does not wait and does not journal (the log is written soon after; a crash may lose the last
   * ones).
   */
  public boolean write(RequestLog log, long waitMillis) {
    if (waitMillis > 0 && journal != null) {
      RequestLogJournal.Segment segment = journaled(log);
      if (segment != null) {
        if (enqueue(log, segment) == null) {
          segment.settle(); // dropped, and counted: the database will not get it from the queue
          return false;
        }
        return true;
      }
    }
    CompletableFuture<Void> committed = enqueue(log, null);
    if (committed == null || waitMillis <= 0) {
      return false;
    }
    hurry();
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

  /**
   * Appends to the journal; null when it cannot be written (the call then waits for the commit).
   */
  private RequestLogJournal.Segment journaled(RequestLog log) {
    try {
      return journal.append(log);
    } catch (IOException | RuntimeException e) {
      if (journalFailures.getAndIncrement() % 1000 == 0) { // a failing disk fails every call
        LOG.warning(
            "could not append a request log to the journal in "
                + journal.dir()
                + ", waiting for the database commit instead: "
                + e);
      }
      return null;
    }
  }

  private CompletableFuture<Void> enqueue(RequestLog log, RequestLogJournal.Segment segment) {
    Entry e = new Entry(log, new CompletableFuture<>(), segment);
    // queued and counted as one step, so a read that counts a log finds every log queued before it
    synchronized (queuedSoFar) {
      if (queue.offer(e)) {
        queuedSoFar.incrementAndGet();
        return e.committed();
      }
    }
    dropped.incrementAndGet();
    return null;
  }

  private void hurry() {
    hurry = true;
    LockSupport.unpark(thread);
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
        linger();
        batch.add(first);
        // whatever else is waiting goes into the same commit
        queue.drainTo(batch, BATCH - 1);
        for (Entry e : batch) {
          logs.add(e.log());
        }
        store.insert(logs);
        written.addAndGet(batch.size());
        commits.incrementAndGet();
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
        settle(batch);
        batch.clear();
        logs.clear();
      }
    }
  }

  /**
   * With the journal, lets more logs join this commit for up to {@link #LINGER_MILLIS}: nobody
   * waits for it unless a read or a call without the journal says so ({@link #hurry}).
   */
  private void linger() {
    if (journal == null) {
      return;
    }
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
    for (long left = end - System.nanoTime();
        left > 0 && !hurry && running && queue.size() < BATCH - 1;
        left = end - System.nanoTime()) {
      LockSupport.parkNanos(this, left);
    }
    hurry = false; // what waits for this commit is queued by now: it is in the batch
  }

  private void settle(List<Entry> batch) {
    if (batch.isEmpty()) {
      return;
    }
    for (Entry e : batch) {
      if (e.segment() != null) {
        e.segment().settle();
      }
    }
    if (journal != null) {
      journal.deleteSettled();
    }
    settledSoFar.addAndGet(batch.size());
    synchronized (settledSignal) {
      settledSignal.notifyAll();
    }
  }

  /**
   * Waits (up to {@link #CATCH_UP_MILLIS}) until the writer is done with every log queued before
   * this call: a read of the request log sees the logs of the calls answered before it.
   */
  void catchUp() {
    awaitSettled(CATCH_UP_MILLIS);
  }

  private void awaitSettled(long timeoutMillis) {
    long target = queuedSoFar.get();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (settledSoFar.get() < target && System.nanoTime() < deadline && thread.isAlive()) {
      hurry();
      synchronized (settledSignal) {
        if (settledSoFar.get() < target) {
          try {
            settledSignal.wait(1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  /** Waits until everything queued so far is written (tests, shutdown). */
  public void flush(long timeoutMillis) {
    awaitSettled(timeoutMillis);
  }

  public long written() {
    return written.get();
  }

  /** The batches committed: {@link #written} / commits is the rows each commit wrote. */
  public long commits() {
    return commits.get();
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

  /** Logs that could not be appended to the journal (their calls waited for the commit). */
  public long journalFailures() {
    return journalFailures.get();
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
    if (journal != null) {
      journal.close(); // what is in the database leaves the journal; the rest is recovered at start
    }
  }
}
