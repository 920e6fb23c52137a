package dev.conduit.runtime.logs;

import dev.conduit.runtime.invoke.Outcome;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.store.Jdbc;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Error alerts to connection owners: when a call fails and the connection has alerts on, the owner
 * gets an alert, at most one per error type per the connection's minimum interval (the throttle
 * lives in the database, so it holds across instances). Alerts land in the owner's inbox (GET
 * .../alerts) and in the server log.
 */
public final class Alerts {

  private static final Logger LOG = Logger.getLogger(Alerts.class.getName());

  /** One alert as the owner reads it. */
  public record Alert(
      String id,
      long atMillis,
      String connectionId,
      String owner,
      String errorType,
      String message,
      String requestId) {}

  private final Jdbc db;
  private final Clock clock;

  public Alerts(DataSource dataSource, Clock clock) {
    this.db = new Jdbc(dataSource);
    this.clock = clock;
  }

  /** Considers a failed call; returns whether an alert was sent. */
  public boolean onFailure(
      PreparedConnection c, String apiId, Outcome.Failure f, String requestId) {
    var n = c.connection().notifications();
    if (!n.onError() || f.status() < 500 && f.status() != 422) {
      return false; // the caller's own mistakes (4xx) are not the owner's problem
    }
    long now = clock.millis();
    long interval = n.minIntervalMinutes() * 60_000L;
    String type = f.code().name();
    boolean due =
        db.update(
                    "UPDATE alert_throttle SET last_sent_ms = ? WHERE organization_id = ? AND connection_id = ?"
                        + " AND error_type = ? AND last_sent_ms <= ?",
                    now,
                    c.organizationId(),
                    c.id(),
                    type,
                    now - interval)
                == 1
            || db.insertIfAbsent(
                "INSERT INTO alert_throttle (organization_id, connection_id, error_type, last_sent_ms)"
                    + " VALUES (?, ?, ?, ?)",
                c.organizationId(),
                c.id(),
                type,
                now);
    if (!due) {
      return false;
    }
    String message = "API " + c.id() + "/" + apiId + " failed: " + f.message();
    db.update(
        "INSERT INTO alert (id, at_ms, organization_id, connection_id, owner, error_type, message, request_id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        UUID.randomUUID().toString(),
        now,
        c.organizationId(),
        c.id(),
        c.connection().owner(),
        type,
        message.length() > 4000 ? message.substring(0, 4000) : message,
        requestId);
    LOG.warning("alert to " + c.connection().owner() + " (" + c.organizationId() + "): " + message);
    return true;
  }

  /**
   * An account's refresh was refused (invalid_grant): its member and the connection's owner each
   * get an alert naming the account and where to connect it again. Never a token.
   */
  public void accountNeedsReauthorization(
      String organizationId,
      String connectionId,
      String owner,
      String member,
      String accountId,
      String accountName,
      String connectUrl) {
    long now = clock.millis();
    String message =
        "the account "
            + accountId
            + " ("
            + accountName
            + ", of "
            + member
            + ") of the connection "
            + connectionId
            + " needs re-authorization: the provider refused its refresh token; connect it again at "
            + connectUrl;
    String clipped = message.length() > 4000 ? message.substring(0, 4000) : message;
    for (String to :
        owner == null || owner.equals(member) ? List.of(member) : List.of(member, owner)) {
      db.update(
          "INSERT INTO alert (id, at_ms, organization_id, connection_id, owner, error_type, message, request_id)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          UUID.randomUUID().toString(),
          now,
          organizationId,
          connectionId,
          to,
          "ACCOUNT_NEEDS_REAUTHORIZATION",
          clipped,
          null);
      LOG.warning("alert to " + to + " (" + organizationId + "): " + message);
    }
  }

  public List<Alert> list(String organizationId, String connectionId, int limit) {
    String sql =
        "SELECT * FROM alert WHERE organization_id = ?"
            + (connectionId == null ? "" : " AND connection_id = ?")
            + " ORDER BY at_ms DESC LIMIT ?";
    Object[] args =
        connectionId == null
            ? new Object[] {organizationId, limit}
            : new Object[] {organizationId, connectionId, limit};
    return db.query(
        sql,
        rs ->
            new Alert(
                rs.getString("id"),
                rs.getLong("at_ms"),
                rs.getString("connection_id"),
                rs.getString("owner"),
                rs.getString("error_type"),
                rs.getString("message"),
                rs.getString("request_id")),
        args);
  }
}
