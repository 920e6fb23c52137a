package dev.conduit.runtime.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The two databases the runtime supports, for the persistence tests: an embedded H2 file, and
 * the PostgreSQL on 127.0.0.1:5432 when it is there (each test run in a schema of its own).
 */
final class Databases {
  private Databases() {}

  static final String PG_HOST = System.getProperty("conduit.test.pg.host", "127.0.0.1");
  static final String PG_URL = "jdbc:postgresql://" + PG_HOST + ":5432/test";

  static DataSource h2(Path dir) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + dir.resolve("conduit").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
    ds.setUser("conduit");
    ds.setPassword("conduit");
    Database.migrate(ds);
    return ds;
  }

  /** A fresh schema on the local PostgreSQL, or null when none answers. */
  static DataSource postgres() {
    String schema = "conduit_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(PG_URL, "postgres", "")) {
      c.createStatement().execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      return null;
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(PG_URL + "?currentSchema=" + schema);
    ds.setUser("postgres");
    ds.setPassword("");
    Database.migrate(ds);
    return ds;
  }

  static String skipMessage() {
    return "PostgreSQL is not reachable at " + PG_URL + " (user postgres): the PostgreSQL half of the persistence tests is skipped";
  }
}
