package dev.conduit.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.runtime.identity.IdentityStore;
import dev.conduit.runtime.invoke.TokenStore;
import dev.conduit.runtime.logs.RequestLog;
import dev.conduit.runtime.logs.RequestLogStore;
import dev.conduit.runtime.logs.SampleLogs;
import dev.conduit.seal.Opener;
import dev.conduit.seal.Sealer;
import dev.conduit.seal.SealingKeys;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runtime's state on both databases, with the same migrations: identity-provider grants, codes
 * and tokens (hashed, surviving a restart), shared connection tokens (sealed, one lease holder at a
 * time), and request logs with their filters.
 */
class PersistenceTest {

  @TempDir static Path dir;

  static final SealingKeys KEYS = SealingKeys.generate();

  static Stream<Arguments> databases() throws Exception {
    return Stream.of(Arguments.of("h2"), Arguments.of("postgresql"));
  }

  static DataSource open(String kind) throws Exception {
    return Databases.open(kind, dir);
  }

  @ParameterizedTest
  @MethodSource("databases")
  void identityStateIsHashedAtomicAndSurvivesARestart(String kind) throws Exception {
    DataSource ds = open(kind);
    Instant now = Instant.parse("2026-11-23T08:00:00Z");
    JdbcIdentityStore store = new JdbcIdentityStore(ds);
    grantWithCode(store, "g1", "codehash", now);
    store.saveToken(
        new IdentityStore.Token(
            "tokenhash", IdentityStore.Token.Kind.REFRESH, "g1", now.plusSeconds(60), null, null));

    JdbcIdentityStore afterRestart = new JdbcIdentityStore(ds); // a new instance, the same database
    assertFalse(afterRestart.useCode("codehash").orElseThrow().used(), "first use");
    assertTrue(afterRestart.useCode("codehash").orElseThrow().used(), "a replay is seen as one");
    assertTrue(afterRestart.useRefreshToken("tokenhash", now));
    assertFalse(afterRestart.useRefreshToken("tokenhash", now), "a reuse is seen as one");
    afterRestart.revokeGrant("g1", now);
    assertTrue(afterRestart.grant("g1").orElseThrow().revoked());

    afterRestart.saveLoginFailures("erin", new IdentityStore.LoginFailures(2, now, null));
    afterRestart.saveLoginFailures(
        "erin", new IdentityStore.LoginFailures(5, now, now.plusSeconds(900)));
    assertEquals(5, afterRestart.loginFailures("erin").orElseThrow().count());
    afterRestart.clearLoginFailures("erin");
    assertTrue(afterRestart.loginFailures("erin").isEmpty());
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aCodeUsedConcurrentlyIsFirstForExactlyOne(String kind) throws Exception {
    DataSource ds = open(kind);
    JdbcIdentityStore store = new JdbcIdentityStore(ds);
    Instant now = Instant.now();
    grantWithCode(store, "g2", "race", now);
    assertEquals(1, trueOfEightAtOnce(i -> () -> !store.useCode("race").orElseThrow().used()));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aCodeRedeemedConcurrentlyIssuesTokensExactlyOnceAndARefusalIssuesNone(String kind)
      throws Exception {
    DataSource ds = open(kind);
    JdbcIdentityStore store = new JdbcIdentityStore(ds);
    Instant now = Instant.now();
    grantWithCode(store, "g4", "redeem", now);
    // eight exchanges of one code at once: the tokens of exactly one are saved with its use
    assertEquals(
        1,
        trueOfEightAtOnce(
            i ->
                () ->
                    store
                        .redeemCode(
                            "redeem",
                            found ->
                                found.value().used()
                                    ? List.of()
                                    : List.of(
                                        new IdentityStore.Token(
                                            "ra" + i,
                                            IdentityStore.Token.Kind.ACCESS,
                                            found.grant().id(),
                                            now.plusSeconds(60),
                                            null,
                                            null),
                                        new IdentityStore.Token(
                                            "rr" + i,
                                            IdentityStore.Token.Kind.REFRESH,
                                            found.grant().id(),
                                            now.plusSeconds(60),
                                            null,
                                            null)))
                        .map(found -> !found.value().used())
                        .orElseThrow()));
    int saved = 0;
    for (int i = 0; i < 8; i++) {
      saved += store.token("ra" + i).isPresent() ? 1 : 0;
      saved += store.token("rr" + i).isPresent() ? 1 : 0;
    }
    assertEquals(2, saved, "one exchange's access and refresh token, no more");

    // a refusal (the issuer gives no tokens) still uses the code up
    grantWithCode(store, "g5", "refused", now);
    assertFalse(store.redeemCode("refused", found -> List.of()).orElseThrow().value().used());
    assertTrue(store.useCode("refused").orElseThrow().used(), "the refused code stays used");
    assertTrue(store.redeemCode("unknown", found -> List.of()).isEmpty());
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aRefreshTokenRotatedConcurrentlyRotatesExactlyOnceWithItsSuccessors(String kind)
      throws Exception {
    DataSource ds = open(kind);
    JdbcIdentityStore store = new JdbcIdentityStore(ds);
    Instant now = Instant.now();
    grantWithCode(store, "g3", "code3", now);
    IdentityStore.OfGrant<IdentityStore.Code> used = store.useCodeOfGrant("code3").orElseThrow();
    assertFalse(used.value().used());
    assertEquals("carol", used.grant().login(), "the code comes with its grant");
    store.saveTokens(
        token("a0", IdentityStore.Token.Kind.ACCESS, now),
        token("r0", IdentityStore.Token.Kind.REFRESH, now));
    assertEquals("g3", store.tokenOfGrant("a0").orElseThrow().grant().id());
    assertTrue(store.tokenOfGrant("r0").orElseThrow().value().usedAt() == null);

    assertEquals(
        1,
        trueOfEightAtOnce(
            i ->
                () ->
                    store.rotateRefreshToken(
                        "r0",
                        now,
                        token("a" + i + "x", IdentityStore.Token.Kind.ACCESS, now),
                        token("r" + i + "x", IdentityStore.Token.Kind.REFRESH, now))));
    try (Connection c = ds.getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT COUNT(*) FROM idp_token WHERE grant_id = 'g3'")) {
      assertTrue(rs.next());
      assertEquals(
          4,
          rs.getInt(1),
          "the first pair and the successors of the one rotation, nothing from the reuses");
    }
  }

  /**
   * Runs eight tries at once, the i-th from {@code tryNumber.apply(i)}, and counts those that
   * answer true.
   */
  private static int trueOfEightAtOnce(java.util.function.IntFunction<Callable<Boolean>> tryNumber)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> tries = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        tries.add(tryNumber.apply(i));
      }
      int trues = 0;
      for (Future<Boolean> f : pool.invokeAll(tries)) {
        trues += f.get() ? 1 : 0;
      }
      return trues;
    } finally {
      pool.shutdown();
    }
  }

