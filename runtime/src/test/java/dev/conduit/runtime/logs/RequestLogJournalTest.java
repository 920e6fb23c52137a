package dev.conduit.runtime.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.runtime.store.Database;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request-log journal: what a call was answered for is in it before the answer, and what a
 * crash left in it reaches the database at the next start.
 */
class RequestLogJournalTest {

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

  static RequestLog log(String id, String response) {
    return new RequestLog(
        id,
        1_764_000_000_000L,
        "org",
        "conn",
        null, // a call about the connection itself has no API
        "invoke",
        "app",
        "app account:a-1",
        502,
        "UPSTREAM_ERROR",
        37,
        true,
        "{\"method\":\"POST\"}",
        response,
        "the upstream answered 502: Größe ✓");
  }

  Path journalDir() {
    return dir.resolve("conduit.request-log-journal");
  }

  List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(journalDir())) {
      return s.sorted().toList();
    }
  }

  @Test
  void aCrashLeavesEveryAppendedLogForTheNextStartAndACutLastRecordIsSkipped() throws Exception {
    RequestLogJournal journal = RequestLogJournal.open(journalDir());
    journal.append(log("a", "{\"ok\":1}"));
    journal.append(log("b", null));
    // a crash: the journal is never closed, and the last write was cut in its middle
    Path segment = segments().get(0);
    byte[] cut = new byte[] {0, 0, 1, 0, 7, 7, 7, 7, 1, 2, 3};
    Files.write(segment, cut, StandardOpenOption.APPEND);

    RequestLogStore store = new RequestLogStore(db);
    store.insert(List.of(log("a", "{\"ok\":1}"))); // committed before the crash
    RequestLogJournal reopened = RequestLogJournal.open(journalDir());
    assertEquals(2, reopened.recover(store::insertMissing));

    assertEquals(log("a", "{\"ok\":1}"), store.get("org", "a").orElseThrow());
    assertEquals(log("b", null), store.get("org", "b").orElseThrow(), "every field, nulls too");
    assertEquals(2, store.list(filter()).size(), "a log already there is not inserted twice");
    assertEquals(1, segments().size(), "only the new segment is left");
    reopened.close();
  }

  @Test
  void aJournaledCallAnswersWhileTheDatabaseIsStuckAndItsLogSurvivesACrash() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    DataSource stuck =
        (DataSource)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getConnection")) {
                    never.await(); // the database does not answer
                  }
                  try {
                    return method.invoke(db, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    RequestLogWriter writer =
        new RequestLogWriter(new RequestLogStore(stuck), 100, RequestLogJournal.open(journalDir()));
    assertTrue(writer.write(log("durable", "{}"), 200), "durable in the journal: no wait");
    assertEquals(0, writer.late());
    // the process dies here: neither the writer nor the journal is closed

    RequestLogStore store = new RequestLogStore(db);
    assertTrue(store.get("org", "durable").isEmpty());
    RequestLogJournal.open(journalDir()).recover(store::insertMissing);
    assertTrue(store.get("org", "durable").isPresent(), "recovered at the next start");
    never.countDown();
  }

  @Test
  void anAnsweredCallsLogIsReadableAtOnceAndAClosedJournalKeepsNothingWritten() throws Exception {
    RequestLogStore store = new RequestLogStore(db);
    List<String> ids = new ArrayList<>();
    try (RequestLogWriter writer =
        new RequestLogWriter(store, 1000, RequestLogJournal.open(journalDir()))) {
      for (int i = 0; i < 50; i++) {
        String id = "r" + i;
        ids.add(id);
        assertTrue(writer.write(log(id, "{}"), 2000));
        // read right after the answer: the read catches up with the writer first
        assertTrue(store.get("org", id).isPresent(), id + " readable once its call answered");
      }
      assertEquals(50, writer.written());
    }
    assertEquals(List.of(), segments(), "every log is in the database: the journal is emptied");
    assertEquals(50, store.list(filter()).size());
  }

  static RequestLogStore.Filter filter() {
    return new RequestLogStore.Filter("org", null, null, null, false, null, null, 500, 0);
  }
}
