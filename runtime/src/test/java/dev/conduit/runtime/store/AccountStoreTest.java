package dev.conduit.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.subtle.Hkdf;
import dev.conduit.runtime.accounts.Account;
import dev.conduit.runtime.accounts.AccountStore;
import dev.conduit.seal.SealingKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Accounts on both databases: tokens encrypted per account, single-use states, one refresher. */
class AccountStoreTest {

  static final String KEYSET = SealingKeys.generate().privateKeyset();
  static final SecretsAtRest CIPHER = SecretsAtRest.of(KEYSET);
  static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");

  @TempDir static Path dir;

  static Stream<Arguments> databases() throws Exception {
    return PersistenceTest.databases();
  }

  static DataSource open(String kind) throws Exception {
    return Databases.open(kind, dir);
  }

  static Account account(String id, String member) {
    return new Account(
        id,
        "org",
        "github",
        member,
        member + "'s GitHub",
        Account.State.ACTIVE,
        List.of("app-one"),
        null,
        null);
  }

  /**
   * Rows written before accounts sealed their values (gcm:v1:, AES-256-GCM under a key derived with
   * HKDF-SHA256 from the keyset's text, the account id as associated data) still open, and the next
   * write seals them.
   */
  @ParameterizedTest
  @MethodSource("databases")
  void valuesOfTheEarlierFormatStillOpenAndAreSealedAtTheNextWrite(String kind) throws Exception {
    DataSource ds = open(kind);
    JdbcAccountStore store = new JdbcAccountStore(ds, CIPHER, Clock.systemUTC());
    store.create(account("old-1", "erin"), new Account.Tokens("x", "y", LATER));
    store.create(account("old-2", "frank"), new Account.Tokens("x", "y", LATER));
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE account SET access_token = ?, refresh_token = ? WHERE id = ?")) {
      ps.setString(1, earlierFormat("access-old", "old-1"));
      ps.setString(2, earlierFormat("refresh-old", "old-1"));
      ps.setString(3, "old-1");
      ps.executeUpdate();
      // an earlier value copied onto another account's row does not open there either
      ps.setString(1, earlierFormat("access-old", "old-1"));
      ps.setString(2, null);
      ps.setString(3, "old-2");
      ps.executeUpdate();
    }
    assertEquals(
        Optional.of(new Account.Tokens("access-old", "refresh-old", LATER)), store.tokens("old-1"));
    assertEquals(Optional.empty(), store.tokens("old-2"));