  /** Carol's grant to APP with one unused code (ten minutes to live). */
  private static void grantWithCode(
      JdbcIdentityStore store, String grantId, String codeHash, Instant now) {
    store.saveGrant(new IdentityStore.Grant(grantId, "APP", "org", "carol", now, null));
    store.saveCode(
        new IdentityStore.Code(codeHash, grantId, "http://cb", null, now.plusSeconds(600), false));
  }

  private static IdentityStore.Token token(
      String hash, IdentityStore.Token.Kind kind, Instant now) {
    return new IdentityStore.Token(hash, kind, "g3", now.plusSeconds(60), null, null);
  }

  @ParameterizedTest
  @MethodSource("databases")
  void connectionTokensAreSealedAndOneInstanceHoldsTheLease(String kind) throws Exception {
    DataSource ds = open(kind);
    Opener opener = new Opener(KEYS.privateKeyset());
    Sealer sealer = new Sealer(KEYS.publicKey());
    JdbcTokenStore a = new JdbcTokenStore(ds, sealer, opener, Clock.systemUTC());
    JdbcTokenStore b =
        new JdbcTokenStore(ds, sealer, opener, Clock.systemUTC()); // another runtime instance
    assertTrue(a.tryLease("org", "wecom", "", Duration.ofSeconds(15)));
    assertFalse(b.tryLease("org", "wecom", "", Duration.ofSeconds(15)), "one refresh at a time");
    a.put(
        "org",
        "wecom",
        "",
        new TokenStore.StoredToken("tok-plaintext-1", Instant.parse("2030-01-01T00:00:00Z")));
    a.releaseLease("org", "wecom", "");
    assertEquals(
        Optional.of(
            new TokenStore.StoredToken("tok-plaintext-1", Instant.parse("2030-01-01T00:00:00Z"))),
        b.get("org", "wecom", ""));
    assertTrue(b.tryLease("org", "wecom", "", Duration.ofSeconds(15)));
    try (Connection c = ds.getConnection();
        ResultSet rs =
            c.createStatement().executeQuery("SELECT sealed_token FROM connection_token")) {
      assertTrue(rs.next());
      String stored = rs.getString(1);
      assertFalse(
          stored.contains("tok-plaintext-1"), "the database never holds a token in plaintext");
      assertTrue(stored.startsWith(dev.conduit.seal.Sealer.PREFIX), stored.substring(0, 10));
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void alertsReachTheOwnerAtMostOncePerIntervalAndErrorType(String kind) throws Exception {
    DataSource ds = open(kind);
    java.util.concurrent.atomic.AtomicLong now =
        new java.util.concurrent.atomic.AtomicLong(1_800_000_000_000L);
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(now.get());
          }
        };
    dev.conduit.runtime.alerts.Alerts alerts =
        new dev.conduit.runtime.alerts.Alerts(
            ds,
            clock,
            new dev.conduit.runtime.alerts.Alerts.Recipients() {
              @Override
              public java.util.Optional<String> email(String organizationId, String login) {
                return java.util.Optional.empty();
              }

              @Override
              public java.util.Optional<String> webhookUrl(String org, String connectionId) {
                return java.util.Optional.empty();
              }
            });
    var connection =
        new dev.conduit.bundle.Connection(
            "wecom",
            "WeCom",
            null,
            null,
            "alice",
            new dev.conduit.bundle.Connection.Notifications(true, 30, null, null),
            List.of(),
            false,
            List.of(),
            new dev.conduit.bundle.Auth.None(),
            null,
            List.of(),
            List.of());
    var prepared =
        dev.conduit.runtime.invoke.PreparedConnection.prepare(
            "org", connection, null, dev.conduit.runtime.invoke.PrivateNetworkRule.NONE);
    var upstreamDown =
        new dev.conduit.runtime.invoke.Outcome.Failure(
            dev.conduit.runtime.invoke.ErrorCode.UPSTREAM_ERROR,
            "the upstream answered 503",
            List.of(),
            dev.conduit.runtime.invoke.Exchange.NONE);
    var badInput =
        new dev.conduit.runtime.invoke.Outcome.Failure(
            dev.conduit.runtime.invoke.ErrorCode.INVALID_INPUT,
            "1 invalid input",
            List.of(),
            dev.conduit.runtime.invoke.Exchange.NONE);
    assertTrue(alerts.onFailure(prepared, "send", "invoke", upstreamDown, "r1"));
    assertFalse(
        alerts.onFailure(prepared, "send", "invoke", upstreamDown, "r2"),
        "throttled within 30 minutes");
    assertFalse(
        alerts.onFailure(prepared, "send", "invoke", badInput, "r3"),
        "a caller's mistake is not the owner's problem");
    now.addAndGet(31 * 60_000L);
    assertTrue(alerts.onFailure(prepared, "send", "invoke", upstreamDown, "r4"));
    var inbox = alerts.list("org", "wecom", 10);
    assertEquals(2, inbox.size());
    assertEquals("alice", inbox.getFirst().owner());
    assertEquals(2, alerts.list("org", null, 10).size());
  }

