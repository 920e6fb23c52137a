package dev.conduit.runtime.store;

import dev.conduit.runtime.accounts.Account;
import dev.conduit.runtime.accounts.AccountStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Accounts of authorization-code connections in the runtime's database. Tokens and PKCE verifiers
 * are sealed to the runtime's own key ({@link SecretsAtRest}), bound to the account and column; the
 * state of a request in flight only as its hash. The refresh lease is a conditional UPDATE, atomic
 * on H2 and PostgreSQL, like {@link JdbcTokenStore}'s.
 */
public final class JdbcAccountStore implements AccountStore {

  private static final String COLUMNS =
      "id, organization_id, connection_id, member, name, state, applications,"
          + " expires_ms, created_ms";
  private final Jdbc db;
  private final SecretsAtRest secrets;
  private final Clock clock;

  public JdbcAccountStore(DataSource dataSource, SecretsAtRest secrets, Clock clock) {
    this.db = new Jdbc(dataSource);
    this.secrets = secrets;
    this.clock = clock;
  }

  private String seal(String value, String accountId, String column) {
    return secrets.seal(value, SecretsAtRest.account(accountId, column));
  }

  private String open(String stored, String accountId, String column) {
    return secrets.open(stored, SecretsAtRest.account(accountId, column));
  }

  @Override
  public void begin(Pending p) {
    db.update(
        "INSERT INTO account_authorization (state_hash, organization_id, connection_id, member, account_id,"
            + " reauthorize, name, applications, verifier, expires_ms, used) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p.stateHash(),
        p.organizationId(),
        p.connectionId(),
        p.member(),
        p.accountId(),
        p.reauthorize(),
        p.name(),
        join(p.applications()),
        seal(p.verifier(), p.accountId(), "verifier"),
        p.expiresMs(),
        false);
  }

  @Override
  public Taken take(String stateHash) {
    int n =
        db.update(
            "UPDATE account_authorization SET used = ? WHERE state_hash = ? AND used = ?",
            true,
            stateHash,
            false);
    Optional<Pending> p =
        db.one(
            "SELECT * FROM account_authorization WHERE state_hash = ?",
            rs ->
                new Pending(
                    rs.getString("state_hash"),
                    rs.getString("organization_id"),
                    rs.getString("connection_id"),
                    rs.getString("member"),
                    rs.getString("account_id"),
                    rs.getBoolean("reauthorize"),
                    rs.getString("name"),
                    split(rs.getString("applications")),
                    open(rs.getString("verifier"), rs.getString("account_id"), "verifier"),
                    rs.getLong("expires_ms")),
            stateHash);
    if (p.isEmpty()) {
      return new Taken.Unknown();
    }
    return n == 1 ? new Taken.Found(p.get()) : new Taken.Reused();
  }

  @Override
  public int purgeExpired(long beforeMs) {
    return db.update("DELETE FROM account_authorization WHERE expires_ms < ?", beforeMs);
  }

  @Override
  public void create(Account a, Account.Tokens t) {
    long now = clock.millis();
    db.update(
        "INSERT INTO account (id, organization_id, connection_id, member, name, state, applications,"
            + " access_token, refresh_token, expires_ms, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        a.id(),
        a.organizationId(),
        a.connectionId(),
        a.member(),
        a.name(),
        Account.State.ACTIVE.name(),
        join(a.applications()),
        seal(t.accessToken(), a.id(), "access_token"),
        seal(t.refreshToken(), a.id(), "refresh_token"),
        t.expiresAt().toEpochMilli(),
        now,
        now);
  }

  @Override
  public boolean replaceTokens(String id, Account.Tokens t) {
    return db.update(
            "UPDATE account SET access_token = ?, refresh_token = ?, expires_ms = ?, state = ?,"
                + " lease_until_ms = NULL, updated_ms = ? WHERE id = ?",
            seal(t.accessToken(), id, "access_token"),
            seal(t.refreshToken(), id, "refresh_token"),
            t.expiresAt().toEpochMilli(),
            Account.State.ACTIVE.name(),
            clock.millis(),
            id)
        == 1;
  }

