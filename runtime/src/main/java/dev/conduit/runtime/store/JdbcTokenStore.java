package dev.conduit.runtime.store;

import dev.conduit.runtime.invoke.TokenStore;
import dev.conduit.seal.Opener;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.Sealer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Connection access tokens shared by every runtime instance through the database. Token values are
 * sealed to the runtime's own public key ({@link SecretsAtRest}) before they are written, so the
 * database never holds one in plaintext. The refresh lease is a conditional UPDATE (atomic on H2
 * and PostgreSQL): one instance refreshes, the others wait for its token.
 */
public final class JdbcTokenStore implements TokenStore {

  private final Jdbc db;
  private final SecretsAtRest secrets;
  private final Clock clock;

  public JdbcTokenStore(DataSource dataSource, SecretsAtRest secrets, Clock clock) {
    this.db = new Jdbc(dataSource);
    this.secrets = secrets;
    this.clock = clock;
  }

  public JdbcTokenStore(DataSource dataSource, Sealer sealer, Opener opener, Clock clock) {
    this(dataSource, SecretsAtRest.of(sealer, opener), clock);
  }

  private static SealContext context(String org, String conn, String account) {
    return new SealContext(org, conn, "access-token:" + account);
  }

  private void ensureRow(String org, String conn, String account) {
    db.insertIfAbsent(
        "INSERT INTO connection_token (organization_id, connection_id, account) VALUES (?, ?, ?)",
        org,
        conn,
        account);
  }

  @Override
  public Optional<StoredToken> get(String org, String conn, String account) {
    return db.one(
        "SELECT sealed_token, expires_ms FROM connection_token WHERE organization_id = ? AND connection_id = ? AND account = ?",
        rs -> {
          String sealed = rs.getString("sealed_token");
          Long expires = Jdbc.nullableLong(rs, "expires_ms");
          if (sealed == null || expires == null) {
            return null;
          }
          String value = secrets.open(sealed, context(org, conn, account));
          // null: sealed by another key (a rotated runtime key): fetch a new token
          return value == null ? null : new StoredToken(value, Instant.ofEpochMilli(expires));
        },
        org,
        conn,
        account);
  }

  @Override
  public void put(String org, String conn, String account, StoredToken token) {
    ensureRow(org, conn, account);
    db.update(
        "UPDATE connection_token SET sealed_token = ?, expires_ms = ? WHERE organization_id = ? AND connection_id = ? AND account = ?",
        secrets.seal(token.value(), context(org, conn, account)),
        token.expiresAt().toEpochMilli(),
        org,
        conn,
        account);
  }

  @Override
  public boolean tryLease(String org, String conn, String account, Duration lease) {
    ensureRow(org, conn, account);
    long now = clock.millis();
    return db.update(
            "UPDATE connection_token SET lease_until_ms = ? WHERE organization_id = ? AND connection_id = ? AND account = ?"
                + " AND (lease_until_ms IS NULL OR lease_until_ms < ?)",
            now + lease.toMillis(),
            org,
            conn,
            account,
            now)
        == 1;
  }

  @Override
  public void releaseLease(String org, String conn, String account) {
    db.update(
        "UPDATE connection_token SET lease_until_ms = NULL WHERE organization_id = ? AND connection_id = ? AND account = ?",
        org,
        conn,
        account);
  }
}
