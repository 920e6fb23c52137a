package dev.conduit.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Small JDBC helpers: statements with parameters, a row mapper, unchecked failures. */
public final class Jdbc {

  /** A database failure; the message names the operation, never a value. */
  public static final class StoreException extends RuntimeException {
    public StoreException(String operation, SQLException e) {
      super(operation + " failed: " + e.getMessage(), e);
    }
  }

  /** Maps one row. */
  @FunctionalInterface
  public interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Work on one connection inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final DataSource dataSource;

  public Jdbc(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public int update(String sql, Object... args) {
    try (Connection c = dataSource.getConnection()) {
      return update(c, sql, args);
    } catch (SQLException e) {
      throw new StoreException(sql.split(" ")[0].toLowerCase(), e);
    }
  }

  /**
   * Runs {@code work} on one connection in one transaction: committed when it returns, rolled back
   * when it throws (the pooled connection goes back clean, in auto-commit).
   */
  public <T> T inTransaction(String operation, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException(operation, e);
    }
  }

  /** An update on a connection the caller holds (inside {@link #inTransaction}). */
  public static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  /** At most one row, on a connection the caller holds (inside {@link #inTransaction}). */
  public static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row.map(rs)) : Optional.empty();
      }
    }
  }

  /** An insert that is allowed to find the row already there (true when it inserted). */
  public boolean insertIfAbsent(String sql, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
        return false; // integrity constraint: the row exists
      }
      throw new StoreException("insert", e);
    }
  }

  public <T> List<T> query(String sql, Row<T> row, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new StoreException("query", e);
    }
  }

  /**
   * Deletes in transactions of at most {@code batch} rows, until a batch comes back short; returns
   * how many rows the last of {@code deletes} deleted. Each batch reads its ids first ({@code ids},
   * a query of one column, given its FETCH FIRST here), then runs every one of {@code deletes}
   * ("... IN (%s)", where the ids' placeholders go) in one transaction: one transaction for a whole
   * backlog holds its rows' locks and keeps the writers waiting, and H2 ran a DELETE ... WHERE id
   * IN (SELECT ... FETCH FIRST) slowly, reading the subquery again and again (docs/benchmarks.md,
   * "Request-log purge").
   */
  public int deleteInBatches(String ids, int batch, List<String> deletes, Object... args) {
    int n = 0;
    List<String> page;
    do {
      page = query(ids + " FETCH FIRST " + batch + " ROWS ONLY", rs -> rs.getString(1), args);
      if (!page.isEmpty()) {
        String in = String.join(", ", Collections.nCopies(page.size(), "?"));
        Object[] keys = page.toArray();
        n +=
            inTransaction(
                "delete",
                c -> {
                  int last = 0;
                  for (String delete : deletes) {
                    last = update(c, delete.formatted(in), keys);
                  }
                  return last;
                });
      }
    } while (page.size() == batch);
    return n;
  }

  public <T> Optional<T> one(String sql, Row<T> row, Object... args) {
    List<T> all = query(sql, row, args);
    return all.isEmpty() ? Optional.empty() : Optional.ofNullable(all.getFirst());
  }

  static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) {
        ps.setNull(i + 1, Types.NULL); // "unspecified": PostgreSQL infers the column type
      } else if (a instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (a instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else if (a instanceof Boolean b) {
        ps.setBoolean(i + 1, b);
      } else {
        ps.setString(i + 1, a.toString());
      }
    }
  }

  /** A nullable BIGINT column. */
  public static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
