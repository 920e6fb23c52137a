package dev.conduit.runtime.logs;

import dev.conduit.runtime.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** Request logs in the database: batch inserts, filtered listing, retention purge. */
public final class RequestLogStore {

  /**
   * A listing filter; null fields do not filter.
   *
   * @param fromMillis inclusive; {@code toMillis} exclusive
   * @param status an exact HTTP status, or "2xx"-style class given as 200/400/500 with classOnly
   * @param applicationId the calling application (the console filters by it)
   */
  public record Filter(
      String organizationId,
      String connectionId,
      String apiId,
      Integer status,
      boolean statusClass,
      Long fromMillis,
      Long toMillis,
      int limit,
      int offset,
      String applicationId) {

    /** A filter of any application. */
    public Filter(
        String organizationId,
        String connectionId,
        String apiId,
        Integer status,
        boolean statusClass,
        Long fromMillis,
        Long toMillis,
        int limit,
        int offset) {
      this(
          organizationId,
          connectionId,
          apiId,
          status,
          statusClass,
          fromMillis,
          toMillis,
          limit,
          offset,
          null);
    }
  }

  /**
   * Calls in one time bucket: how many, how many failed (any outcome but ok), their mean and
   * slowest duration.
   */
  public record Bucket(
      long startMillis, long calls, long errors, long meanMillis, long maxMillis) {}

  private static final String COLUMNS =
      "id, at_ms, organization_id, connection_id, api_id, kind, application_id, "
          + "caller, status, outcome, duration_ms, token_refreshed, request, response, error";

  /** The request_log columns' size: a record longer than this (bodies are capped before) is cut. */
  public static final int COLUMN_CHARS = 65536;

  private final DataSource dataSource;
  private final Jdbc db;
  private volatile Runnable beforeRead = () -> {};

  public RequestLogStore(DataSource dataSource) {
    this.dataSource = dataSource;
    this.db = new Jdbc(dataSource);
  }

  /**
   * What every read runs first: the writer's catch-up, so that a log written before the read (its
   * call answered) is found even when it is still on its way from the journal to the database.
   */
  void readsFirst(Runnable catchUp) {
    this.beforeRead = catchUp;
  }

  /**
   * Inserts the logs the database does not have yet (by id): the journal's recovery, which may hold
   * logs that were committed before the crash.
   */
  public void insertMissing(List<RequestLog> logs) {
    if (logs.isEmpty()) {
      return;
    }
    String marks = String.join(", ", Collections.nCopies(logs.size(), "?"));
    Set<String> present =
        new HashSet<>(
            db.query(
                "SELECT id FROM request_log WHERE id IN (" + marks + ")",
                rs -> rs.getString("id"),
                logs.stream().map(RequestLog::id).toArray()));
    insert(logs.stream().filter(l -> !present.contains(l.id())).toList());
  }