  @ParameterizedTest
  @MethodSource("databases")
  void requestLogsFilterPageAndPurge(String kind) throws Exception {
    DataSource ds = open(kind);
    RequestLogStore logs = new RequestLogStore(ds);
    long t0 = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();
    List<RequestLog> batch = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      batch.add(
          new RequestLog(
              "id-" + i,
              t0 + i * 3_600_000L,
              "org",
              i % 2 == 0 ? "wecom" : "jira",
              "api",
              "invoke",
              "app",
              "app",
              i % 3 == 0 ? 502 : 200,
              i % 3 == 0 ? "UPSTREAM_ERROR" : "ok",
              12,
              false,
              "{\"url\":\"x\"}",
              "{}",
              null));
    }
    logs.insert(batch);
    assertEquals(
        15,
        logs.list(new RequestLogStore.Filter("org", "wecom", null, null, false, null, null, 100, 0))
            .size());
    assertEquals(
        10,
        logs.list(new RequestLogStore.Filter("org", null, null, 500, true, null, null, 100, 0))
            .size());
    assertEquals(
        5,
        logs.list(
                new RequestLogStore.Filter(
                    "org", null, null, null, false, t0, t0 + 5 * 3_600_000L, 100, 0))
            .size());
    List<RequestLog> page =
        logs.list(new RequestLogStore.Filter("org", null, null, null, false, null, null, 10, 10));
    assertEquals("id-19", page.getFirst().id(), "newest first, paged");
    assertEquals("{\"url\":\"x\"}", logs.get("org", "id-3").orElseThrow().request());
    assertTrue(
        logs.get("other-org", "id-3").isEmpty(), "another organization's logs are not visible");
    // the purge reaches every organization's old logs (it runs one organization at a time)
    logs.insert(
        List.of(
            log("other-old", "other-org", t0),
            log("other-new", "other-org", t0 + 20 * 3_600_000L)));
    assertEquals(11, logs.purgeBefore(t0 + 10 * 3_600_000L));
    assertTrue(logs.get("other-org", "other-old").isEmpty());
    assertTrue(logs.get("other-org", "other-new").isPresent());
    assertEquals(
        20,
        logs.list(new RequestLogStore.Filter("org", null, null, null, false, null, null, 100, 0))
            .size());
  }

  /**
   * A backlog larger than one purge transaction (RequestLogStore.PURGE_BATCH, a first purge or a
   * shorter retention): every log older than the cut-off goes, of every organization that has logs
   * (one no longer served too), batch after batch, and no newer log does.
   */
  @ParameterizedTest
  @MethodSource("databases")
  void aPurgeBacklogGoesInBatchesOfEveryOrganizationThatHasLogs(String kind) throws Exception {
    RequestLogStore logs = new RequestLogStore(open(kind));
    long cutoff = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();
    int backlog = 2 * RequestLogStore.PURGE_BATCH + 7; // three batches, the last one short
    List<RequestLog> all = new ArrayList<>();
    for (int i = 0; i < backlog; i++) {
      all.add(log("a-old-" + i, "org-a", cutoff - 1 - i));
    }
    for (int i = 0; i < 4; i++) {
      all.add(log("b-old-" + i, "org-b", cutoff - 60_000L * i - 1));
      all.add(log("a-new-" + i, "org-a", cutoff + i));
    }
    all.add(log("b-new", "org-b", cutoff));
    all.add(log("c-new", "org-c", cutoff + 1));
    for (int from = 0; from < all.size(); from += 2000) {
      logs.insert(all.subList(from, Math.min(all.size(), from + 2000)));
    }
    assertEquals(List.of("org-a", "org-b", "org-c"), logs.organizations());

    assertEquals(backlog + 4, logs.purgeBefore(cutoff));
    assertEquals(4, count(logs, "org-a"));
    assertEquals(1, count(logs, "org-b"));
    assertEquals(1, count(logs, "org-c"));
    assertTrue(logs.get("org-b", "b-new").isPresent(), "at the cut-off itself: kept");
    assertEquals(0, logs.purgeBefore(cutoff), "nothing left to purge");
  }

  private static RequestLog log(String id, String organization, long at) {
    return SampleLogs.ok(id, organization, at, null, null);
  }

  private static int count(RequestLogStore logs, String organization) {
    return logs.list(
            new RequestLogStore.Filter(organization, null, null, null, false, null, null, 100, 0))
        .size();
  }

  @ParameterizedTest
  @MethodSource("databases")
  void requestLogsFilterByApplicationAndCountPerTimeBucket(String kind) throws Exception {
    DataSource ds = open(kind);
    RequestLogStore logs = new RequestLogStore(ds);
    long t0 = Instant.parse("2026-11-21T00:00:00Z").toEpochMilli();
    List<RequestLog> batch = new ArrayList<>();
    for (int i = 0; i < 24; i++) { // one call an hour; every third fails; app-b calls every fourth
      batch.add(
          new RequestLog(
              "bucket-" + i,
              t0 + i * 3_600_000L,
              "bucket-org",
              "wecom",
              "api",
              "invoke",
              i % 4 == 0 ? "app-b" : "app-a",
              "x",
              i % 3 == 0 ? 502 : 200,
              i % 3 == 0 ? "UPSTREAM_ERROR" : "ok",
              10 * (i % 6 + 1),
              false,
              null,
              null,
              null));
    }
    logs.insert(batch);
    var appB =
        new RequestLogStore.Filter(
            "bucket-org", null, null, null, false, null, null, 100, 0, "app-b");
    assertEquals(6, logs.list(appB).size());
    var all =
        new RequestLogStore.Filter(
            "bucket-org", null, null, null, false, t0, t0 + 24 * 3_600_000L, 0, 0, null);
    List<RequestLogStore.Bucket> buckets = logs.buckets(all, 6 * 3_600_000L);
    assertEquals(4, buckets.size(), buckets.toString());
    for (int b = 0; b < 4; b++) {
      RequestLogStore.Bucket k = buckets.get(b);
      assertEquals(t0 + b * 6 * 3_600_000L, k.startMillis(), "bucket " + b + " starts on its hour");
      assertEquals(6, k.calls());
      assertEquals(2, k.errors(), "hours 0 and 3 of each six fail");
      assertEquals(35, k.meanMillis(), "(10+20+...+60)/6");
      assertEquals(60, k.maxMillis());
    }
    assertEquals(
        List.of(6L, 0L),
        logs
            .buckets(
                new RequestLogStore.Filter(
                    "bucket-org", null, null, null, false, t0, t0 + 6 * 3_600_000L, 0, 0, null),
                6 * 3_600_000L)
            .stream()
            .flatMap(k -> java.util.stream.Stream.of(k.calls(), k.startMillis() - t0))
            .toList(),
        "the range bounds the buckets");
  }
}
