package dev.conduit.runtime.alerts;

import dev.conduit.runtime.invoke.Outcome;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.store.Jdbc;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Error alerts to connection owners: when a call fails and the connection has alerts on, the owner
 * gets an alert, at most one per error class per the connection's minimum interval, carrying the
 * count of failures held back since the one before (the throttle lives in the database, so it holds
 * across instances). The first success after an alert sends "recovered". Alerts land in the owner's
 * inbox (GET .../alerts, with read and acknowledged state), in the server log, and in the delivery
 * outbox (e-mail to the owner, the connection's webhook).
 */
public final class Alerts {

  private static final Logger LOG = Logger.getLogger(Alerts.class.getName());
  private static final int TRIES = 8;

  /** One alert as the owner reads it. */
  public record Alert(
      String id,
      long atMillis,
      String connectionId,
      String owner,
      String kind,
      String errorType,
      String message,
      String requestId,
      int suppressed,
      Long readAtMillis,
      Long acknowledgedAtMillis,
      String acknowledgedBy) {}

  /** Where an organization's people and connections receive alerts. */
  public interface Recipients {
    /** A member's e-mail address (members.json), if they have one. */
    Optional<String> email(String organizationId, String login);

    /** The connection's webhook URL, if it declares one. */
    Optional<String> webhookUrl(String organizationId, String connectionId);
  }

  private final Jdbc db;
  private final Clock clock;
  private final Recipients recipients;

  /** "org/connection" with an alert open on some instance: refreshed from the database. */
  private final Set<String> open = ConcurrentHashMap.newKeySet();

  public Alerts(DataSource dataSource, Clock clock, Recipients recipients) {
    this.db = new Jdbc(dataSource);
    this.clock = clock;
    this.recipients = recipients;
  }

  /**
   * Whether a failure is the owner's concern: upstream, configuration and server errors are; the
   * caller's own mistakes (4xx but 422, an upstream's refusal of well-formed input) are not.
   */
  public static boolean concernsOwner(Outcome.Failure f) {
    return f.status() >= 500 || f.status() == 422;
  }

  /**
   * Considers a failed call (invoke, Test API, auth-values); returns whether an alert was raised.
   */
  public boolean onFailure(
      PreparedConnection c, String apiId, String kind, Outcome.Failure f, String requestId) {
    var n = c.connection().notifications();
    if (!n.onError() || !concernsOwner(f)) {
      return false;
    }
    String org = c.organizationId();
    String type = f.code().name();
    long interval = n.minIntervalMinutes() * 60_000L;
    for (int i = 0; i < TRIES; i++) {
      long now = clock.millis();
      var row =
          db.one(
              "SELECT last_sent_ms, suppressed FROM alert_throttle"
                  + " WHERE organization_id = ? AND connection_id = ? AND error_type = ?",
              rs -> new long[] {rs.getLong("last_sent_ms"), rs.getInt("suppressed")},
              org,
              c.id(),
              type);
      if (row.isEmpty()) {
        if (db.insertIfAbsent(
            "INSERT INTO alert_throttle (organization_id, connection_id, error_type, last_sent_ms,"
                + " suppressed, open_alert) VALUES (?, ?, ?, ?, 0, 1)",
            org,
            c.id(),
            type,
            now)) {
          raiseFailure(c, apiId, kind, f, requestId, 0);
          return true;
        }
        continue; // another instance inserted it first: read again
      }
      long last = row.get()[0];
      int suppressed = (int) row.get()[1];
      if (last > now - interval) {
        if (db.update(
                "UPDATE alert_throttle SET suppressed = suppressed + 1, open_alert = 1"
                    + " WHERE organization_id = ? AND connection_id = ? AND error_type = ?"
                    + " AND last_sent_ms = ?",
                org,
                c.id(),
                type,
                last)
            == 1) {
          open.add(key(org, c.id()));
          return false;
        }
        continue;
      }
      // due: claim it only if nobody else sent or counted since we read (so no count is lost)
      if (db.update(
              "UPDATE alert_throttle SET last_sent_ms = ?, suppressed = 0, open_alert = 1"
                  + " WHERE organization_id = ? AND connection_id = ? AND error_type = ?"
                  + " AND last_sent_ms = ? AND suppressed = ?",
              now,
              org,
              c.id(),
              type,
              last,
              suppressed)
          == 1) {
        raiseFailure(c, apiId, kind, f, requestId, suppressed);
        return true;
      }
    }
    LOG.warning("alert throttle for " + org + "/" + c.id() + " " + type + " stayed contended");
    return false;
  }

  private void raiseFailure(
      PreparedConnection c,
      String apiId,
      String kind,
      Outcome.Failure f,
      String requestId,
      int suppressed) {
    String what = apiId == null ? "connection " + c.id() : "API " + c.id() + "/" + apiId;
    String via = kind.equals("invoke") ? "" : " (" + kind + ")";
    String message =
        what
            + via
            + " failed: "
            + f.message()
            + (suppressed == 0
                ? ""
                : "; "
                    + suppressed
                    + " more failure"
                    + (suppressed == 1 ? "" : "s")
                    + " of this kind since the last alert were not sent (minimum interval)");
    open.add(key(c.organizationId(), c.id()));
    raise(
        c.organizationId(),
        c.id(),
        owners(c.connection().owner(), null),
        "error",
        f.code().name(),
        message,
        requestId,
        suppressed);
  }

  /**
   * Considers a successful call: the first one after an alert of the connection sends "recovered".
   * Cheap when no alert is open (an in-memory check), so it can run for every call.
   */
  public boolean mayRecover(String organizationId, String connectionId) {
    return open.contains(key(organizationId, connectionId));
  }

  /** Sends "recovered" if an alert of the connection is still open; returns whether it did. */
  public boolean onSuccess(PreparedConnection c) {
    String org = c.organizationId();
    open.remove(key(org, c.id()));
    int closed =
        db.update(
            "UPDATE alert_throttle SET open_alert = 0"
                + " WHERE organization_id = ? AND connection_id = ? AND open_alert = 1",
            org,
            c.id());
    if (closed == 0) {
      return false; // another instance saw the recovery first, or nothing was open
    }
    raise(
        org,
        c.id(),
        owners(c.connection().owner(), null),
        "recovered",
        "RECOVERED",
        "connection " + c.id() + " recovered: a call succeeded after the last alert",
        null,
        0);
    return true;
  }

  /** Reloads which connections have an open alert (another instance may have raised one). */
  public void refreshOpen() {
    List<String> now =
        db.query(
            "SELECT DISTINCT organization_id, connection_id FROM alert_throttle WHERE open_alert = 1",
            rs -> key(rs.getString("organization_id"), rs.getString("connection_id")));
    open.retainAll(now);
    open.addAll(now);
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
    raise(
        organizationId,
        connectionId,
        owners(owner, member),
        "error",
        "ACCOUNT_NEEDS_REAUTHORIZATION",
        message,
        null,
        0);
  }

  private static List<String> owners(String owner, String member) {
    List<String> to = new ArrayList<>();
    if (member != null) {
      to.add(member);
    }
    if (owner != null && !owner.equals(member)) {
      to.add(owner);
    }
    return to;
  }

  /**
   * Records an alert for each person, queues a mail to each who has an address and one webhook
   * delivery for the connection, and logs it.
   */
  private void raise(
      String org,
      String connectionId,
      List<String> to,
      String kind,
      String type,
      String message,
      String requestId,
      int suppressed) {
    long now = clock.millis();
    String clipped = message.length() > 4000 ? message.substring(0, 4000) : message;
    String first = null;
    for (String person : to.isEmpty() ? java.util.Collections.<String>singletonList(null) : to) {
      String id = UUID.randomUUID().toString();
      first = first == null ? id : first;
      db.update(
          "INSERT INTO alert (id, at_ms, organization_id, connection_id, owner, error_type, message,"
              + " request_id, kind, suppressed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          id,
          now,
          org,
          connectionId,
          person,
          type,
          clipped,
          requestId,
          kind,
          suppressed);
      if (person != null) {
        Optional<String> email = recipients.email(org, person);
        if (email.isPresent()) {
          Deliveries.enqueue(db, id, org, connectionId, Deliveries.MAIL, email.get(), now);
        } else {
          LOG.info("alert for " + person + " (" + org + "): no e-mail in members.json, inbox only");
        }
      }
      LOG.warning(kind + " alert to " + person + " (" + org + "): " + clipped);
    }
    Optional<String> hook = recipients.webhookUrl(org, connectionId);
    if (hook.isPresent()) {
      Deliveries.enqueue(db, first, org, connectionId, Deliveries.WEBHOOK, hook.get(), now);
    }
  }

  public List<Alert> list(String organizationId, String connectionId, int limit) {
    return list(organizationId, connectionId == null ? null : List.of(connectionId), limit, 0);
  }

  /**
   * The newest alerts of an organization, a page at a time.
   *
   * @param connectionIds only these connections' alerts, or null for all
   */
  public List<Alert> list(
      String organizationId, List<String> connectionIds, int limit, int offset) {
    if (connectionIds != null && connectionIds.isEmpty()) {
      return List.of();
    }
    List<Object> args = new ArrayList<>();
    args.add(organizationId);
    String in = "";
    if (connectionIds != null) {
      in =
          " AND connection_id IN ("
              + String.join(", ", java.util.Collections.nCopies(connectionIds.size(), "?"))
              + ")";
      args.addAll(connectionIds);
    }
    args.add(limit);
    args.add(offset);
    return db.query(
        "SELECT * FROM alert WHERE organization_id = ?"
            + in
            + " ORDER BY at_ms DESC, id LIMIT ? OFFSET ?",
        Alerts::alert,
        args.toArray());
  }

  public Optional<Alert> get(String organizationId, String id) {
    return db.one(
        "SELECT * FROM alert WHERE organization_id = ? AND id = ?",
        Alerts::alert,
        organizationId,
        id);
  }

  /** Marks an alert read (first time only); returns whether it exists. */
  public boolean markRead(String organizationId, String id) {
    db.update(
        "UPDATE alert SET read_at_ms = ? WHERE organization_id = ? AND id = ? AND read_at_ms IS NULL",
        clock.millis(),
        organizationId,
        id);
    return get(organizationId, id).isPresent();
  }

  /** Acknowledges an alert (it is then read too); the first acknowledgement stays. */
  public boolean acknowledge(String organizationId, String id, String login) {
    long now = clock.millis();
    db.update(
        "UPDATE alert SET acknowledged_at_ms = ?, acknowledged_by = ?,"
            + " read_at_ms = COALESCE(read_at_ms, ?)"
            + " WHERE organization_id = ? AND id = ? AND acknowledged_at_ms IS NULL",
        now,
        login,
        now,
        organizationId,
        id);
    return get(organizationId, id).isPresent();
  }

  /**
   * At most this many alerts, with their deliveries, go in one purge transaction: as the request
   * logs' (RequestLogStore.PURGE_BATCH), a backlog in one transaction holds its rows' locks.
   */
  public static final int PURGE_BATCH = 5_000;

  /**
   * Deletes alerts (and their deliveries) older than a time, through the index on time, in
   * transactions of at most {@link #PURGE_BATCH} alerts; returns how many alerts.
   */
  public int purgeBefore(long cutoffMillis) {
    return db.deleteInBatches(
        "SELECT id FROM alert WHERE at_ms < ?",
        PURGE_BATCH,
        List.of(
            "DELETE FROM alert_delivery WHERE alert_id IN (%s)",
            "DELETE FROM alert WHERE id IN (%s)"),
        cutoffMillis);
  }

  static Alert alert(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Alert(
        rs.getString("id"),
        rs.getLong("at_ms"),
        rs.getString("connection_id"),
        rs.getString("owner"),
        rs.getString("kind"),
        rs.getString("error_type"),
        rs.getString("message"),
        rs.getString("request_id"),
        rs.getInt("suppressed"),
        Jdbc.nullableLong(rs, "read_at_ms"),
        Jdbc.nullableLong(rs, "acknowledged_at_ms"),
        rs.getString("acknowledged_by"));
  }

  private static String key(String organizationId, String connectionId) {
    return organizationId + "/" + connectionId;
  }
}
