package dev.conduit.runtime.alerts;

import dev.conduit.runtime.metrics.RuntimeMetrics;
import dev.conduit.runtime.store.Jdbc;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alert outbox: each alert's mails and webhook post are rows that any instance works through. A
 * row is claimed by moving its next attempt past a lease (so two instances never send it at once),
 * sent, then marked sent; a failure is recorded and retried with exponential backoff, and after the
 * last attempt the row stays as a dead letter with its last error. Nothing here blocks a call: the
 * runtime runs {@link #deliverDue} on a timer.
 */
public final class Deliveries {

  private static final Logger LOG = Logger.getLogger(Deliveries.class.getName());
  static final String MAIL = "email";
  static final String WEBHOOK = "webhook";
  private static final long LEASE_MS = 120_000;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * @param maxAttempts attempts before a delivery becomes a dead letter
   * @param backoffMillis wait after the first failure; doubled after each next one
   * @param maxBackoffMillis the longest wait between two attempts
   */
  public record Retry(int maxAttempts, long backoffMillis, long maxBackoffMillis) {
    long after(int attempts) {
      long wait = backoffMillis << Math.min(attempts - 1, 30);
      return Math.min(wait <= 0 ? maxBackoffMillis : wait, maxBackoffMillis);
    }
  }

  /** A connection's webhook as the sender needs it: the key is the opened hidden parameter. */
  public record WebhookTarget(String url, byte[] key, boolean allowPrivateNetwork) {}

  /** Looks up a connection's current webhook and signing key (never stored in the outbox). */
  public interface Webhooks {
    Optional<WebhookTarget> target(String organizationId, String connectionId);
  }

  /** One delivery as an admin reads it (the dead letters). */
  public record Delivery(
      String id,
      String alertId,
      String organizationId,
      String connectionId,
      String channel,
      String target,
      String state,
      int attempts,
      long nextAttemptMillis,
      String lastError,
      Long sentAtMillis) {}

  private final Jdbc db;
  private final Clock clock;
  private final Mailer mailer;
  private final WebhookSender webhook;
  private final Webhooks webhooks;
  private final Retry retry;
  private final RuntimeMetrics metrics;

  public Deliveries(
      DataSource dataSource,
      Clock clock,
      Mailer mailer,
      WebhookSender webhook,
      Webhooks webhooks,
      Retry retry) {
    this(dataSource, clock, mailer, webhook, webhooks, retry, RuntimeMetrics.NONE);
  }

  public Deliveries(
      DataSource dataSource,
      Clock clock,
      Mailer mailer,
      WebhookSender webhook,
      Webhooks webhooks,
      Retry retry,
      RuntimeMetrics metrics) {
    this.db = new Jdbc(dataSource);
    this.clock = clock;
    this.mailer = mailer;
    this.webhook = webhook;
    this.webhooks = webhooks;
    this.retry = retry;
    this.metrics = metrics;
  }

  static void enqueue(
      Jdbc db,
      String alertId,
      String org,
      String connectionId,
      String channel,
      String target,
      long now) {
    db.update(
        "INSERT INTO alert_delivery (id, alert_id, organization_id, connection_id, channel, target,"
            + " state, attempts, next_attempt_ms) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?)",
        UUID.randomUUID().toString(),
        alertId,
        org,
        connectionId,
        channel,
        target,
        now);
  }

  /** Sends what is due (at most a batch); returns how many were sent. */
  public int deliverDue() {
    long now = clock.millis();
    List<Delivery> due =
        db.query(
            "SELECT * FROM alert_delivery WHERE state = 'pending' AND next_attempt_ms <= ?"
                + " ORDER BY next_attempt_ms LIMIT 20",
            Deliveries::delivery,
            now);
    int sent = 0;
    for (Delivery d : due) {
      boolean claimed =
          db.update(
                  "UPDATE alert_delivery SET next_attempt_ms = ?"
                      + " WHERE id = ? AND state = 'pending' AND next_attempt_ms = ?",
                  now + LEASE_MS,
                  d.id(),
                  d.nextAttemptMillis())
              == 1;
      if (claimed && attempt(d)) {
        sent++;
      }
    }
    return sent;
  }

  private boolean attempt(Delivery d) {
    int attempts = d.attempts() + 1;
    try {
      send(d);
      db.update(
          "UPDATE alert_delivery SET state = 'sent', attempts = ?, sent_at_ms = ?, last_error = NULL"
              + " WHERE id = ?",
          attempts,
          clock.millis(),
          d.id());
      metrics.alertDelivery(d.channel(), "sent");
      return true;
    } catch (Exception e) {
      String why = describe(e);
      boolean dead = attempts >= retry.maxAttempts();
      db.update(
          "UPDATE alert_delivery SET state = ?, attempts = ?, next_attempt_ms = ?, last_error = ?"
              + " WHERE id = ?",
          dead ? "dead" : "pending",
          attempts,
          clock.millis() + (dead ? 0 : retry.after(attempts)),
          why,
          d.id());
      metrics.alertDelivery(d.channel(), dead ? "dead" : "failed");
      LOG.warning(
          "alert "
              + d.channel()
              + " to "
              + d.target()
              + " failed (attempt "
              + attempts
              + "/"
              + retry.maxAttempts()
              + (dead ? ", kept as a dead letter" : ", will retry")
              + "): "
              + why);
      return false;
    }
  }

  private void send(Delivery d) throws Exception {
    Alerts.Alert a =
        db.one("SELECT * FROM alert WHERE id = ?", Alerts::alert, d.alertId())
            .orElseThrow(() -> new IllegalStateException("the alert was purged before delivery"));
    switch (d.channel()) {
      case MAIL -> mailer.send(d.target(), subject(a), text(a));
      case WEBHOOK -> {
        WebhookTarget t =
            webhooks
                .target(d.organizationId(), d.connectionId())
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "the connection no longer declares a webhook with a signing key"));
        webhook.post(
            t.url(),
            t.key(),
            d.id(),
            body(d, a),
            clock.instant().getEpochSecond(),
            t.allowPrivateNetwork());
      }
      default -> throw new IllegalStateException("unknown channel " + d.channel());
    }
  }

  /** Dead letters and pending deliveries of an organization, newest first. */
  public List<Delivery> undelivered(String organizationId, int limit) {
    return undelivered(organizationId, limit, 0);
  }

  /** A page of {@link #undelivered(String, int)}. */
  public List<Delivery> undelivered(String organizationId, int limit, int offset) {
    return db.query(
        "SELECT * FROM alert_delivery WHERE organization_id = ? AND state <> 'sent'"
            + " ORDER BY next_attempt_ms DESC, id LIMIT ? OFFSET ?",
        Deliveries::delivery,
        organizationId,
        limit,
        offset);
  }

  static String subject(Alerts.Alert a) {
    return a.kind().equals("recovered")
        ? "[Conduit] " + a.connectionId() + " recovered"
        : "[Conduit] " + a.connectionId() + ": " + a.errorType();
  }

  static String text(Alerts.Alert a) {
    StringBuilder b = new StringBuilder(a.message()).append("\n\n");
    b.append("Connection: ").append(a.connectionId()).append('\n');
    b.append("Error class: ").append(a.errorType()).append('\n');
    b.append("At: ").append(Instant.ofEpochMilli(a.atMillis())).append('\n');
    if (a.requestId() != null) {
      b.append("Request log: ").append(a.requestId()).append('\n');
    }
    if (a.suppressed() > 0) {
      b.append("Not sent (minimum interval): ").append(a.suppressed()).append('\n');
    }
    return b.toString();
  }

  private static String body(Delivery d, Alerts.Alert a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("delivery", d.id());
    m.put("alert", a.id());
    m.put("kind", a.kind());
    m.put("organization", d.organizationId());
    m.put("connection", a.connectionId());
    m.put("errorClass", a.errorType());
    m.put("message", a.message());
    m.put("requestId", a.requestId());
    m.put("suppressed", a.suppressed());
    m.put("at", Instant.ofEpochMilli(a.atMillis()).toString());
    return JSON.writeValueAsString(m);
  }

  private static String describe(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    m = m.replaceAll("\\s+", " ").strip();
    return m.length() > 1000 ? m.substring(0, 1000) : m;
  }

  private static Delivery delivery(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Delivery(
        rs.getString("id"),
        rs.getString("alert_id"),
        rs.getString("organization_id"),
        rs.getString("connection_id"),
        rs.getString("channel"),
        rs.getString("target"),
        rs.getString("state"),
        rs.getInt("attempts"),
        rs.getLong("next_attempt_ms"),
        rs.getString("last_error"),
        Jdbc.nullableLong(rs, "sent_at_ms"));
  }
}
