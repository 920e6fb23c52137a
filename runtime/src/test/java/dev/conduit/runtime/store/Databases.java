package dev.conduit.runtime.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The two databases the runtime supports, for the persistence tests: an embedded H2 file, and the
 * PostgreSQL on 127.0.0.1:5432 when it is there (each test run in a schema of its own). Public for
 * the tests of other packages that keep state (accounts).
 */
public final class Databases {
  private Databases() {}

  static final String PG_HOST = System.getProperty("conduit.test.pg.host", "127.0.0.1");
  static final String PG_URL = "jdbc:postgresql://" + PG_HOST + ":5432/test";

  /** H2 in DIR/conduit, migrated. */
  public static DataSource h2(Path dir) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + dir.resolve("conduit").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
    ds.setUser("conduit");
    ds.setPassword("conduit");
    Database.migrate(ds);
    return ds;
  }

  /** A fresh schema on the local PostgreSQL, or null when none answers. */
  static DataSource postgres() {
    String schema = newPostgresSchema();
    return schema == null ? null : postgres(schema);
  }

  /** The name of a new, empty schema on the local PostgreSQL, or null when none answers. */
  public static String newPostgresSchema() {
    String schema =
        "conduit_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(PG_URL, "postgres", "")) {
      c.createStatement().execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      return null;
    }
    return schema;
  }

  /** The JDBC URL of a schema of the local PostgreSQL (user postgres), e.g. for a server's own. */
  public static String postgresUrl(String schema) {
    return PG_URL + "?currentSchema=" + schema;
  }

  /**
   * A data source on a schema of the local PostgreSQL, migrated: call it twice for two instances on
   * one database.
   */
  public static DataSource postgres(String schema) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(postgresUrl(schema));
    ds.setUser("postgres");
    ds.setPassword("");
    Database.migrate(ds);
    return ds;
  }

  /**
   * Which database a parameterized persistence test runs on: "h2" (under DIR) or "postgresql"
   * (skipped when absent).
   */
  public static DataSource open(String kind, Path dir) throws Exception {
    if (kind.equals("h2")) {
      return h2(Files.createTempDirectory(dir, "h2"));
    }
    DataSource pg = postgres();
    assumeTrue(pg != null, skipMessage());
    return pg;
  }

  public static String skipMessage() {
    return "PostgreSQL is not reachable at "
        + PG_URL
        + " (user postgres): the PostgreSQL half of the persistence tests is skipped";
  }
}
