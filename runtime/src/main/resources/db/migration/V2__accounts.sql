-- Accounts of authorization-code connections (issue 12): one person's grant at a provider.
-- Tokens are AES-GCM ciphertexts under a key derived from the runtime's private key, with
-- the account id as associated data: the database alone reveals no token.
CREATE TABLE account (
  id               VARCHAR(36)    NOT NULL PRIMARY KEY,
  organization_id  VARCHAR(64)    NOT NULL,
  connection_id    VARCHAR(64)    NOT NULL,
  member           VARCHAR(128)   NOT NULL,
  name             VARCHAR(200)   NOT NULL,
  state            VARCHAR(32)    NOT NULL,
  applications     VARCHAR(4000)  NOT NULL,
  access_token     VARCHAR(16384),
  refresh_token    VARCHAR(16384),
  expires_ms       BIGINT,
  lease_until_ms   BIGINT,
  created_ms       BIGINT         NOT NULL,
  updated_ms       BIGINT         NOT NULL
);
CREATE INDEX account_connection ON account (organization_id, connection_id, member);

-- Authorization requests in flight (the OAuth state): stored only as a SHA-256 hash of the
-- state, single use, short-lived. The PKCE verifier is encrypted like the tokens.
CREATE TABLE account_authorization (
  state_hash       VARCHAR(64)    NOT NULL PRIMARY KEY,
  organization_id  VARCHAR(64)    NOT NULL,
  connection_id    VARCHAR(64)    NOT NULL,
  member           VARCHAR(128)   NOT NULL,
  account_id       VARCHAR(36)    NOT NULL,
  reauthorize      BOOLEAN        NOT NULL,
  name             VARCHAR(200),
  applications     VARCHAR(4000)  NOT NULL,
  verifier         VARCHAR(1024)  NOT NULL,
  expires_ms       BIGINT         NOT NULL,
  used             BOOLEAN        NOT NULL
);
