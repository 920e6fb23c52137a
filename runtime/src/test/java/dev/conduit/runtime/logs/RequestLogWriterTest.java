package dev.conduit.runtime.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.runtime.store.Database;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A call that waits for its request log: the row is committed when the wait returns. */
class RequestLogWriterTest {

  @TempDir Path dir;
  DataSource db;

  @BeforeEach
  void database() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(
        "jdbc:h2:file:"
            + dir.resolve("conduit").toAbsolutePath()
            + ";DB_CLOSE_DELAY=-1;WRITE_DELAY=0");
    ds.setUser("conduit");
    ds.setPassword("conduit");
    Database.migrate(ds);
    db = ds;
  }

  static RequestLog log(String id) {
    return new RequestLog(
        id,
        System.currentTimeMillis(),
        "org",
        "conn",
        "api",
        "invoke",
        "app",
        "app",
        200,
        "ok",
        5,
        false,
        "{}",
        "{}",
        null);
  }

  @Test
  void everyWaitingCallersLogIsCommittedWhenItsWaitReturns() throws Exception {
    RequestLogStore store = new RequestLogStore(db);
    ExecutorService callers = Executors.newFixedThreadPool(16);
    try (RequestLogWriter writer = new RequestLogWriter(store, 100)) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        String id = "w" + i;
        calls.add(
            callers.submit(
                () -> {
                  go.await();
                  // what a caller is told only after write returns must already be readable
                  return writer.write(log(id), 10_000) && store.get("org", id).isPresent();
                }));
      }
      go.countDown();
      for (Future<Boolean> c : calls) {
        assertTrue(
            c.get(30, TimeUnit.SECONDS), "the log is in the database once write returns true");
      }
      assertEquals(64, writer.written());
      assertEquals(0, writer.late());
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aStuckDatabaseDelaysTheCallByTheWaitAndCountsTheLogAsLate() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    DataSource stuck =
        (DataSource)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getConnection")) {
                    release.await(); // the database does not answer
                  }
                  try {
                    return method.invoke(db, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    RequestLogStore store = new RequestLogStore(db);
    RequestLogWriter writer = new RequestLogWriter(new RequestLogStore(stuck), 100);
    try {
      assertFalse(writer.write(log("late"), 200), "the wait runs out: the call answers anyway");
      assertEquals(1, writer.late());
      assertTrue(store.get("org", "late").isEmpty());
    } finally {
      release.countDown();
      writer.close();
    }
    assertTrue(store.get("org", "late").isPresent(), "written once the database answers");
  }

  /** A data source that remembers the thread asking it for a connection, and can hold it. */
  private DataSource watched(
      AtomicReference<String> askedBy, AtomicReference<CountDownLatch> hold) {
    return (DataSource)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getConnection")) {
                askedBy.set(Thread.currentThread().getName());
                hold.get().await();
              }
              try {
                return method.invoke(db, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void aLoneCallerCommitsItsOwnLogWithoutHandingItToAnotherThread() {
    AtomicReference<String> askedBy = new AtomicReference<>();
    AtomicReference<CountDownLatch> hold = new AtomicReference<>(new CountDownLatch(0));
    RequestLogStore store = new RequestLogStore(db);
    try (RequestLogWriter writer =
        new RequestLogWriter(new RequestLogStore(watched(askedBy, hold)), 100)) {
      // the first commit goes to the writer thread: nothing is known yet of the database's speed
      assertTrue(writer.write(log("first"), 10_000));
      assertEquals("conduit-request-log-writer", askedBy.get());
      assertTrue(writer.write(log("second"), 10_000));
      assertEquals(Thread.currentThread().getName(), askedBy.get(), "committed by the caller");
      assertTrue(store.get("org", "second").isPresent(), "committed when write returns");
      assertEquals(1, writer.ledByCallers());
    }
  }

  @Test
  void onceTheDatabaseStallsLaterCallsWaitAtMostTheirWait() throws Exception {
    AtomicReference<String> askedBy = new AtomicReference<>();
    AtomicReference<CountDownLatch> hold = new AtomicReference<>(new CountDownLatch(0));
    RequestLogStore store = new RequestLogStore(db);
    RequestLogWriter writer =
        new RequestLogWriter(new RequestLogStore(watched(askedBy, hold)), 100);
    ExecutorService leader =
        Executors.newSingleThreadExecutor(Thread.ofPlatform().name("leading-caller").factory());
    CountDownLatch stuck = new CountDownLatch(1);
    try {
      assertTrue(writer.write(log("a"), 10_000));
      assertTrue(writer.write(log("b"), 10_000));
      // the database stalls while a caller leads a commit: that one call waits for the database
      hold.set(stuck);
      Future<Boolean> leading = leader.submit(() -> writer.write(log("c"), 400));
      while (!"leading-caller".equals(askedBy.get()) && !leading.isDone()) {
        Thread.sleep(5);
      }
      // every other call hands over to the writer thread and answers when its wait runs out
      assertFalse(writer.write(log("d"), 200), "answered after the wait, not after the database");
      assertEquals(1, writer.late());
      assertFalse(leading.isDone(), "the leading call waits for its commit");
      stuck.countDown();
      assertTrue(leading.get(30, TimeUnit.SECONDS), "its log is committed when it answers");
      writer.flush(10_000);
    } finally {
      stuck.countDown();
      leader.shutdownNow();
      writer.close();
    }
    assertTrue(store.get("org", "d").isPresent(), "written once the database answers");
  }
}