  /**
   * Inserts the logs in one transaction: multi-row INSERTs of {@link #CHUNKS} rows, so a batch of
   * 500 is 11 statements, not 500. Each statement costs H2 its start and end (a snapshot of the
   * table's maps), which a JDBC batch of one-row INSERTs paid for every row: in batches of 500
   * (what the writer gathers under load) a row took 0.76 and 0.84 of the CPU in two runs of
   * RequestLogInsertBench; in batches of 100 the two ways were even (docs/benchmarks.md). The chunk
   * sizes are few, so the data source's statement cache keeps each one prepared.
   */
  public void insert(List<RequestLog> logs) {
    if (logs.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false); // one commit per batch, not per row
      try {
        for (int at = 0; at < logs.size(); ) {
          int n = chunk(logs.size() - at);
          try (PreparedStatement ps = c.prepareStatement(INSERTS[n])) {
            int p = 1;
            for (RequestLog l : logs.subList(at, at + n)) {
              p = bind(ps, p, l);
            }
            ps.executeUpdate();
          }
          at += n;
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback(); // a pooled connection goes back clean, not inside a failed transaction
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new Jdbc.StoreException("inserting request logs", e);
    }
  }

  /** The rows one INSERT statement takes: the largest that fits what is left. */
  static final int[] CHUNKS = {64, 16, 4, 1};

  /** The INSERT of n rows, for each n in {@link #CHUNKS} (null elsewhere). */
  private static final String[] INSERTS = new String[CHUNKS[0] + 1];

  static {
    String row = "(" + String.join(", ", Collections.nCopies(15, "?")) + ")";
    for (int n : CHUNKS) {
      INSERTS[n] =
          "INSERT INTO request_log ("
              + COLUMNS
              + ") VALUES "
              + String.join(", ", Collections.nCopies(n, row));
    }
  }

  static int chunk(int left) {
    for (int n : CHUNKS) {
      if (left >= n) {
        return n;
      }
    }
    throw new IllegalArgumentException("no rows left");
  }

  /** Binds one row's 15 columns from parameter {@code p} on; returns the next parameter. */
  private static int bind(PreparedStatement ps, int p, RequestLog l) throws SQLException {
    ps.setString(p++, l.id());
    ps.setLong(p++, l.atMillis());
    ps.setString(p++, l.organizationId());
    ps.setString(p++, l.connectionId());
    ps.setString(p++, l.apiId());
    ps.setString(p++, l.kind());
    ps.setString(p++, l.applicationId());
    ps.setString(p++, l.caller());
    ps.setInt(p++, l.status());
    ps.setString(p++, l.outcome());
    ps.setLong(p++, l.durationMillis());
    ps.setBoolean(p++, l.tokenRefreshed());
    ps.setString(p++, cap(l.request(), COLUMN_CHARS));
    ps.setString(p++, cap(l.response(), COLUMN_CHARS));
    ps.setString(p++, cap(l.error(), 4000));
    return p;
  }

  public List<RequestLog> list(Filter f) {
    beforeRead.run();
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM request_log WHERE organization_id = ?");
    List<Object> args = new ArrayList<>();
    where(f, sql, args);
    sql.append(" ORDER BY at_ms DESC, id DESC LIMIT ? OFFSET ?");
    args.add(f.limit());
    args.add(f.offset());
    return db.query(sql.toString(), RequestLogStore::row, args.toArray());
  }

  /**
   * The filter's calls counted per bucket of {@code bucketMillis} (from and to bound the range;
   * limit and offset are ignored), oldest first; empty buckets are left out. One grouped query, so
   * a chart costs the same whatever the number of calls.
   */
  public List<Bucket> buckets(Filter f, long bucketMillis) {
    // the bucket width is a number written into the text (not a parameter): PostgreSQL groups by
    // an expression only when it is the same text as the selected one
    beforeRead.run();
    long width = Math.max(1, bucketMillis);
    StringBuilder sql =
        new StringBuilder(
            "SELECT at_ms / "
                + width
                + " AS b, COUNT(*) AS calls,"
                + " SUM(CASE WHEN outcome = 'ok' THEN 0 ELSE 1 END) AS errors,"
                + " AVG(duration_ms) AS mean_ms, MAX(duration_ms) AS max_ms"
                + " FROM request_log WHERE organization_id = ?");
    List<Object> args = new ArrayList<>();
    where(f, sql, args);
    sql.append(" GROUP BY at_ms / " + width + " ORDER BY b");
    return db.query(
        sql.toString(),
        rs ->
            new Bucket(
                rs.getLong("b") * width,
                rs.getLong("calls"),
                rs.getLong("errors"),
                Math.round(rs.getDouble("mean_ms")),
                rs.getLong("max_ms")),
        args.toArray());
  }

  private static void where(Filter f, StringBuilder sql, List<Object> args) {
    args.add(f.organizationId());
    if (f.applicationId() != null) {
      sql.append(" AND application_id = ?");
      args.add(f.applicationId());
    }
    if (f.connectionId() != null) {
      sql.append(" AND connection_id = ?");
      args.add(f.connectionId());
    }
    if (f.apiId() != null) {
      sql.append(" AND api_id = ?");
      args.add(f.apiId());
    }
    if (f.status() != null) {
      if (f.statusClass()) {
        sql.append(" AND status >= ? AND status < ?");
        args.add(f.status());
        args.add(f.status() + 100);
      } else {
        sql.append(" AND status = ?");
        args.add(f.status());
      }
    }
    if (f.fromMillis() != null) {
      sql.append(" AND at_ms >= ?");
      args.add(f.fromMillis());
    }
    if (f.toMillis() != null) {
      sql.append(" AND at_ms < ?");
      args.add(f.toMillis());
    }
  }

  public Optional<RequestLog> get(String organizationId, String id) {
    beforeRead.run();
    return db.one(
        "SELECT " + COLUMNS + " FROM request_log WHERE organization_id = ? AND id = ?",
        RequestLogStore::row,
        organizationId,
        id);
  }

  /**
   * At most this many logs go in one purge transaction (docs/benchmarks.md, "Request-log purge").
   */
  public static final int PURGE_BATCH = 5_000;

  /**
   * Deletes logs older than the cut-off; returns how many. One organization at a time, each through
   * the index on (organization, time): the table has no index on time alone, which every insert
   * would pay for (V10). In transactions of at most {@link #PURGE_BATCH} logs: a backlog of
   * hundreds of thousands (a first purge, a shorter retention) otherwise is one transaction that
   * holds its rows' locks and, on PostgreSQL, keeps the request-log writers' commits waiting behind
   * it.
   */
  public int purgeBefore(long cutoffMillis) {
    int n = 0;
    for (String org : organizations()) {
      n +=
          db.deleteInBatches(
              "SELECT id FROM request_log WHERE organization_id = ? AND at_ms < ?",
              PURGE_BATCH,
              List.of("DELETE FROM request_log WHERE id IN (%s)"),
              org,
              cutoffMillis);
    }
    return n;
  }

  /**
   * The organizations that have logs, the served ones and any served no more (their logs age out
   * too). One index probe per organization, each the next id after the last: PostgreSQL answers a
   * SELECT DISTINCT by reading the whole index (a million rows for twenty organizations).
   */
  public List<String> organizations() {
    List<String> orgs = new ArrayList<>();
    Optional<String> next =
        db.one(
            "SELECT organization_id FROM request_log ORDER BY organization_id FETCH FIRST 1 ROWS ONLY",
            rs -> rs.getString(1));
    while (next.isPresent()) {
      orgs.add(next.get());
      next =
          db.one(
              "SELECT organization_id FROM request_log WHERE organization_id > ?"
                  + " ORDER BY organization_id FETCH FIRST 1 ROWS ONLY",
              rs -> rs.getString(1),
              next.get());
    }
    return orgs;
  }

  private static RequestLog row(ResultSet rs) throws SQLException {
    return new RequestLog(
        rs.getString("id"),
        rs.getLong("at_ms"),
        rs.getString("organization_id"),
        rs.getString("connection_id"),
        rs.getString("api_id"),
        rs.getString("kind"),
        rs.getString("application_id"),
        rs.getString("caller"),
        rs.getInt("status"),
        rs.getString("outcome"),
        rs.getLong("duration_ms"),
        rs.getBoolean("token_refreshed"),
        rs.getString("request"),
        rs.getString("response"),
        rs.getString("error"));
  }

  private static String cap(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
