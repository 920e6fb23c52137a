package dev.conduit.runtime.bench;

import dev.conduit.runtime.logs.RequestLog;
import dev.conduit.runtime.logs.RequestLogJournal;
import dev.conduit.runtime.logs.RequestLogStore;
import dev.conduit.runtime.logs.RequestLogWriter;
import dev.conduit.runtime.store.Database;
import dev.conduit.runtime.store.Jdbc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * The request-log retention purge on a large table, on the embedded H2 and on PostgreSQL: N logs
 * (1,000,000) of 20 organizations spread evenly over the last 60 days, as a runtime with the
 * default 30-day retention holds after a month of about 16,000 calls an hour. For each database:
 *
 * <ol>
 *   <li>listing the organizations that have logs: the SELECT DISTINCT the purge ran before, and the
 *       index probes it runs now (RequestLogStore), in turns;
 *   <li>the hourly purge in the steady state (one hour of logs, ~700 rows), the purge before and
 *       now in turns, each on its own hour;
 *   <li>a backlog (a first purge, a shorter retention): 10 days of logs (~170,000 rows) purged the
 *       old way, then the next 10 days the new way, while 8 threads write request logs as calls do
 *       (the runtime's writer: journaled on H2, each call waiting for its commit on PostgreSQL) and
 *       one reads the console's newest logs; each call's wait is recorded before and during.
 * </ol>
 *
 * No server, no port. Run: bench/runtime/purge.sh (or java -cp ... PurgeBench DIR [rows] [h2,pg])
 */
public final class PurgeBench {

  static final int ORGANIZATIONS = 20;
  static final long DAY = TimeUnit.DAYS.toMillis(1);
  static final long HOUR = TimeUnit.HOURS.toMillis(1);

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args[0]));
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    List<String> kinds = List.of((args.length > 2 ? args[2] : "h2,pg").split(","));
    for (String kind : kinds) {
      run(kind, dir, rows);
    }
  }

  static void run(String kind, Path dir, int rows) throws Exception {
    String schema = "purge_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    JdbcConnectionPool pool = kind.equals("h2") ? h2(dir) : postgres(schema);
    try {
      Database.migrate(pool);
      RequestLogStore store = new RequestLogStore(pool);
      Jdbc db = new Jdbc(pool);
      long now = System.currentTimeMillis();
      long oldest = now - 60 * DAY;
      long t0 = System.nanoTime();
      fill(store, rows, oldest, now);
      if (kind.equals("pg")) {
        db.update("ANALYZE request_log"); // as autovacuum would have by then
      }
      System.out.printf(
          Locale.ROOT,
          "%n== %s: %,d logs of %d organizations over 60 days, written in %.0f s%n",
          kind,
          rows,
          ORGANIZATIONS,
          (System.nanoTime() - t0) / 1e9);

      // 1. the organizations with logs
      double[] distinct = new double[5];
      double[] probes = new double[5];
      for (int i = 0; i < 5; i++) {
        distinct[i] = millis(() -> oldOrganizations(db).size());
        probes[i] = millis(() -> store.organizations().size());
      }
      System.out.printf(
          Locale.ROOT,
          "organizations: SELECT DISTINCT median %.1f ms (%s), index probes median %.1f ms (%s)%n",
          median(distinct),
          list(distinct),
          median(probes),
          list(probes));

      // 2. the hourly purge: each run removes the next hour of logs
      double[] oldHourly = new double[5];
      double[] newHourly = new double[5];
      long cutoff = oldest;
      int removedOld = 0;
      int removedNew = 0;
      for (int i = 0; i < 5; i++) {
        long c1 = cutoff += HOUR;
        int[] n = new int[1];
        oldHourly[i] = millis(() -> n[0] = oldPurge(db, c1));
        removedOld += n[0];
        long c2 = cutoff += HOUR;
        newHourly[i] = millis(() -> n[0] = store.purgeBefore(c2));
        removedNew += n[0];
      }
      System.out.printf(
          Locale.ROOT,
          "hourly purge (~%d rows each): before median %.1f ms (%s), now median %.1f ms (%s)%n",
          (removedOld + removedNew) / 10,
          median(oldHourly),
          list(oldHourly),
          median(newHourly),
          list(newHourly));

      // 3. a backlog while calls write their logs
      try (Calls calls = new Calls(kind, dir, store)) {
        calls.measure(10);
        long c1 = oldest + 10 * DAY;
        Phase before = calls.phase("no purge (10 s)");
        Phase old =
            calls.during("backlog, before (one DELETE per organization)", () -> oldPurge(db, c1));
        long c2 = oldest + 20 * DAY;
        Phase now2 = calls.during("backlog, now (batches of 5,000)", () -> store.purgeBefore(c2));
        for (Phase p : List.of(before, old, now2)) {
          System.out.println(p);
        }
      }
      System.out.printf(
          Locale.ROOT, "load average %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
    } finally {
      pool.dispose();
      if (kind.equals("pg")) {
        try (Connection c = DriverManager.getConnection(PG, "postgres", "")) {
          c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        }
      }
    }
  }

  /** The purge before: the organizations by SELECT DISTINCT, one DELETE (one transaction) each. */
  static int oldPurge(Jdbc db, long cutoff) {
    int n = 0;
    for (String org : oldOrganizations(db)) {
      n +=
          db.update("DELETE FROM request_log WHERE organization_id = ? AND at_ms < ?", org, cutoff);
    }
    return n;
  }

  static List<String> oldOrganizations(Jdbc db) {
    return db.query("SELECT DISTINCT organization_id FROM request_log", rs -> rs.getString(1));
  }

  static void fill(RequestLogStore store, int rows, long oldest, long now) {
    long span = now - oldest - 60_000;
    List<RequestLog> batch = new ArrayList<>(2000);
    for (int i = 0; i < rows; i++) {
      batch.add(log("org-" + (i % ORGANIZATIONS), oldest + span * i / rows));
      if (batch.size() == 2000) {
        store.insert(batch);
        batch.clear();
      }
    }
    store.insert(batch);
  }

  static RequestLog log(String org, long at) {
    return new RequestLog(
        UUID.randomUUID().toString(),
        at,
        org,
        "orders",
        "create-order",
        "invoke",
        "shop-app",
        "shop-app",
        200,
        "ok",
        42,
        false,
        "{\"method\":\"POST\",\"url\":\"https://api.example.com/orders\",\"headers\":"
            + "{\"Authorization\":[\"******\"],\"Content-Type\":[\"application/json\"]},"
            + "\"body\":\"{\\\"customer\\\":\\\"Acme\\\",\\\"items\\\":[{\\\"sku\\\":\\\"A-1\\\"}]}\"}",
        "{\"status\":200,\"headers\":{\"content-type\":[\"application/json\"]},"
            + "\"body\":\"{\\\"id\\\":\\\"ord-1\\\",\\\"total\\\":42.5,\\\"state\\\":\\\"accepted\\\"}\","
            + "\"bodyTruncated\":false}",
        null);
  }

  /** The waits of the calls' log writes and of the console's reads over one phase. */
  record Phase(String name, double purgeSeconds, int purged, long[] writes, long[] reads) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%-48s %s writes %,7d p50 %6.1f ms p99 %7.1f ms max %7.1f ms | reads %,5d p50 %6.1f ms"
              + " max %7.1f ms",
          name,
          purged < 0
              ? ""
              : String.format(Locale.ROOT, "purged %,d in %.1f s;", purged, purgeSeconds),
          writes.length,
          pct(writes, 50),
          pct(writes, 99),
          pct(writes, 100),
          reads.length,
          pct(reads, 50),
          pct(reads, 100));
    }
  }

  /**
   * Calls writing their logs: 8 threads, each a log then 5 ms of rest (up to ~1,600 calls/s), and
   * one reader of an organization's 50 newest logs (the console's page) every 100 ms.
   */
  static final class Calls implements AutoCloseable {
    final RequestLogWriter writer;
    final RequestLogJournal journal;
    final RequestLogStore store;
    final ConcurrentLinkedQueue<Long> writes = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> reads = new ConcurrentLinkedQueue<>();
    final AtomicBoolean running = new AtomicBoolean(true);
    final List<Thread> threads = new ArrayList<>();

    Calls(String kind, Path dir, RequestLogStore store) throws Exception {
      this.store = store;
      // as the runtime: the journal with the embedded database, none with PostgreSQL
      journal =
          kind.equals("h2")
              ? RequestLogJournal.open(Files.createTempDirectory(dir, "journal"))
              : null;
      writer = new RequestLogWriter(store, 10_000, journal);
      for (int t = 0; t < 8; t++) {
        int id = t;
        threads.add(
            Thread.ofPlatform()
                .name("calls-" + t)
                .start(
                    () ->
                        loop(
                            writes,
                            5,
                            () -> {
                              long t0 = System.nanoTime();
                              writer.write(
                                  log("org-" + (id % ORGANIZATIONS), System.currentTimeMillis()),
                                  2000);
                              return System.nanoTime() - t0;
                            })));
      }
      threads.add(
          Thread.ofPlatform()
              .name("console")
              .start(
                  () ->
                      loop(
                          reads,
                          100,
                          () -> {
                            long t0 = System.nanoTime();
                            store.list(
                                new RequestLogStore.Filter(
                                    "org-3", null, null, null, false, null, null, 50, 0));
                            return System.nanoTime() - t0;
                          })));
    }

    private void loop(ConcurrentLinkedQueue<Long> into, long restMillis, LongSupplier call) {
      while (running.get()) {
        into.add(call.getAsLong());
        try {
          Thread.sleep(restMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    void measure(int seconds) throws InterruptedException {
      writes.clear();
      reads.clear();
      Thread.sleep(seconds * 1000L);
    }

    Phase phase(String name) {
      return new Phase(name, 0, -1, drain(writes), drain(reads));
    }

    Phase during(String name, java.util.function.IntSupplier purge) {
      writes.clear();
      reads.clear();
      long t0 = System.nanoTime();
      int n = purge.getAsInt();
      double s = (System.nanoTime() - t0) / 1e9;
      return new Phase(name, s, n, drain(writes), drain(reads));
    }

    private static long[] drain(ConcurrentLinkedQueue<Long> q) {
      long[] a = q.stream().mapToLong(Long::longValue).toArray();
      q.clear();
      Arrays.sort(a);
      return a;
    }

    @Override
    public void close() {
      running.set(false); // no interrupt: an interrupted H2 read or write closes its file
      for (Thread t : threads) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      writer.close();
      if (journal != null) {
        journal.close();
      }
    }
  }

  static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";

  static JdbcConnectionPool h2(Path dir) throws Exception {
    Path file = Files.createTempDirectory(dir, "h2").resolve("conduit");
    JdbcConnectionPool pool =
        JdbcConnectionPool.create(
            "jdbc:h2:file:"
                + file.toAbsolutePath()
                + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0",
            "conduit",
            "conduit");
    pool.setMaxConnections(40); // server.xml's maxPoolSize
    return pool;
  }

  /** A new schema of the local PostgreSQL, pooled as the server pools (40 connections). */
  static JdbcConnectionPool postgres(String schema) throws Exception {
    try (Connection c = DriverManager.getConnection(PG, "postgres", "")) {
      c.createStatement().execute("CREATE SCHEMA " + schema);
    }
    PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
    ds.setUrl(PG + "?currentSchema=" + schema + "&reWriteBatchedInserts=true");
    ds.setUser("postgres");
    ds.setPassword("");
    JdbcConnectionPool pool = JdbcConnectionPool.create(ds);
    pool.setMaxConnections(40);
    return pool;
  }

  static double millis(java.util.function.IntSupplier work) {
    long t0 = System.nanoTime();
    work.getAsInt();
    return (System.nanoTime() - t0) / 1e6;
  }

  static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static String list(double[] a) {
    return String.join(
        ", ", Arrays.stream(a).mapToObj(v -> String.format(Locale.ROOT, "%.1f", v)).toList());
  }

  /** The p-th percentile of sorted nanoseconds, in milliseconds. */
  static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }
}
