-- Conduit runtime state: everything that is not configuration. Portable SQL for H2 2.x and
-- PostgreSQL 12+ (times are epoch milliseconds in BIGINT columns).

-- Every invocation, test and auth-value hand-out, secrets masked, bodies capped.
CREATE TABLE request_log (
  id              VARCHAR(36)    NOT NULL PRIMARY KEY,
  at_ms           BIGINT         NOT NULL,
  organization_id VARCHAR(64)    NOT NULL,
  connection_id   VARCHAR(64)    NOT NULL,
  api_id          VARCHAR(64),
  kind            VARCHAR(16)    NOT NULL,
  application_id  VARCHAR(64),
  caller          VARCHAR(128)   NOT NULL,
  status          INTEGER        NOT NULL,
  outcome         VARCHAR(32)    NOT NULL,
  duration_ms     BIGINT         NOT NULL,
  token_refreshed BOOLEAN        NOT NULL,
  request         VARCHAR(65536),
  response        VARCHAR(65536),
  error           VARCHAR(4000)
);
CREATE INDEX request_log_connection ON request_log (organization_id, connection_id, at_ms);
CREATE INDEX request_log_at ON request_log (at_ms);

-- Access tokens of OAuth 2.0 connections, sealed to the runtime's own key; the lease makes
-- several instances refresh one connection's token one at a time.
CREATE TABLE connection_token (
  organization_id VARCHAR(64)    NOT NULL,
  connection_id   VARCHAR(64)    NOT NULL,
  account         VARCHAR(128)   NOT NULL,
  sealed_token    VARCHAR(16384),
  expires_ms      BIGINT,
  lease_until_ms  BIGINT,
  PRIMARY KEY (organization_id, connection_id, account)
);

-- Error alerts: the last alert per connection and error type (minimum interval).
CREATE TABLE alert_throttle (
  organization_id VARCHAR(64)    NOT NULL,
  connection_id   VARCHAR(64)    NOT NULL,
  error_type      VARCHAR(64)    NOT NULL,
  last_sent_ms    BIGINT         NOT NULL,
  PRIMARY KEY (organization_id, connection_id, error_type)
);

-- Identity provider (seed 001). Codes and tokens are stored only as SHA-256 hashes.
CREATE TABLE idp_grant (
  id              VARCHAR(64)    NOT NULL PRIMARY KEY,
  app_key         VARCHAR(64)    NOT NULL,
  organization_id VARCHAR(64)    NOT NULL,
  login           VARCHAR(128)   NOT NULL,
  created_ms      BIGINT         NOT NULL,
  revoked_ms      BIGINT
);

CREATE TABLE idp_code (
  hash            VARCHAR(64)    NOT NULL PRIMARY KEY,
  grant_id        VARCHAR(64)    NOT NULL REFERENCES idp_grant (id),
  redirect_uri    VARCHAR(2048)  NOT NULL,
  code_challenge  VARCHAR(128),
  expires_ms      BIGINT         NOT NULL,
  used            BOOLEAN        NOT NULL
);

CREATE TABLE idp_token (
  hash            VARCHAR(64)    NOT NULL PRIMARY KEY,
  kind            VARCHAR(8)     NOT NULL,
  grant_id        VARCHAR(64)    NOT NULL REFERENCES idp_grant (id),
  expires_ms      BIGINT         NOT NULL,
  used_ms         BIGINT,
  revoked_ms      BIGINT
);
CREATE INDEX idp_token_grant ON idp_token (grant_id);

CREATE TABLE idp_login_failure (
  login           VARCHAR(128)   NOT NULL PRIMARY KEY,
  failures        INTEGER        NOT NULL,
  first_ms        BIGINT         NOT NULL,
  locked_until_ms BIGINT
);

-- Error alerts delivered to connection owners (their inbox; also written to the server log).
CREATE TABLE alert (
  id              VARCHAR(36)    NOT NULL PRIMARY KEY,
  at_ms           BIGINT         NOT NULL,
  organization_id VARCHAR(64)    NOT NULL,
  connection_id   VARCHAR(64)    NOT NULL,
  owner           VARCHAR(128),
  error_type      VARCHAR(64)    NOT NULL,
  message         VARCHAR(4000)  NOT NULL,
  request_id      VARCHAR(36)
);
CREATE INDEX alert_connection ON alert (organization_id, connection_id, at_ms);
