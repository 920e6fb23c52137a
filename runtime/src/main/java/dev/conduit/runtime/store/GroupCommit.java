package dev.conduit.runtime.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Short transactions of concurrent callers committed together (group commit): one writer thread
 * takes what is queued, runs every caller's work in one transaction on one connection, in queue
 * order, and commits once; each caller returns only after the commit that holds its work. With the
 * embedded H2 at {@code WRITE_DELAY=0} every commit writes a chunk of the pages it touched (the
 * tables' and indexes' paths from leaf to root, H2's undo log, its layout), so sixty transactions
 * in one commit cost about what one costs; with PostgreSQL one WAL flush serves them all. While a
 * batch commits, the callers that arrive meanwhile gather into the next: no waiting is added when
 * the load is light.
 *
 * <p>A work may run twice: when any work of a batch throws, or the commit fails, the batch is
 * rolled back and each work runs again in a transaction of its own, so one caller's failure is its
 * own. A work must therefore touch nothing but the connection it is given (and values it
 * overwrites). Later works of a batch see what earlier ones wrote (one transaction): a conditional
 * update decides between two callers exactly as it would across transactions.
 */
public final class GroupCommit implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());

  /** At most this many works share a transaction (bounds its locks and its undo log). */
  static final int MAX_BATCH = 64;

  private final Jdbc db;
  private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;

  public GroupCommit(DataSource dataSource, String name) {
    this.db = new Jdbc(dataSource);
    this.thread =
        Thread.ofPlatform().daemon().name("conduit-group-commit-" + name).start(this::run);
  }

  /**
   * Runs {@code work} in a transaction shared with other callers' and returns its result once that
   * transaction is committed; throws (a {@link Jdbc.StoreException} for database failures) when its
   * own transaction fails. Waits without being interruptible: an answer is never given for work
   * whose commit is still under way.
   */
  public <T> T run(String operation, Jdbc.Work<T> work) {
    Job<T> job = new Job<>(operation, work);
    queue.add(job);
    if (!running && queue.remove(job)) {
      job.runAlone(db); // closed: the writer may be gone, nobody else will take it
    }
    try {
      return job.done.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  private void run() {
    List<Job<?>> batch = new ArrayList<>(MAX_BATCH);
    while (running) {
      try {
        Job<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        commit(batch);
      } catch (InterruptedException e) {
        running = false; // not ours to interrupt: callers run their own work from now on
        break;
      } catch (RuntimeException | Error e) {
        LOG.log(Level.SEVERE, "group commit: a batch failed outside its transaction", e);
        batch.forEach(j -> j.done.completeExceptionally(e)); // nobody waits forever
      } finally {
        batch.clear();
      }
    }
    for (Job<?> left; (left = queue.poll()) != null; ) {
      left.runAlone(db);
    }
  }

  private void commit(List<Job<?>> batch) {
    if (batch.size() == 1) {
      batch.getFirst().runAlone(db);
      return;
    }
    try {
      db.inTransaction(
          "group commit",
          c -> {
            for (Job<?> job : batch) {
              job.runIn(c);
            }
            return null;
          });
    } catch (RuntimeException e) {
      // rolled back: each work again on its own, so only the failing caller sees a failure
      batch.forEach(job -> job.runAlone(db));
      return;
    }
    batch.forEach(Job::succeed);
  }

  /** Works waiting for the writer (tests hold the writer to form a batch). */
  int queued() {
    return queue.size();
  }

  /** Stops the writer; works queued until then still run, later ones run on the caller's thread. */
  @Override
  public void close() {
    // no interrupt: an interrupted thread in the middle of a write closes H2's file channel
    running = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One caller's work and the answer it waits on. */
  private static final class Job<T> {
    final String operation;
    final Jdbc.Work<T> work;
    final CompletableFuture<T> done = new CompletableFuture<>();
    private T result;

    Job(String operation, Jdbc.Work<T> work) {
      this.operation = operation;
      this.work = work;
    }

    void runIn(Connection c) throws SQLException {
      result = work.run(c);
    }

    void succeed() {
      done.complete(result);
    }

    void runAlone(Jdbc db) {
      try {
        done.complete(db.inTransaction(operation, work));
      } catch (RuntimeException | Error e) {
        done.completeExceptionally(e);
      }
    }
  }
}
