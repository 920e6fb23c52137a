package dev.conduit.runtime.store;

import dev.conduit.runtime.identity.IdentityStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The identity provider's state in the database: grants, hashed codes and tokens, failed
 * sign-ins. Tokens survive a restart and are shared by every instance. The atomic operations
 * are single conditional UPDATEs, atomic in H2 and PostgreSQL alike.
 */
public final class JdbcIdentityStore implements IdentityStore {

  private final Jdbc db;

  public JdbcIdentityStore(DataSource dataSource) {
    this.db = new Jdbc(dataSource);
  }

  private static Long ms(Instant i) {
    return i == null ? null : i.toEpochMilli();
  }

  private static Instant at(Long ms) {
    return ms == null ? null : Instant.ofEpochMilli(ms);
  }

  @Override
  public void saveGrant(Grant g) {
    db.update("INSERT INTO idp_grant (id, app_key, organization_id, login, created_ms, revoked_ms) VALUES (?, ?, ?, ?, ?, ?)",
        g.id(), g.appKey(), g.organizationId(), g.login(), ms(g.createdAt()), ms(g.revokedAt()));
  }

  @Override
  public Optional<Grant> grant(String id) {
    return db.one("SELECT * FROM idp_grant WHERE id = ?", rs -> new Grant(rs.getString("id"), rs.getString("app_key"),
        rs.getString("organization_id"), rs.getString("login"), Instant.ofEpochMilli(rs.getLong("created_ms")),
        at(Jdbc.nullableLong(rs, "revoked_ms"))), id);
  }

  @Override
  public void revokeGrant(String id, Instant at) {
    db.update("UPDATE idp_grant SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL", ms(at), id);
  }

  @Override
  public void saveCode(Code c) {
    db.update("INSERT INTO idp_code (hash, grant_id, redirect_uri, code_challenge, expires_ms, used) VALUES (?, ?, ?, ?, ?, ?)",
        c.hash(), c.grantId(), c.redirectUri(), c.codeChallenge(), ms(c.expiresAt()), c.used());
  }

  @Override
  public Optional<Code> useCode(String hash) {
    // the conditional update decides, atomically, whether this use is the first
    boolean first = db.update("UPDATE idp_code SET used = TRUE WHERE hash = ? AND used = FALSE", hash) == 1;
    return db.one("SELECT * FROM idp_code WHERE hash = ?", rs -> new Code(rs.getString("hash"), rs.getString("grant_id"),
        rs.getString("redirect_uri"), rs.getString("code_challenge"), Instant.ofEpochMilli(rs.getLong("expires_ms")),
        !first), hash);
  }

  @Override
  public void saveToken(Token t) {
    db.update("INSERT INTO idp_token (hash, kind, grant_id, expires_ms, used_ms, revoked_ms) VALUES (?, ?, ?, ?, ?, ?)",
        t.hash(), t.kind().name(), t.grantId(), ms(t.expiresAt()), ms(t.usedAt()), ms(t.revokedAt()));
  }

  @Override
  public Optional<Token> token(String hash) {
    return db.one("SELECT * FROM idp_token WHERE hash = ?", JdbcIdentityStore::token, hash);
  }

  private static Token token(ResultSet rs) throws SQLException {
    return new Token(rs.getString("hash"), Token.Kind.valueOf(rs.getString("kind")), rs.getString("grant_id"),
        Instant.ofEpochMilli(rs.getLong("expires_ms")), at(Jdbc.nullableLong(rs, "used_ms")),
        at(Jdbc.nullableLong(rs, "revoked_ms")));
  }

  @Override
  public boolean useRefreshToken(String hash, Instant at) {
    return db.update("UPDATE idp_token SET used_ms = ? WHERE hash = ? AND used_ms IS NULL", ms(at), hash) == 1;
  }

  @Override
  public void revokeToken(String hash, Instant at) {
    db.update("UPDATE idp_token SET revoked_ms = ? WHERE hash = ? AND revoked_ms IS NULL", ms(at), hash);
  }

  @Override
  public Optional<LoginFailures> loginFailures(String login) {
    return db.one("SELECT * FROM idp_login_failure WHERE login = ?", rs -> new LoginFailures(rs.getInt("failures"),
        Instant.ofEpochMilli(rs.getLong("first_ms")), at(Jdbc.nullableLong(rs, "locked_until_ms"))), login);
  }

  @Override
  public void saveLoginFailures(String login, LoginFailures f) {
    if (db.update("UPDATE idp_login_failure SET failures = ?, first_ms = ?, locked_until_ms = ? WHERE login = ?",
        f.count(), ms(f.firstAt()), ms(f.lockedUntil()), login) == 0) {
      db.insertIfAbsent("INSERT INTO idp_login_failure (login, failures, first_ms, locked_until_ms) VALUES (?, ?, ?, ?)",
          login, f.count(), ms(f.firstAt()), ms(f.lockedUntil()));
    }
  }

  @Override
  public void clearLoginFailures(String login) {
    db.update("DELETE FROM idp_login_failure WHERE login = ?", login);
  }
}
