-- Alerts delivered (docs/alerts.md). V4, not V3: the GitOps branch holds V3.
-- An alert is an error or a "recovered" message; it carries how many failures of its class the
-- minimum interval held back before it, and the owner's read/acknowledged state.
ALTER TABLE alert ADD COLUMN kind VARCHAR(16) DEFAULT 'error' NOT NULL;
ALTER TABLE alert ADD COLUMN suppressed INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE alert ADD COLUMN read_at_ms BIGINT;
ALTER TABLE alert ADD COLUMN acknowledged_at_ms BIGINT;
ALTER TABLE alert ADD COLUMN acknowledged_by VARCHAR(128);
CREATE INDEX alert_time ON alert (at_ms);

-- Failures held back since the last alert of the class, and whether an alert is open (so the
-- first success after it sends "recovered").
ALTER TABLE alert_throttle ADD COLUMN suppressed INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE alert_throttle ADD COLUMN open_alert INTEGER DEFAULT 0 NOT NULL;

-- One delivery of one alert to one place (an e-mail address or the connection's webhook): an
-- outbox any instance may work through. state: pending, sent, or dead (retries used up: the
-- dead letter, with the last error). The webhook's signing key is never stored here.
CREATE TABLE alert_delivery (
  id              VARCHAR(36)    NOT NULL PRIMARY KEY,
  alert_id        VARCHAR(36)    NOT NULL,
  organization_id VARCHAR(64)    NOT NULL,
  connection_id   VARCHAR(64)    NOT NULL,
  channel         VARCHAR(16)    NOT NULL,
  target          VARCHAR(2048)  NOT NULL,
  state           VARCHAR(16)    NOT NULL,
  attempts        INTEGER        DEFAULT 0 NOT NULL,
  next_attempt_ms BIGINT         NOT NULL,
  last_error      VARCHAR(1000),
  sent_at_ms      BIGINT
);
CREATE INDEX alert_delivery_due ON alert_delivery (state, next_attempt_ms);
CREATE INDEX alert_delivery_alert ON alert_delivery (alert_id);
