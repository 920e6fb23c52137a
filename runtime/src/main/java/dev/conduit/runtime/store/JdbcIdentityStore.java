package dev.conduit.runtime.store;

import dev.conduit.runtime.identity.IdentityStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The identity provider's state in the database: grants, hashed codes and tokens, failed sign-ins.
 * Tokens survive a restart and are shared by every instance. The atomic operations are single
 * conditional UPDATEs, atomic in H2 and PostgreSQL alike. The token endpoint's steps each take one
 * connection and one transaction (code use with its grant; both new tokens in one batch; rotation
 * with its successors): fewer pool round trips and commits per call.
 */
public final class JdbcIdentityStore implements IdentityStore {

  private static final String GRANT_COLUMNS =
      "g.id AS g_id, g.app_key AS g_app_key, g.organization_id AS g_organization_id, g.login AS g_login, "
          + "g.created_ms AS g_created_ms, g.revoked_ms AS g_revoked_ms";
  private static final String INSERT_TOKEN =
      "INSERT INTO idp_token (hash, kind, grant_id, expires_ms, used_ms, revoked_ms) VALUES (?, ?, ?, ?, ?, ?)";

  private final Jdbc db;
  // redeems share commits with concurrent ones; null: each in a transaction of its own
  private final GroupCommit redeems;

  /** A store whose every operation commits on its own. */
  public JdbcIdentityStore(DataSource dataSource) {
    this(dataSource, null);
  }

  /**
   * A store whose code redeems go through {@code redeems} (the server's: an exchange's commit is
   * most of its cost, and concurrent exchanges share one); the caller closes it.
   */
  public JdbcIdentityStore(DataSource dataSource, GroupCommit redeems) {
    this.db = new Jdbc(dataSource);
    this.redeems = redeems;
  }

  /** A grant read through {@link #GRANT_COLUMNS} (alias g), alone or joined to a code or token. */
  private static Grant grantRow(ResultSet rs) throws SQLException {
    return new Grant(
        rs.getString("g_id"),
        rs.getString("g_app_key"),
        rs.getString("g_organization_id"),
        rs.getString("g_login"),
        Instant.ofEpochMilli(rs.getLong("g_created_ms")),
        at(Jdbc.nullableLong(rs, "g_revoked_ms")));
  }

  private static Long ms(Instant i) {
    return i == null ? null : i.toEpochMilli();
  }

  private static Instant at(Long ms) {
    return ms == null ? null : Instant.ofEpochMilli(ms);
  }

  @Override
  public void saveGrant(Grant g) {
    db.update(
        "INSERT INTO idp_grant (id, app_key, organization_id, login, created_ms, revoked_ms) VALUES (?, ?, ?, ?, ?, ?)",
        g.id(),
        g.appKey(),
        g.organizationId(),
        g.login(),
        ms(g.createdAt()),
        ms(g.revokedAt()));
  }

  @Override
  public Optional<Grant> grant(String id) {
    return db.one(
        "SELECT " + GRANT_COLUMNS + " FROM idp_grant g WHERE g.id = ?",
        JdbcIdentityStore::grantRow,
        id);
  }

  @Override
  public void revokeGrant(String id, Instant at) {
    db.update(
        "UPDATE idp_grant SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL", ms(at), id);
  }

  @Override
  public void saveCode(Code c) {
    db.update(
        "INSERT INTO idp_code (hash, grant_id, redirect_uri, code_challenge, expires_ms, used) VALUES (?, ?, ?, ?, ?, ?)",
        c.hash(),
        c.grantId(),
        c.redirectUri(),
        c.codeChallenge(),
        ms(c.expiresAt()),
        c.used());
  }

  @Override
  public Optional<Code> useCode(String hash) {
    return useCodeOfGrant(hash).map(OfGrant::value);
  }

  @Override
  public Optional<OfGrant<Code>> useCodeOfGrant(String hash) {
    return db.inTransaction("use code", c -> useCodeOfGrant(c, hash));
  }

  @Override
  public Optional<OfGrant<Code>> redeemCode(
      String hash, Function<OfGrant<Code>, List<Token>> issue) {
    // the code's use and the tokens issued for it in one commit: an exchange's one write
    Jdbc.Work<Optional<OfGrant<Code>>> redeem =
        c -> {
          Optional<OfGrant<Code>> used = useCodeOfGrant(c, hash);
          List<Token> tokens = used.map(issue).orElse(List.of());
          if (!tokens.isEmpty()) {
            insertTokens(c, tokens.toArray(Token[]::new));
          }
          return used;
        };
    return redeems == null
        ? db.inTransaction("redeem code", redeem)
        : redeems.run("redeem code", redeem);
  }

