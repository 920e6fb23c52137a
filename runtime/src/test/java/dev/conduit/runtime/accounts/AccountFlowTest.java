package dev.conduit.runtime.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Auth;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.MovableClock;
import dev.conduit.runtime.invoke.AuthorizationCodeGrant;
import dev.conduit.runtime.invoke.ErrorCode;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.invoke.PrivateNetworkRule;
import dev.conduit.runtime.invoke.TokenManager;
import dev.conduit.runtime.invoke.Upstream;
import dev.conduit.runtime.store.Databases;
import dev.conduit.runtime.store.JdbcAccountStore;
import dev.conduit.runtime.store.SecretsAtRest;
import dev.conduit.seal.Opener;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.Sealer;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accounts flow against a real OAuth 2.0 server (mock-oauth2-server, refresh tokens rotated):
 * connect with state and PKCE, the callback's bad inputs, refresh before expiry with rotation,
 * invalid_grant, and two instances refreshing one account at once.
 */
class AccountFlowTest {

  static final String ORG = Fixtures.ORG;
  static final String SECRET = "client-secret-never-shown";

  @TempDir Path dir;

  MockOAuth2Server provider;
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-02T08:00:00Z"));
  final Clock clock = new MovableClock(now);
  final Upstream upstream = new Upstream(1 << 20);
  final List<Account> alerted = new CopyOnWriteArrayList<>();
  final Links links = new Links("http://conduit.test");
  final NextTokenAnswer nextTokenAnswer = new NextTokenAnswer();

  /**
   * The provider's next token-endpoint answer, once, instead of its own (an invalid_grant, a
   * response without the configured fields); every other request is the server's own.
   */
  static final class NextTokenAnswer implements Route {
    final AtomicReference<OAuth2HttpResponse> next = new AtomicReference<>();

    void set(int status, String json) {
      next.set(
          new OAuth2HttpResponse(
              Headers.of("Content-Type", "application/json"), status, json, null));
    }

    @Override
    public boolean match(OAuth2HttpRequest request) {
      return request.getMethod().equals("POST")
          && request.getUrl().encodedPath().endsWith("/token")
          && next.get() != null;
    }