  @Override
  public Optional<Account> find(String org, String conn, String id) {
    return db.one(
        "SELECT "
            + COLUMNS
            + " FROM account WHERE organization_id = ? AND connection_id = ? AND id = ?",
        JdbcAccountStore::account,
        org,
        conn,
        id);
  }

  @Override
  public List<Account> list(String org, String conn, String member) {
    return member == null
        ? db.query(
            "SELECT "
                + COLUMNS
                + " FROM account WHERE organization_id = ? AND connection_id = ?"
                + " ORDER BY created_ms, id",
            JdbcAccountStore::account,
            org,
            conn)
        : db.query(
            "SELECT "
                + COLUMNS
                + " FROM account WHERE organization_id = ? AND connection_id = ? AND member = ?"
                + " ORDER BY created_ms, id",
            JdbcAccountStore::account,
            org,
            conn,
            member);
  }

  @Override
  public boolean rename(String id, String name) {
    return db.update(
            "UPDATE account SET name = ?, updated_ms = ? WHERE id = ?", name, clock.millis(), id)
        == 1;
  }

  @Override
  public boolean allow(String id, List<String> applications) {
    return db.update(
            "UPDATE account SET applications = ?, updated_ms = ? WHERE id = ?",
            join(applications),
            clock.millis(),
            id)
        == 1;
  }

  @Override
  public boolean delete(String id) {
    return db.update("DELETE FROM account WHERE id = ?", id) == 1;
  }

  @Override
  public Optional<Account.Tokens> tokens(String id) {
    return db.one(
        "SELECT access_token, refresh_token, expires_ms FROM account WHERE id = ?",
        rs -> {
          String access = open(rs.getString("access_token"), id, "access_token");
          Long expires = Jdbc.nullableLong(rs, "expires_ms");
          return access == null || expires == null
              ? null
              : new Account.Tokens(
                  access,
                  open(rs.getString("refresh_token"), id, "refresh_token"),
                  Instant.ofEpochMilli(expires));
        },
        id);
  }

  @Override
  public boolean tryLease(String id, Duration lease) {
    long now = clock.millis();
    return db.update(
            "UPDATE account SET lease_until_ms = ? WHERE id = ? AND (lease_until_ms IS NULL OR lease_until_ms < ?)",
            now + lease.toMillis(),
            id,
            now)
        == 1;
  }

  @Override
  public void releaseLease(String id) {
    db.update("UPDATE account SET lease_until_ms = NULL WHERE id = ?", id);
  }

  @Override
  public void refreshed(String id, Account.Tokens t) {
    db.update(
        "UPDATE account SET access_token = ?, refresh_token = ?, expires_ms = ?, lease_until_ms = NULL,"
            + " updated_ms = ? WHERE id = ?",
        seal(t.accessToken(), id, "access_token"),
        seal(t.refreshToken(), id, "refresh_token"),
        t.expiresAt().toEpochMilli(),
        clock.millis(),
        id);
  }

  @Override
  public void needsReauthorization(String id) {
    db.update(
        "UPDATE account SET state = ?, access_token = NULL, refresh_token = NULL, lease_until_ms = NULL,"
            + " updated_ms = ? WHERE id = ?",
        Account.State.NEEDS_REAUTHORIZATION.name(),
        clock.millis(),
        id);
  }

  private static Account account(ResultSet rs) throws SQLException {
    Long expires = Jdbc.nullableLong(rs, "expires_ms");
    return new Account(
        rs.getString("id"),
        rs.getString("organization_id"),
        rs.getString("connection_id"),
        rs.getString("member"),
        rs.getString("name"),
        Account.State.valueOf(rs.getString("state")),
        split(rs.getString("applications")),
        expires == null ? null : Instant.ofEpochMilli(expires),
        Instant.ofEpochMilli(rs.getLong("created_ms")));
  }

  private static String join(List<String> applications) {
    return String.join(",", applications);
  }

  private static List<String> split(String s) {
    return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
  }
}
