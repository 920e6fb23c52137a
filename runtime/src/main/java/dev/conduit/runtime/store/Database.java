package dev.conduit.runtime.store;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The runtime's relational database: embedded H2 by default, PostgreSQL when configured
 * (server.xml's dataSource). The schema is migrated with Flyway at start, the same versioned
 * migrations (src/main/resources/db/migration) for both.
 */
@ApplicationScoped
public class Database {

  private static final Logger LOG = Logger.getLogger(Database.class.getName());

  @Resource(lookup = "jdbc/conduit")
  DataSource dataSource;

  @PostConstruct
  void start() {
    migrate(dataSource);
    warnIfCommitsAreDelayed(dataSource);
  }

  /**
   * H2 writes committed transactions to its file after a delay (WRITE_DELAY, 500 ms by default): a
   * crash in that window loses what callers were told was done (tokens, codes, logs). server.xml's
   * URL sets WRITE_DELAY=0 (each commit is in the file before it returns); a URL of the operator's
   * that drops it is worth a warning at every start.
   */
  static void warnIfCommitsAreDelayed(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      if (!"H2".equals(c.getMetaData().getDatabaseProductName())) {
        return;
      }
      try (var rs =
          c.createStatement()
              .executeQuery(
                  "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
        String delay = rs.next() ? rs.getString(1) : null;
        if (delay != null && !delay.equals("0")) {
          LOG.warning(
              "the H2 database writes commits to its file "
                  + delay
                  + " ms late (WRITE_DELAY): a crash loses "
                  + "the writes of that window, tokens and request logs included; add ;WRITE_DELAY=0 to conduit.db.url");
        }
      }
    } catch (SQLException e) {
      LOG.warning("could not read the H2 database's WRITE_DELAY: " + e.getMessage());
    }
  }

  /** Brings a database's schema up to date (tests call it on their own data sources). */
  public static void migrate(DataSource dataSource) {
    var result =
        Flyway.configure(Database.class.getClassLoader())
            .dataSource(dataSource)
            .resourceProvider(new Migrations(Database.class.getClassLoader()))
            // Flyway still scans db/migration (Java migrations) and db/callback (always, from its
            // constructor); on Liberty a scan finds a folder only when it holds a file named
            // flyway.location, else Flyway logs errors at every start: both folders have one.
            .load()
            .migrate();
    LOG.info(
        "database schema at version "
            + (result.targetSchemaVersion != null
                ? result.targetSchemaVersion
                : result.initialSchemaVersion)
            + " ("
            + result.migrationsExecuted
            + " migrations applied now)");
  }

  /**
   * The file of an embedded H2 database (its URL's path, without H2's .mv.db), empty for any other
   * database: what lives beside the database (the request-log journal) is as durable as it.
   */
  public Optional<Path> embeddedFile() {
    try (Connection c = dataSource.getConnection()) {
      if (!"H2".equals(c.getMetaData().getDatabaseProductName())) {
        return Optional.empty();
      }
      return h2File(c.getMetaData().getURL());
    } catch (SQLException e) {
      LOG.warning("could not read the database's URL: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The file of an H2 URL (jdbc:h2:file:PATH;..., jdbc:h2:PATH, ~ for home); empty for others. */
  static Optional<Path> h2File(String url) {
    if (url == null || !url.startsWith("jdbc:h2:")) {
      return Optional.empty();
    }
    String rest = url.substring("jdbc:h2:".length());
    int settings = rest.indexOf(';');
    String name = settings < 0 ? rest : rest.substring(0, settings);
    if (name.startsWith("file:")) {
      name = name.substring("file:".length());
    } else if (name.matches("^[a-z]{2,}:.*")) {
      return Optional.empty(); // mem:, tcp:, ssl:, zip:, ...: nothing on this host's disk to pair
    }
    if (name.isBlank()) {
      return Optional.empty();
    }
    if (name.startsWith("~")) {
      name = System.getProperty("user.home") + name.substring(1);
    }
    return Optional.of(Path.of(name).toAbsolutePath().normalize());
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** A connection; callers close it (try-with-resources). */
  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }
}