    @Override
    public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
      return next.getAndSet(null);
    }
  }

  /** The cache's lifetime here: the runtime's default. */
  static final Duration LIFETIME = Duration.ofSeconds(5);

  AccountCache store;
  ConnectFlow flow;
  AccountTokens tokens;
  PreparedConnection c;

  @BeforeEach
  void start() throws Exception {
    provider =
        new MockOAuth2Server(
            new OAuth2Config(
                false,
                null,
                null,
                true,
                new OAuth2TokenProvider(),
                Set.of(),
                new MockWebServerWrapper(null)),
            nextTokenAnswer);
    provider.start();
    store = instance(Databases.h2(dir));
    AuthorizationCodeGrant grant = new AuthorizationCodeGrant(upstream, clock);
    flow = new ConnectFlow(store, grant, links, clock);
    tokens = new AccountTokens(store, grant, links, clock, alerted::add);
    c = connection(provider.tokenEndpointUrl("issuer").toString());
  }

  /** One runtime instance's account store on a database: the cache in front of it. */
  AccountCache instance(javax.sql.DataSource db) {
    return new AccountCache(
        new JdbcAccountStore(db, SecretsAtRest.of(Fixtures.KEYS.privateKeyset()), clock),
        clock,
        LIFETIME);
  }

  @AfterEach
  void stop() {
    provider.shutdown();
    upstream.close();
  }

  PreparedConnection connection(String tokenUrl) throws Exception {
    Auth.AuthorizationCode ac =
        new Auth.AuthorizationCode(
            provider.authorizationEndpointUrl("issuer").toString(),
            tokenUrl,
            "conduit-client",
            "{{connection.client_secret}}",
            List.of("openid", "profile"),
            "body",
            Auth.TokenResponse.DEFAULT,
            60,
            Auth.TokenExpired.DEFAULT,
            Map.of("access_type", "offline"),
            provider.revocationEndpointUrl("issuer").toString(),
            new Auth.AccountName("$.sub", provider.userInfoUrl("issuer").toString()));
    String sealed =
        new Sealer(Fixtures.KEYS.publicKey())
            .seal(SECRET, new SealContext(ORG, "acc", "client_secret"));
    Connection conn =
        new Connection(
            "acc",
            "Accounts",
            null,
            null,
            "alice",
            Connection.Notifications.DEFAULT,
            List.of("localhost", "127.0.0.1"),
            true,
            List.of(new Connection.Parameter("client_secret", true, null, sealed)),
            ac,
            null,
            List.of(),
            List.of("app-one"));
    return PreparedConnection.prepare(
        ORG, conn, new Opener(Fixtures.KEYS.privateKeyset()), PrivateNetworkRule.only(ORG));
  }

  /** The member's browser at the provider: it answers with a redirect to the callback. */
  Map<String, String> authorize(String url) throws Exception {
    try (HttpClient http =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(302, r.statusCode(), r.body());
      String location = r.headers().firstValue("Location").orElseThrow();
      assertTrue(location.startsWith(links.redirectUri("acc") + "?"), location);
      return query(URI.create(location).getRawQuery());
    }
  }

  static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    for (String pair : raw.split("&")) {
      String[] kv = pair.split("=", 2);
      q.put(
          URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return q;
  }

  /** The callback in carol's browser, signed in to Conduit (carol starts every connect here). */
  ConnectFlow.Result callback(Map<String, String> q) {
    return callbackIn("carol", q);
  }

  ConnectFlow.Result callbackIn(String signedIn, Map<String, String> q) {
    return flow.callback(
        "acc",
        q,
        signedIn,
        (org, id) -> org.equals(ORG) && id.equals("acc") ? Optional.of(c) : Optional.empty());
  }

  Account connect(String subject) throws Exception {
    provider.enqueueCallback(new DefaultOAuth2TokenCallback("issuer", subject));
    String url = flow.start(c, "carol", null, List.of("app-one"), null, false);
    ConnectFlow.Result r = callback(authorize(url));
    return assertInstanceOf(ConnectFlow.Result.Connected.class, r, r.toString()).account();
  }

  /** Requests the provider received from now on (drained), as "METHOD path body". */
  List<String> received() throws InterruptedException {
    List<String> out = new ArrayList<>();
    while (true) {
      RecordedRequest r;
      try {
        r = provider.takeRequest(200, TimeUnit.MILLISECONDS);
      } catch (RuntimeException none) {
        return out; // the server throws when no request came within the timeout
      }
      out.add(r.getMethod() + " " + r.getPath() + " " + r.getBody().readUtf8());
    }
  }

  @Test
  void aMemberConnectsWithStateAndPkceAndTheNameComesFromTheProvider() throws Exception {
    String url = flow.start(c, "carol", null, List.of("app-one"), null, false);
    Map<String, String> sent = query(URI.create(url).getRawQuery());
    assertEquals("code", sent.get("response_type"));
    assertEquals("S256", sent.get("code_challenge_method"));
    assertEquals(43, sent.get("code_challenge").length());
    assertEquals("openid profile", sent.get("scope"));
    assertEquals("offline", sent.get("access_type"), "the connection's extra parameters");
    assertEquals(links.redirectUri("acc"), sent.get("redirect_uri"));
    assertTrue(sent.get("state").length() >= 43);
    received();

    provider.enqueueCallback(new DefaultOAuth2TokenCallback("issuer", "carol-at-provider"));
    Map<String, String> back = authorize(url);
    ConnectFlow.Result r = callback(back);
    Account a = assertInstanceOf(ConnectFlow.Result.Connected.class, r, r.toString()).account();
    assertEquals(
        "carol-at-provider", a.name(), "the name read from the userinfo response at $.sub");
    assertEquals("carol", a.member());
    assertEquals(List.of("app-one"), a.applications());
    String exchange =
        received().stream()
            .filter(s -> s.contains("grant_type=authorization_code"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        exchange.contains("code_verifier="),
        "the PKCE verifier goes with the code (the server checks it)");
    assertTrue(tokens.token(c, a.id(), null).token().length() > 20);

    ConnectFlow.Result again = callback(back);
    assertEquals("Already used", assertInstanceOf(ConnectFlow.Result.Failed.class, again).title());
    assertEquals(1, store.list(ORG, "acc", null).size(), "a reused state adds nothing");
  }

  @Test
  void aConnectBroughtBackInAnotherPersonsBrowserConnectsNothing() throws Exception {
    // carol started it; the provider sent erin's browser back with erin's code
    Map<String, String> back = authorize(flow.start(c, "carol", null, List.of(), null, false));
    received();
    ConnectFlow.Result.Failed refused =
        assertInstanceOf(ConnectFlow.Result.Failed.class, callbackIn("erin", back));
    assertEquals(403, refused.status());
    assertTrue(refused.message().contains(links.connectPage(ORG, "acc")), refused.message());
    assertEquals(List.of(), store.list(ORG, "acc", null), "no account for carol");
    assertTrue(
        received().stream().noneMatch(r -> r.contains("grant_type=authorization_code")),
        "the code was not exchanged");
    assertEquals(
        "Already used",
        assertInstanceOf(ConnectFlow.Result.Failed.class, callback(back)).title(),
        "the state is spent: carol's own browser cannot finish the lured one either");
  }

  @Test
  void aBadCallbackSaysWhatHappenedAndLeavesNoAccount() throws Exception {
    ConnectFlow.Result.Failed unknown =
        assertInstanceOf(
            ConnectFlow.Result.Failed.class, callback(Map.of("state", "forged", "code", "x")));
    assertEquals("Unknown request", unknown.title());

    String url = flow.start(c, "carol", "mine", List.of(), null, false);
    String state = query(URI.create(url).getRawQuery()).get("state");
    ConnectFlow.Result.Failed denied =
        assertInstanceOf(
            ConnectFlow.Result.Failed.class,
            callback(
                Map.of(
                    "state",
                    state,
                    "error",
                    "access_denied",
                    "error_description",
                    "the user said no")));
    assertEquals(403, denied.status());
    assertTrue(
        denied.message().contains("the user said no")
            && denied.message().contains(links.connectPage(ORG, "acc")),
        denied.message());

    String late = flow.start(c, "carol", "mine", List.of(), null, false);
    Map<String, String> lateBack = authorize(late);
    now.set(now.get().plus(Duration.ofMinutes(11)));
    assertEquals(
        "Expired", assertInstanceOf(ConnectFlow.Result.Failed.class, callback(lateBack)).title());

    Map<String, String> back = authorize(flow.start(c, "carol", "mine", List.of(), null, false));
    nextTokenAnswer.set(200, "{\"token_type\":\"Bearer\"}");
    ConnectFlow.Result.Failed incomplete =
        assertInstanceOf(ConnectFlow.Result.Failed.class, callback(back));
    assertEquals("The provider's answer is incomplete", incomplete.title());
    assertTrue(incomplete.message().contains("$.access_token"), incomplete.message());

    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PreparedConnection working = c;
    c = connection("http://127.0.0.1:" + port + "/token"); // nothing listens there
    Map<String, String> downBack =
        authorize(flow.start(c, "carol", "mine", List.of(), null, false));
    ConnectFlow.Result.Failed down =
        assertInstanceOf(ConnectFlow.Result.Failed.class, callback(downBack));
    assertEquals("The provider cannot be reached", down.title());
    assertTrue(!down.message().contains(SECRET), down.message());
    c = working;
    assertEquals(List.of(), store.list(ORG, "acc", null), "no partial account");
  }

  @Test
  void tokensAreRefreshedBeforeExpiryWithTheRotatedRefreshTokenStoredWithThem() throws Exception {
    Account a = connect("carol-1");
    Account.Tokens first = store.tokens(a.id()).orElseThrow();
    String token = tokens.token(c, a.id(), null).token();
    assertEquals(first.accessToken(), token, "a fresh token is used as it is");
    received();
    now.set(first.expiresAt().minusSeconds(30)); // within refreshBeforeSeconds (60)
    String refreshed = tokens.token(c, a.id(), null).token();
    assertNotEquals(token, refreshed);
    Account.Tokens second = store.tokens(a.id()).orElseThrow();
    assertEquals(refreshed, second.accessToken());
    assertNotEquals(
        first.refreshToken(), second.refreshToken(), "the rotated refresh token is stored");
    List<String> calls = received();
    assertEquals(
        1,
        calls.stream().filter(s -> s.contains("grant_type=refresh_token")).count(),
        calls.toString());
    assertTrue(
        calls.getFirst().contains(URLEncoderLite.enc(first.refreshToken())),
        "the old refresh token was sent");
    // the upstream calls the current token expired: the next call refreshes again
    String third = tokens.token(c, a.id(), refreshed).token();
    assertNotEquals(refreshed, third);
  }

  @Test
  void invalidGrantMarksTheAccountAndCallsNameTheConnectPage() throws Exception {
    Account a = connect("carol-2");
    now.set(now.get().plus(Duration.ofHours(2)));
    nextTokenAnswer.set(
        400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token revoked\"}");
    TokenManager.TokenException e =
        assertThrows(TokenManager.TokenException.class, () -> tokens.token(c, a.id(), null));
    assertEquals(ErrorCode.ACCOUNT_NOT_AUTHORIZED, e.code());
    assertTrue(e.getMessage().contains(links.connectPage(ORG, "acc")), e.getMessage());
    assertEquals(
        Account.State.NEEDS_REAUTHORIZATION, store.find(ORG, "acc", a.id()).orElseThrow().state());
    assertEquals(
        List.of(a.id()),
        alerted.stream().map(Account::id).toList(),
        "the member and the owner are alerted");
    received();
    assertEquals(
        ErrorCode.ACCOUNT_NOT_AUTHORIZED,
        assertThrows(TokenManager.TokenException.class, () -> tokens.token(c, a.id(), null))
            .code());
    assertEquals(List.of(), received(), "nothing more is sent to the provider");

    // re-authorizing gives the same account new tokens
    String url = flow.start(c, "carol", null, List.of(), a.id(), true);
    ConnectFlow.Result r = callback(authorize(url));
    assertTrue(assertInstanceOf(ConnectFlow.Result.Connected.class, r).reauthorized());
    assertEquals(Account.State.ACTIVE, store.find(ORG, "acc", a.id()).orElseThrow().state());
    assertTrue(tokens.token(c, a.id(), null).token().length() > 20);
  }

  @Test
  void twoInstancesRefreshingOneAccountSendOneRefresh() throws Exception {
    refreshConcurrently(connect("carol-3"), instance(Databases.h2(dir)));
  }

  @Test
  void twoInstancesOnOnePostgresqlSendOneRefresh() throws Exception {
    String schema = Databases.newPostgresSchema();
    org.junit.jupiter.api.Assumptions.assumeTrue(schema != null, Databases.skipMessage());
    java.util.function.Supplier<AccountCache> instance = () -> instance(Databases.postgres(schema));
    store = instance.get();
    AuthorizationCodeGrant grant = new AuthorizationCodeGrant(upstream, clock);
    flow = new ConnectFlow(store, grant, links, clock);
    tokens = new AccountTokens(store, grant, links, clock, alerted::add);
    refreshConcurrently(connect("carol-4"), instance.get());
  }

  @Test
  void thisInstanceForgetsAChangeAtOnceAndAnotherNoticesItWithinTheCacheLifetime()
      throws Exception {
    AuthorizationCodeGrant grant = new AuthorizationCodeGrant(upstream, clock);
    Accounts here = new Accounts(store, flow, tokens, grant, links);
    AccountCache otherStore = instance(Databases.h2(dir));
    AccountTokens otherTokens = new AccountTokens(otherStore, grant, links, clock, x -> {});
    Accounts other =
        new Accounts(
            otherStore,
            new ConnectFlow(otherStore, grant, links, clock),
            otherTokens,
            grant,
            links);
    Account a = connect("carol-5");
    String token = otherTokens.token(c, a.id(), null).token();
    assertEquals(a.id(), other.forApplication(c, "app-one", a.id()).id());
    assertEquals(a.id(), here.forApplication(c, "app-one", a.id()).id());

    // the member takes app-one's consent back on this instance: refused here at once
    store.allow(a.id(), List.of());
    assertEquals(
        403,
        assertThrows(Accounts.Refused.class, () -> here.forApplication(c, "app-one", a.id()))
            .status());
    // the other instance serves from its memory until the lifetime ends, then refuses too
    now.set(now.get().plus(LIFETIME).minusMillis(1));
    assertEquals(a.id(), other.forApplication(c, "app-one", a.id()).id(), "within the bound");
    now.set(now.get().plusMillis(1));
    assertEquals(
        403,
        assertThrows(Accounts.Refused.class, () -> other.forApplication(c, "app-one", a.id()))
            .status(),
        "a consent taken back on another instance is noticed within " + LIFETIME);

    // removed on this instance: its token is refused here at once, there after the lifetime
    store.allow(a.id(), List.of("app-one"));
    assertEquals(token, otherTokens.token(c, a.id(), null).token());
    store.delete(a.id());
    assertEquals(
        ErrorCode.ACCOUNT_NOT_AUTHORIZED,
        assertThrows(TokenManager.TokenException.class, () -> tokens.token(c, a.id(), null))
            .code());
    assertEquals(token, otherTokens.token(c, a.id(), null).token(), "within the bound");
    now.set(now.get().plus(LIFETIME));
    assertEquals(
        ErrorCode.ACCOUNT_NOT_AUTHORIZED,
        assertThrows(TokenManager.TokenException.class, () -> otherTokens.token(c, a.id(), null))
            .code(),
        "an account removed on another instance is refused within " + LIFETIME);
    assertEquals(
        403,
        assertThrows(Accounts.Refused.class, () -> other.forApplication(c, "app-one", a.id()))
            .status());
  }

  @Test
  void aCachedAccountIsNotSeenFromAnotherOrganizationOrConnection() throws Exception {
    Account a = connect("carol-6");
    assertTrue(store.current(ORG, "acc", a.id()).isPresent());
    assertTrue(store.current("another-org", "acc", a.id()).isEmpty());
    assertTrue(store.current(ORG, "another-connection", a.id()).isEmpty());
    assertTrue(store.current(ORG, "acc", "no-such-account").isEmpty());
  }

  /**
   * Eight calls at once, half on this instance and half on another one with its own store on the
   * same database.
   */
  void refreshConcurrently(Account a, AccountCache otherStore) throws Exception {
    Upstream otherUpstream = new Upstream(1 << 20);
    AccountTokens other =
        new AccountTokens(
            otherStore, new AuthorizationCodeGrant(otherUpstream, clock), links, clock, x -> {});
    received();
    now.set(now.get().plus(Duration.ofHours(2)));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      AccountTokens t = i % 2 == 0 ? tokens : other;
      results.add(pool.submit((Callable<String>) () -> t.token(c, a.id(), null).token()));
    }
    List<String> got = new ArrayList<>();
    for (Future<String> f : results) {
      got.add(f.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();
    otherUpstream.close();
    assertEquals(1, got.stream().distinct().count(), "every call got the one refreshed token");
    List<String> calls = received();
    assertEquals(
        1,
        calls.stream().filter(s -> s.contains("grant_type=refresh_token")).count(),
        calls.toString());
  }

  /** Form encoding as the grant client writes it. */
  static final class URLEncoderLite {
    static String enc(String s) {
      return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
  }
}