  private static Optional<OfGrant<Code>> useCodeOfGrant(Connection c, String hash)
      throws SQLException {
    // the conditional update decides, atomically, whether this use is the first
    boolean first =
        Jdbc.update(c, "UPDATE idp_code SET used = TRUE WHERE hash = ? AND used = FALSE", hash)
            == 1;
    return Jdbc.one(
        c,
        "SELECT c.*, "
            + GRANT_COLUMNS
            + " FROM idp_code c JOIN idp_grant g ON g.id = c.grant_id WHERE c.hash = ?",
        rs ->
            new OfGrant<>(
                new Code(
                    rs.getString("hash"),
                    rs.getString("grant_id"),
                    rs.getString("redirect_uri"),
                    rs.getString("code_challenge"),
                    Instant.ofEpochMilli(rs.getLong("expires_ms")),
                    !first),
                grantRow(rs)),
        hash);
  }

  @Override
  public void saveToken(Token t) {
    db.update(INSERT_TOKEN, tokenValues(t));
  }

  @Override
  public void saveTokens(Token access, Token refresh) {
    db.inTransaction("insert", c -> insertTokens(c, access, refresh));
  }

  private static Object[] tokenValues(Token t) {
    return new Object[] {
      t.hash(), t.kind().name(), t.grantId(), ms(t.expiresAt()), ms(t.usedAt()), ms(t.revokedAt())
    };
  }

  private static int[] insertTokens(Connection c, Token... tokens) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_TOKEN)) {
      for (Token t : tokens) {
        Jdbc.bind(ps, tokenValues(t));
        ps.addBatch();
      }
      return ps.executeBatch();
    }
  }

  @Override
  public Optional<Token> token(String hash) {
    return db.one("SELECT * FROM idp_token WHERE hash = ?", JdbcIdentityStore::token, hash);
  }

  @Override
  public Optional<OfGrant<Token>> tokenOfGrant(String hash) {
    return db.one(
        "SELECT t.*, "
            + GRANT_COLUMNS
            + " FROM idp_token t JOIN idp_grant g ON g.id = t.grant_id WHERE t.hash = ?",
        rs -> new OfGrant<>(token(rs), grantRow(rs)),
        hash);
  }

  private static Token token(ResultSet rs) throws SQLException {
    return new Token(
        rs.getString("hash"),
        Token.Kind.valueOf(rs.getString("kind")),
        rs.getString("grant_id"),
        Instant.ofEpochMilli(rs.getLong("expires_ms")),
        at(Jdbc.nullableLong(rs, "used_ms")),
        at(Jdbc.nullableLong(rs, "revoked_ms")));
  }

  private static final String USE_REFRESH =
      "UPDATE idp_token SET used_ms = ? WHERE hash = ? AND used_ms IS NULL";

  @Override
  public boolean useRefreshToken(String hash, Instant at) {
    return db.update(USE_REFRESH, ms(at), hash) == 1;
  }

  @Override
  public boolean rotateRefreshToken(String hash, Instant at, Token access, Token refresh) {
    return db.inTransaction(
        "rotate",
        c -> {
          if (Jdbc.update(c, USE_REFRESH, ms(at), hash) != 1) {
            return false; // a reuse: nothing changed, nothing stored
          }
          insertTokens(c, access, refresh);
          return true;
        });
  }

  @Override
  public void revokeToken(String hash, Instant at) {
    db.update(
        "UPDATE idp_token SET revoked_ms = ? WHERE hash = ? AND revoked_ms IS NULL", ms(at), hash);
  }

  @Override
  public Optional<LoginFailures> loginFailures(String login) {
    return db.one(
        "SELECT * FROM idp_login_failure WHERE login = ?",
        rs ->
            new LoginFailures(
                rs.getInt("failures"),
                Instant.ofEpochMilli(rs.getLong("first_ms")),
                at(Jdbc.nullableLong(rs, "locked_until_ms"))),
        login);
  }

  @Override
  public void saveLoginFailures(String login, LoginFailures f) {
    if (db.update(
            "UPDATE idp_login_failure SET failures = ?, first_ms = ?, locked_until_ms = ? WHERE login = ?",
            f.count(),
            ms(f.firstAt()),
            ms(f.lockedUntil()),
            login)
        == 0) {
      db.insertIfAbsent(
          "INSERT INTO idp_login_failure (login, failures, first_ms, locked_until_ms) VALUES (?, ?, ?, ?)",
          login,
          f.count(),
          ms(f.firstAt()),
          ms(f.lockedUntil()));
    }
  }

  @Override
  public void clearLoginFailures(String login) {
    db.update("DELETE FROM idp_login_failure WHERE login = ?", login);
  }
}
