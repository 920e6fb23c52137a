package dev.conduit.runtime.bench;

import dev.conduit.runtime.logs.RequestLog;
import dev.conduit.runtime.logs.RequestLogStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * What one request-log row costs the embedded H2 (issue 16: the writer thread's inserts and commits
 * were 15-20% of an invoke's CPU under load), by rows per commit: each setting inserts the same
 * rows (the size of a bench/create-order log) on its own durable H2 file (WRITE_DELAY=0, as the
 * runtime), in turns, so a burst of load hits every setting alike. The figure is the inserting
 * thread's CPU per row (H2 has no background thread with WRITE_DELAY=0: its commit stores on the
 * calling thread), the median of the rounds. Run: bench/runtime/log-insert.sh (or java -cp ...
 * RequestLogInsertBench DIR [rounds] [rows per round] [batch sizes...]).
 */
public final class RequestLogInsertBench {

  /** A bench/create-order call's log columns, as ExchangeJson writes them. */
  static final String REQUEST =
      "{\"method\":\"POST\",\"url\":\"http://127.0.0.1:9301/orders\",\"headers\":{"
          + "\"Content-Type\":[\"application/json\"],\"Authorization\":[\"******\"]},"
          + "\"body\":\"{\\\"customer\\\":\\\"Acme\\\",\\\"lines\\\":[{\\\"sku\\\":\\\"A-1\\\","
          + "\\\"qty\\\":2}]}\"}";

  static final String RESPONSE =
      "{\"status\":200,\"headers\":{\"Server\":[\"nginx/1.22.1\"],\"Date\":[\"Thu, 03 Dec 2026"
          + " 15:04:05 GMT\"],\"Content-Type\":[\"application/json\"],\"Content-Length\":[\"71\"],"
          + "\"Connection\":[\"keep-alive\"]},\"body\":\"{\\\"id\\\":\\\"ord-1\\\",\\\"status\\\":"
          + "\\\"created\\\",\\\"total\\\":39.8,\\\"currency\\\":\\\"EUR\\\"}\",\"bodyTruncated\":false}";

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args[0]));
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int rows = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    // a setting is a batch size, after letters that change one thing each: p - each batch as one
    // INSERT per row in a JDBC batch (RequestLogStore before 2026-12-03; without p, its multi-row
    // INSERTs); s - small rows (no request or response text); x - the table without its two
    // secondary indexes other than the id's (what the indexes cost)
    String[] settings =
        args.length > 3
            ? Arrays.copyOfRange(args, 3, args.length)
            : new String[] {
              "p1", "p10", "p100", "p500", "p2000", "1", "10", "100", "500", "2000", "s500", "x500"
            };
    int[] batches =
        Arrays.stream(settings)
            .mapToInt(x -> Integer.parseInt(x.replaceAll("[a-z]", "")))
            .toArray();
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    List<RequestLogStore> stores = new ArrayList<>();
    List<JdbcConnectionPool> pools = new ArrayList<>();
    for (String b : settings) {
      JdbcConnectionPool pool = DurabilityBench.pool(dir.resolve(b + "-" + UUID.randomUUID()), 0);
      pools.add(pool);
      stores.add(new RequestLogStore(pool));
      if (b.contains("x")) {
        try (Connection c = pool.getConnection();
            Statement st = c.createStatement()) {
          st.execute("DROP INDEX request_log_connection");
          st.execute("DROP INDEX request_log_org_time");
        }
      }
    }
    double[][] perRow = new double[batches.length][rounds];
    double[][] perSecond = new double[batches.length][rounds];
    System.out.printf(
        "%d rounds of %d rows per setting, rows of %d + %d chars, %d cores%n",
        rounds,
        rows,
        REQUEST.length(),
        RESPONSE.length(),
        Runtime.getRuntime().availableProcessors());
    System.out.printf("%-6s %8s %12s %12s%n", "round", "setting", "cpu us/row", "rows/s");
    for (int r = 0; r <= rounds; r++) { // round 0 warms up and is not counted
      for (int i = 0; i < batches.length; i++) {
        long c0 = cpu.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        boolean small = settings[i].contains("s");
        if (settings[i].contains("p")) {
          insertRowByRow(pools.get(i), rows, batches[i], small);
        } else {
          insert(stores.get(i), rows, batches[i], small);
        }
        double us = (cpu.getCurrentThreadCpuTime() - c0) / 1e3 / rows;
        double rate = rows / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("%-6d %8s %12.1f %12.0f%n", r, settings[i], us, rate);
        if (r > 0) {
          perRow[i][r - 1] = us;
          perSecond[i][r - 1] = rate;
        }
      }
    }
    for (int i = 0; i < batches.length; i++) {
      System.out.printf(
          "median %-6s %8.1f us CPU per row, %8.0f rows/s%n",
          settings[i], median(perRow[i]), median(perSecond[i]));
    }
    pools.forEach(JdbcConnectionPool::dispose);
  }

  static void insert(RequestLogStore store, int rows, int batch, boolean small) {
    List<RequestLog> logs = new ArrayList<>(batch);
    for (int n = 0; n < rows; n++) {
      logs.add(log(small));
      if (logs.size() == batch) {
        store.insert(logs);
        logs.clear();
      }
    }
    store.insert(logs);
  }

  /** The same rows as one INSERT per row in a JDBC batch, one commit per batch. */
  static void insertRowByRow(JdbcConnectionPool pool, int rows, int batch, boolean small)
      throws SQLException {
    for (int done = 0; done < rows; done += batch) {
      try (Connection c = pool.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO request_log (id, at_ms, organization_id, connection_id, api_id,"
                      + " kind, application_id, caller, status, outcome, duration_ms,"
                      + " token_refreshed, request, response, error) VALUES"
                      + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        c.setAutoCommit(false);
        for (int i = 0; i < Math.min(batch, rows - done); i++) {
          RequestLog l = log(small);
          // the typed setters the store used, in its order
          ps.setString(1, l.id());
          ps.setLong(2, l.atMillis());
          ps.setString(3, l.organizationId());
          ps.setString(4, l.connectionId());
          ps.setString(5, l.apiId());
          ps.setString(6, l.kind());
          ps.setString(7, l.applicationId());
          ps.setString(8, l.caller());
          ps.setInt(9, l.status());
          ps.setString(10, l.outcome());
          ps.setLong(11, l.durationMillis());
          ps.setBoolean(12, l.tokenRefreshed());
          ps.setString(13, l.request());
          ps.setString(14, l.response());
          ps.setString(15, l.error());
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      }
    }
  }

  static RequestLog log(boolean small) {
    return new RequestLog(
        UUID.randomUUID().toString(),
        System.currentTimeMillis(),
        "f0dc6a74-854a-46cb-ab8c-909b7846d34c",
        "bench",
        "create-order",
        "invoke",
        "bench-app",
        "bench-app",
        200,
        "ok",
        2,
        false,
        small ? "{}" : REQUEST,
        small ? "{}" : RESPONSE,
        null);
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
