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
    return SampleLogs.ok(id, "org", System.currentTimeMillis(), "{}", "{}");
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
}
