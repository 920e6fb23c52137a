-- GitOps (issue 14). Which commit each Git source serves is decided here, so every instance on
-- this database serves the same one: head_commit is the newest commit of the branch that some
-- instance has compiled, current_commit the newest that compiled clean, pinned_commit an
-- admin's choice that overrides it. fetch_error is the last failed fetch (any instance).
CREATE TABLE gitops_source (
  source            VARCHAR(64)    NOT NULL PRIMARY KEY,
  organization_id   VARCHAR(64),
  head_commit       VARCHAR(40),
  current_commit    VARCHAR(40),
  pinned_commit     VARCHAR(40),
  fetch_error       VARCHAR(2000),
  fetch_error_ms    BIGINT,
  updated_ms        BIGINT         NOT NULL
);

-- Each deployment: a commit of the branch compiled (deployed, held while pinned, or refused
-- with its diagnostics), a pin or an unpin. Diagnostics are the compiler's, as JSON.
CREATE TABLE gitops_deployment (
  id                VARCHAR(36)    NOT NULL PRIMARY KEY,
  source            VARCHAR(64)    NOT NULL,
  organization_id   VARCHAR(64),
  commit_id         VARCHAR(40)    NOT NULL,
  author            VARCHAR(400),
  subject           VARCHAR(400),
  committed_ms      BIGINT,
  deployed_ms       BIGINT         NOT NULL,
  actor             VARCHAR(128),
  result            VARCHAR(16)    NOT NULL,
  diagnostics_count INT            NOT NULL,
  diagnostics       VARCHAR(262144)
);
CREATE INDEX gitops_deployment_source ON gitops_deployment (source, deployed_ms);