    store.refreshed("old-1", new Account.Tokens("access-new", "refresh-old", LATER));
    try (Connection c = ds.getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT access_token, refresh_token FROM account WHERE id = 'old-1'")) {
      assertTrue(rs.next());
      assertTrue(rs.getString(1).startsWith("sealed:v2:"), rs.getString(1));
      assertTrue(rs.getString(2).startsWith("sealed:v2:"), rs.getString(2));
    }
    assertEquals(
        Optional.of(new Account.Tokens("access-new", "refresh-old", LATER)), store.tokens("old-1"));
  }

  /** The earlier account format, written here independently of the runtime's code. */
  static String earlierFormat(String value, String accountId) throws Exception {
    byte[] key =
        Hkdf.computeHkdf(
            "HMACSHA256",
            KEYSET.strip().getBytes(StandardCharsets.UTF_8),
            new byte[0],
            "conduit accounts data-encryption key v1".getBytes(StandardCharsets.UTF_8),
            32);
    byte[] iv = new byte[12];
    new SecureRandom().nextBytes(iv);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
    c.updateAAD(accountId.getBytes(StandardCharsets.UTF_8));
    byte[] ct = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
    return "gcm:v1:"
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array());
  }

  @ParameterizedTest
  @MethodSource("databases")
  void tokensAreEncryptedBoundToTheirAccountAndRoundTrip(String kind) throws Exception {
    DataSource ds = open(kind);
    JdbcAccountStore store = new JdbcAccountStore(ds, CIPHER, Clock.systemUTC());
    store.create(
        account("a-1", "carol"), new Account.Tokens("access-plain-1", "refresh-plain-1", LATER));
    store.create(account("a-2", "dave"), new Account.Tokens("access-plain-2", null, LATER));
    assertEquals(
        Optional.of(new Account.Tokens("access-plain-1", "refresh-plain-1", LATER)),
        store.tokens("a-1"));
    try (Connection c = ds.getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT access_token, refresh_token FROM account WHERE id = 'a-1'")) {
      assertTrue(rs.next());
      assertFalse(
          rs.getString(1).contains("access-plain"), "no plaintext access token in the database");
      assertFalse(
          rs.getString(2).contains("refresh-plain"), "no plaintext refresh token in the database");
      // a ciphertext copied onto another account's row does not open there
      c.createStatement()
          .executeUpdate(
              "UPDATE account SET access_token = '" + rs.getString(1) + "' WHERE id = 'a-2'");
    }
    assertEquals(Optional.empty(), store.tokens("a-2"));
    JdbcAccountStore otherKey =
        new JdbcAccountStore(
            ds, SecretsAtRest.of(SealingKeys.generate().privateKeyset()), Clock.systemUTC());
    assertEquals(Optional.empty(), otherKey.tokens("a-1"), "another runtime key opens nothing");

    assertEquals(
        List.of("a-1"), store.list("org", "github", "carol").stream().map(Account::id).toList());
    assertEquals(
        List.of("a-1", "a-2"),
        store.list("org", "github", null).stream().map(Account::id).toList());
    assertTrue(store.rename("a-1", "work"));
    assertTrue(store.allow("a-1", List.of("app-one", "app-two")));
    Account a = store.find("org", "github", "a-1").orElseThrow();
    assertEquals("work", a.name());
    assertTrue(a.allows("app-two"));
    assertEquals(
        Optional.empty(),
        store.find("other-org", "github", "a-1"),
        "accounts of one organization only");

    store.needsReauthorization("a-1");
    assertEquals(
        Account.State.NEEDS_REAUTHORIZATION,
        store.find("org", "github", "a-1").orElseThrow().state());
    assertEquals(Optional.empty(), store.tokens("a-1"), "a refused grant keeps no tokens");
    assertTrue(store.replaceTokens("a-1", new Account.Tokens("access-3", "refresh-3", LATER)));
    assertEquals(Account.State.ACTIVE, store.find("org", "github", "a-1").orElseThrow().state());
    assertTrue(store.delete("a-1"));
    assertFalse(store.delete("a-1"));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aStateIsTakenOnceAcrossInstances(String kind) throws Exception {
    DataSource ds = open(kind);
    JdbcAccountStore a = new JdbcAccountStore(ds, CIPHER, Clock.systemUTC());
    JdbcAccountStore b = new JdbcAccountStore(ds, CIPHER, Clock.systemUTC());
    a.begin(
        new AccountStore.Pending(
            "hash-1",
            "org",
            "github",
            "carol",
            "a-9",
            false,
            null,
            List.of("app-one"),
            "verifier-secret",
            System.currentTimeMillis() + 60_000));
    try (Connection c = ds.getConnection();
        ResultSet rs =
            c.createStatement().executeQuery("SELECT verifier FROM account_authorization")) {
      assertTrue(rs.next());
      assertFalse(rs.getString(1).contains("verifier-secret"), "the PKCE verifier is encrypted");
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<AccountStore.Taken>> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      JdbcAccountStore s = i % 2 == 0 ? a : b;
      results.add(pool.submit((Callable<AccountStore.Taken>) () -> s.take("hash-1")));
    }
    int found = 0;
    for (Future<AccountStore.Taken> f : results) {
      AccountStore.Taken t = f.get();
      if (t instanceof AccountStore.Taken.Found found1) {
        found++;
        assertEquals("verifier-secret", found1.pending().verifier());
      } else {
        assertInstanceOf(AccountStore.Taken.Reused.class, t);
      }
    }
    pool.shutdown();
    assertEquals(1, found, "exactly one taker");
    assertInstanceOf(AccountStore.Taken.Unknown.class, a.take("no-such-hash"));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void oneInstanceHoldsAnAccountsRefreshLease(String kind) throws Exception {
    DataSource ds = open(kind);
    JdbcAccountStore a = new JdbcAccountStore(ds, CIPHER, Clock.systemUTC());
    JdbcAccountStore b = new JdbcAccountStore(ds, CIPHER, Clock.systemUTC());
    a.create(account("a-1", "carol"), new Account.Tokens("access-1", "refresh-1", LATER));
    assertTrue(a.tryLease("a-1", Duration.ofSeconds(15)));
    assertFalse(b.tryLease("a-1", Duration.ofSeconds(15)), "one refresh at a time");
    a.refreshed("a-1", new Account.Tokens("access-2", "refresh-2", LATER));
    assertEquals(
        Optional.of(new Account.Tokens("access-2", "refresh-2", LATER)),
        b.tokens("a-1"),
        "the rotated refresh token is stored with its access token");
    assertTrue(
        b.tryLease("a-1", Duration.ofSeconds(15)), "storing the refreshed tokens frees the lease");
  }
}
