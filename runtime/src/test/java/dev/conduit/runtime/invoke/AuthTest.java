package dev.conduit.runtime.invoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.conduit.runtime.invoke.Build.api;
import static dev.conduit.runtime.invoke.Build.connection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.conduit.bundle.Auth;
import dev.conduit.runtime.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every auth kind against a real local upstream, and the life of a client-credentials token. */
class AuthTest {

  static Engine e;
  static final String CLIENT_SECRET = "cs-AUTH-5521";

  @BeforeAll
  static void start() throws Exception {
    e = new Engine();
  }

  @AfterAll
  static void stop() {
    e.close();
  }

  @BeforeEach
  void reset() {
    e.reset();
  }

  static Outcome.Success ok(Outcome o) {
    return assertInstanceOf(Outcome.Success.class, o, () -> String.valueOf(o));
  }

  static Outcome.Failure failed(Outcome o, ErrorCode code) {
    Outcome.Failure f =
        assertInstanceOf(Outcome.Failure.class, o, () -> "expected " + code + ", got " + o);
    assertEquals(code, f.code(), f.message());
    return f;
  }

  /** A client-credentials connection (form parameters, POST) with two APIs sharing the token. */
  static Build.ConnectionBuilder cc(Integer expiresIn, Auth.TokenExpired expired) {
    return connection("cc")
        .param("base", e.base)
        .param("client_id", "cid")
        .hidden("client_secret", CLIENT_SECRET)
        .auth(
            Build.clientCredentials(
                "{{connection.base}}/oauth/token",
                "POST",
                "form",
                Map.of(
                    "grant_type",
                    "client_credentials",
                    "client_id",
                    "{{connection.client_id}}",
                    "client_secret",
                    "{{connection.client_secret}}"),
                Map.of(),
                expiresIn,
                30,
                expired))
        .api(
            api("data", "GET", "{{connection.base}}/data")
                .header("Authorization", "Bearer {{auth.access_token}}")
                .output(Build.output("value", "$.value", dev.conduit.bundle.Api.OutputType.Text)))
        .api(
            api("other", "GET", "{{connection.base}}/other")
                .header("Authorization", "Bearer {{auth.access_token}}"));
  }

  static void token(String token, int expiresIn) {
    e.upstream.stubFor(
        post(urlEqualTo("/oauth/token"))
            .willReturn(
                okJson("{\"access_token\":\"" + token + "\",\"expires_in\":" + expiresIn + "}")));
  }

  /** Token endpoint answers token-1, token-2, ... in turn. */
  static void tokensInTurn(int count) {
    for (int i = 1; i <= count; i++) {
      e.upstream.stubFor(
          post(urlEqualTo("/oauth/token"))
              .inScenario("turn")
              .whenScenarioStateIs(i == 1 ? Scenario.STARTED : "t" + i)
              .willReturn(okJson("{\"access_token\":\"token-" + i + "\",\"expires_in\":3600}"))
              .willSetStateTo("t" + (i + 1)));
    }
  }

  static void data() {
    e.upstream.stubFor(get(urlEqualTo("/data")).willReturn(okJson("{\"value\":\"v\"}")));
    e.upstream.stubFor(get(urlEqualTo("/other")).willReturn(okJson("{}")));
  }

  static int tokenRequests() {
    return e.upstream.findAll(postRequestedFor(urlEqualTo("/oauth/token"))).size();
  }

  @Nested
  class NoneAndBasic {

    @Test
    void apiKeyConnectionsPutTheKeyWhereTheTemplateSaysAndAddNothing() throws Exception {
      e.upstream.stubFor(get(urlPathEqualTo("/k")).willReturn(okJson("{}")));
      PreparedConnection c =
          e.prepare(
              connection("k")
                  .param("base", e.base)
                  .hidden("key", "ak-NONE-1234")
                  .api(
                      api("k", "GET", "{{connection.base}}/k")
                          .query("appkey", "{{connection.key}}")));
      ok(e.invoke(c, "k", Map.of()));
      e.upstream.verify(
          getRequestedFor(urlPathEqualTo("/k"))
              .withQueryParam("appkey", equalTo("ak-NONE-1234"))
              .withHeader("Authorization", absent()));
    }

    @Test
    void basicSendsTheAuthorizationHeaderFromItsTemplatesAndRecordsItMasked() throws Exception {
      e.upstream.stubFor(get(urlEqualTo("/who")).willReturn(okJson("{\"user\":\"svc\"}")));
      PreparedConnection c =
          e.prepare(
              connection("b")
                  .param("base", e.base)
                  .param("user", "svc")
                  .hidden("pw", "pw-BASIC-9876")
                  .auth(new Auth.Basic("{{connection.user}}", "{{connection.pw}}"))
                  .api(api("who", "GET", "{{connection.base}}/who")));
      Outcome.Success s = ok(e.invoke(c, "who", Map.of()));
      e.upstream.verify(
          getRequestedFor(urlEqualTo("/who"))
              .withBasicAuth(new BasicCredentials("svc", "pw-BASIC-9876")));
      assertEquals(List.of("******"), s.exchange().request().headers().get("Authorization"));
    }
  }

  @Nested
  class ClientCredentials {

    @Test
    void theTokenRequestIsTheConfiguredOneInEachParameterPlacement() throws Exception {
      e.upstream.stubFor(
          post(urlEqualTo("/oauth/token")).willReturn(okJson("{\"access_token\":\"t-form\"}")));
      e.upstream.stubFor(
          get(urlPathEqualTo("/oauth/token")).willReturn(okJson("{\"access_token\":\"t-query\"}")));
      e.upstream.stubFor(
          post(urlEqualTo("/oauth/json"))
              .willReturn(okJson("{\"data\":{\"token\":\"t-json\"},\"ttl\":60}")));
      e.upstream.stubFor(get(urlEqualTo("/data")).willReturn(okJson("{}")));
      Map<String, String> params =
          Map.of(
              "client_id",
              "{{connection.client_id}}",
              "client_secret",
              "{{connection.client_secret}}");
      for (String[] way :
          List.of(
              new String[] {"POST", "form", "/oauth/token"},
              new String[] {"GET", "query", "/oauth/token"},
              new String[] {"POST", "json", "/oauth/json"})) {
        Auth.ClientCredentials auth =
            new Auth.ClientCredentials(
                "{{connection.base}}" + way[2],
                way[0],
                params,
                way[1],
                Map.of("X-Tenant", "{{connection.tenant}}"),
                way[1].equals("json")
                    ? new Auth.TokenResponse("$.data.token", "$.ttl", null)
                    : Auth.TokenResponse.DEFAULT,
                null,
                30,
                Auth.TokenExpired.DEFAULT);
        PreparedConnection c =
            e.prepare(
                connection("cc-" + way[1])
                    .param("base", e.base)
                    .param("client_id", "cid")
                    .param("tenant", "acme")
                    .hidden("client_secret", CLIENT_SECRET)
                    .auth(auth)
                    .api(
                        api("data", "GET", "{{connection.base}}/data")
                            .header("Authorization", "Bearer {{auth.access_token}}")));
        ok(e.invoke(c, "data", Map.of()));
        e.upstream.verify(
            getRequestedFor(urlEqualTo("/data"))
                .withHeader("Authorization", equalTo("Bearer t-" + way[1])));
      }
      e.upstream.verify(
          postRequestedFor(urlEqualTo("/oauth/token"))
              .withHeader("X-Tenant", equalTo("acme"))
              .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
              .withRequestBody(containing("client_id=cid"))
              .withRequestBody(containing("client_secret=" + CLIENT_SECRET)));
      e.upstream.verify(
          getRequestedFor(urlPathEqualTo("/oauth/token"))
              .withHeader("X-Tenant", equalTo("acme"))
              .withQueryParam("client_id", equalTo("cid"))
              .withQueryParam("client_secret", equalTo(CLIENT_SECRET)));
      e.upstream.verify(
          postRequestedFor(urlEqualTo("/oauth/json"))
              .withHeader("X-Tenant", equalTo("acme"))
              .withRequestBody(
                  equalToJson(
                      "{\"client_id\":\"cid\",\"client_secret\":\"" + CLIENT_SECRET + "\"}")));
    }

    @Test
    void theTokenIsCachedPerConnectionAndSharedByItsApis() throws Exception {
      token("tok-A", 3600);
      data();
      PreparedConnection c = e.prepare(cc(null, Auth.TokenExpired.DEFAULT));
      assertEquals("v", ok(e.invoke(c, "data", Map.of())).data().get("value"));
      ok(e.invoke(c, "other", Map.of()));
      ok(e.invoke(c, "data", Map.of()));
      assertEquals(1, tokenRequests());
      e.upstream.verify(
          2,
          getRequestedFor(urlPathEqualTo("/data"))
              .withHeader("Authorization", equalTo("Bearer tok-A")));
      e.upstream.verify(
          1,
          getRequestedFor(urlPathEqualTo("/other"))
              .withHeader("Authorization", equalTo("Bearer tok-A")));
    }

    @Test
    void fiftyConcurrentCallsOnAColdCacheMakeExactlyOneTokenRequest() throws Exception {
      e.upstream.stubFor(
          post(urlEqualTo("/oauth/token"))
              .willReturn(
                  okJson("{\"access_token\":\"tok-C\",\"expires_in\":3600}").withFixedDelay(300)));
      data();
      PreparedConnection c = e.prepare(cc(null, Auth.TokenExpired.DEFAULT));
      for (Outcome o : concurrently(50, i -> e.invoker.invoke(c, c.api("data"), Map.of()))) {
        ok(o);
      }
      assertEquals(1, tokenRequests());
      assertEquals(
          50,
          e.upstream
              .findAll(
                  getRequestedFor(urlEqualTo("/data"))
                      .withHeader("Authorization", equalTo("Bearer tok-C")))
              .size());
    }

    @Test
    void twoRuntimeInstancesSharingTheStoreMakeOneTokenRequest() throws Exception {
      e.upstream.stubFor(
          post(urlEqualTo("/oauth/token"))
              .willReturn(
                  okJson("{\"access_token\":\"tok-S\",\"expires_in\":3600}").withFixedDelay(300)));
      data();
      PreparedConnection c = e.prepare(cc(null, Auth.TokenExpired.DEFAULT));
      Invoker a = e.invoker;
      Invoker b = e.otherInstance();
      for (Outcome o :
          concurrently(40, i -> (i % 2 == 0 ? a : b).invoke(c, c.api("data"), Map.of()))) {
        ok(o);
      }
      assertEquals(1, tokenRequests());
    }

    @Test
    void anInstanceWaitsForTheLeaseHoldersTokenAndTakesOverWhenItGivesUp() throws Exception {
      token("tok-own", 3600);
      data();
      PreparedConnection c = e.prepare(cc(null, Auth.TokenExpired.DEFAULT));
      // another instance holds the lease and stores its token after 200 ms
      assertTrue(e.store.tryLease(Fixtures.ORG, "cc", "", Duration.ofSeconds(15)));
      Thread holder =
          Thread.ofVirtual()
              .start(
                  () -> {
                    sleep(200);
                    e.store.put(
                        Fixtures.ORG,
                        "cc",
                        "",
                        new TokenStore.StoredToken("tok-theirs", e.now.get().plusSeconds(3600)));
                    e.store.releaseLease(Fixtures.ORG, "cc", "");
                  });
      ok(e.invoke(c, "data", Map.of()));
      holder.join();
      assertEquals(0, tokenRequests(), "the holder's token was used");
      e.upstream.verify(
          getRequestedFor(urlEqualTo("/data"))
              .withHeader("Authorization", equalTo("Bearer tok-theirs")));

      // a holder that gives up (releases without a token): the waiting instance fetches at once
      e.reset();
      token("tok-own", 3600);
      data();
      PreparedConnection fresh = e.prepare(cc(null, Auth.TokenExpired.DEFAULT));
      assertTrue(e.store.tryLease(Fixtures.ORG, "cc", "", Duration.ofSeconds(15)));
      Thread quitter =
          Thread.ofVirtual()
              .start(
                  () -> {
                    sleep(200);
                    e.store.releaseLease(Fixtures.ORG, "cc", "");
                  });
      Outcome o = e.invoke(fresh, "data", Map.of());
      quitter.join();
      ok(o);
      assertTrue(o.exchange().durationMillis() < 5000, "did not wait for the whole lease");
      assertEquals(1, tokenRequests());
    }

    @Test
    void aTokenIsRefreshedRefreshBeforeSecondsBeforeItExpires() throws Exception {
      e.upstream.stubFor(
          post(urlEqualTo("/oauth/token"))
              .inScenario("expiry")
              .whenScenarioStateIs(Scenario.STARTED)
              .willReturn(okJson("{\"access_token\":\"tok-old\",\"expires_in\":120}"))
              .willSetStateTo("second"));
      e.upstream.stubFor(
          post(urlEqualTo("/oauth/token"))
              .inScenario("expiry")
              .whenScenarioStateIs("second")
              .willReturn(okJson("{\"access_token\":\"tok-new\",\"expires_in\":120}")));
      data();
      PreparedConnection c = e.prepare(cc(null, Auth.TokenExpired.DEFAULT));
      ok(e.invoke(c, "data", Map.of()));
      e.now.set(e.now.get().plusSeconds(60)); // 60 s left: more than refreshBeforeSeconds (30)
      ok(e.invoke(c, "data", Map.of()));
      assertEquals(1, tokenRequests());
      e.now.set(e.now.get().plusSeconds(35)); // 25 s left: refresh now
      ok(e.invoke(c, "data", Map.of()));
      assertEquals(2, tokenRequests());
      e.upstream.verify(
          getRequestedFor(urlEqualTo("/data"))
              .withHeader("Authorization", equalTo("Bearer tok-new")));
    }

    @Test
    void theConfiguredLifetimeShortensTheResponsesAndOneHourIsTheDefault() throws Exception {
      token("tok-long", 7200);
      data();
      PreparedConnection c = e.prepare(cc(100, Auth.TokenExpired.DEFAULT));
      ok(e.invoke(c, "data", Map.of()));
      e.now.set(e.now.get().plusSeconds(75)); // 25 s left of the configured 100
      ok(e.invoke(c, "data", Map.of()));
      assertEquals(2, tokenRequests());

      e.reset();
      e.upstream.stubFor(
          post(urlEqualTo("/oauth/token")).willReturn(okJson("{\"access_token\":\"tok-x\"}")));
      data();
      PreparedConnection d = e.prepare(cc(null, Auth.TokenExpired.DEFAULT));
      ok(e.invoke(d, "data", Map.of()));
      e.now.set(e.now.get().plusSeconds(3500));
      ok(e.invoke(d, "data", Map.of()));
      assertEquals(1, tokenRequests());
      e.now.set(e.now.get().plusSeconds(80)); // 20 s left of the hour
      ok(e.invoke(d, "data", Map.of()));
      assertEquals(2, tokenRequests());
    }

    @Test
    void a401RefreshesTheTokenOnceAndRetriesOnce() throws Exception {
      tokensInTurn(3);
      e.upstream.stubFor(
          get(urlEqualTo("/data"))
              .withHeader("Authorization", equalTo("Bearer token-1"))
              .willReturn(aResponse().withStatus(401)));
      e.upstream.stubFor(
          get(urlEqualTo("/data"))
              .withHeader("Authorization", equalTo("Bearer token-2"))
              .willReturn(okJson("{\"value\":\"fresh\"}")));
      PreparedConnection c = e.prepare(cc(null, Auth.TokenExpired.DEFAULT));
      Outcome.Success s = ok(e.invoke(c, "data", Map.of()));
      assertEquals("fresh", s.data().get("value"));
      assertTrue(s.exchange().tokenRefreshed());
      assertEquals(2, tokenRequests());
      e.upstream.verify(2, getRequestedFor(urlEqualTo("/data")));
      // the new token is cached: the next call needs no token request
      ok(e.invoke(c, "data", Map.of()));
      assertEquals(2, tokenRequests());
    }

    @Test
    void aRetryThatFailsAgainIsReturnedNotRetriedAgain() throws Exception {
      tokensInTurn(5);
      e.upstream.stubFor(
          get(urlEqualTo("/data"))
              .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid_token\"}")));
      PreparedConnection c = e.prepare(cc(null, Auth.TokenExpired.DEFAULT));
      Outcome.Failure f = failed(e.invoke(c, "data", Map.of()), ErrorCode.UPSTREAM_ERROR);
      assertEquals(502, f.status());
      assertTrue(
          f.message().contains("again with a new token") && f.message().contains("401"),
          f.message());
      assertTrue(f.exchange().tokenRefreshed());
      assertEquals(2, tokenRequests());
      e.upstream.verify(2, getRequestedFor(urlEqualTo("/data")));
    }

    @Test
    void aRetryThatTimesOutIsRecordedAsItsOwnRequestWithoutTheFirstAnswer() throws Exception {
      tokensInTurn(3);
      e.upstream.stubFor(
          get(urlEqualTo("/slow"))
              .withHeader("Authorization", equalTo("Bearer token-1"))
              .willReturn(aResponse().withStatus(401)));
      e.upstream.stubFor(
          get(urlEqualTo("/slow"))
              .withHeader("Authorization", equalTo("Bearer token-2"))
              .willReturn(okJson("{}").withFixedDelay(2000)));
      PreparedConnection c =
          e.prepare(
              cc(null, Auth.TokenExpired.DEFAULT)
                  .api(
                      api("slow", "GET", "{{connection.base}}/slow")
                          .header("Authorization", "Bearer {{auth.access_token}}")
                          .timeout(1)));
      Outcome.Failure f = failed(e.invoke(c, "slow", Map.of()), ErrorCode.UPSTREAM_TIMEOUT);
      assertTrue(f.exchange().tokenRefreshed());
      assertEquals(List.of("******"), f.exchange().request().headers().get("Authorization"));
      assertNull(
          f.exchange().response(),
          "the 401 of the first attempt is not shown as the retry's answer");
    }

    @Test
    void weComSaysTheTokenExpiredWithA200AndABodyValue() throws Exception {
      Auth.TokenExpired wecom =
          new Auth.TokenExpired(List.of(), "$.errcode", List.of(42001, 40014));
      tokensInTurn(5);
      e.upstream.stubFor(
          get(urlEqualTo("/data"))
              .withHeader("Authorization", equalTo("Bearer token-1"))
              .willReturn(okJson("{\"errcode\":42001,\"errmsg\":\"access_token expired\"}")));
      e.upstream.stubFor(
          get(urlEqualTo("/data"))
              .withHeader("Authorization", equalTo("Bearer token-2"))
              .willReturn(okJson("{\"errcode\":0,\"value\":\"Zhang San\"}")));
      PreparedConnection c = e.prepare(cc(null, wecom));
      Outcome.Success s = ok(e.invoke(c, "data", Map.of()));
      assertEquals("Zhang San", s.data().get("value"));
      assertTrue(s.exchange().tokenRefreshed());
      assertEquals(2, tokenRequests());
      e.upstream.verify(2, getRequestedFor(urlEqualTo("/data")));

      // the upstream keeps saying so: one refresh, one retry, then a clear error
      e.reset();
      tokensInTurn(5);
      e.upstream.stubFor(
          get(urlEqualTo("/data"))
              .willReturn(okJson("{\"errcode\":40014,\"errmsg\":\"invalid access_token\"}")));
      PreparedConnection again = e.prepare(cc(null, wecom));
      Outcome.Failure f = failed(e.invoke(again, "data", Map.of()), ErrorCode.UPSTREAM_ERROR);
      assertTrue(f.message().contains("invalid access_token"), f.message());
      assertEquals(2, tokenRequests());
      e.upstream.verify(2, getRequestedFor(urlEqualTo("/data")));
      // another errcode is an answer like any other
      e.reset();
      tokensInTurn(2);
      e.upstream.stubFor(
          get(urlEqualTo("/data"))
              .willReturn(okJson("{\"errcode\":60111,\"value\":\"no such user\"}")));
      assertEquals(
          "no such user",
          ok(e.invoke(e.prepare(cc(null, wecom)), "data", Map.of())).data().get("value"));
      assertEquals(1, tokenRequests());
    }

    @Test
    void aFailingTokenEndpointIsAClearErrorWithoutTheSecret() throws Exception {
      e.upstream.stubFor(
          post(urlEqualTo("/oauth/token"))
              .willReturn(
                  aResponse()
                      .withStatus(400)
                      .withBody(
                          "{\"error\":\"invalid_client\",\"echo\":\"" + CLIENT_SECRET + "\"}")));
      data();
      Outcome.Failure f =
          failed(
              e.invoke(e.prepare(cc(null, Auth.TokenExpired.DEFAULT)), "data", Map.of()),
              ErrorCode.TOKEN_REQUEST_FAILED);
      assertEquals(502, f.status());
      assertTrue(
          f.message()
              .startsWith(
                  "the token endpoint answered 400 without an access token at $['access_token']: "
                      + "{\"error\":\"invalid_client\",\"echo\":\"******\"}"),
          f.message());
      assertFalse(f.exchange().request().body().contains(CLIENT_SECRET));
      assertFalse(f.exchange().response().body().contains(CLIENT_SECRET));
      e.upstream.verify(0, getRequestedFor(urlEqualTo("/data")));
    }
  }

  @Nested
  class ConnectionOperations {

    @Test
    void getAccessTokenFetchesANewTokenAndShowsTheResponseMasked() throws Exception {
      tokensInTurn(3);
      data();
      PreparedConnection c = e.prepare(cc(null, Auth.TokenExpired.DEFAULT));
      ok(e.invoke(c, "data", Map.of()));
      Outcome.Success s = ok(e.invoker.getAccessToken(c));
      assertEquals("******", s.data().get("access_token"));
      assertEquals(3600L, s.data().get("expiresInSeconds"));
      assertEquals(e.now.get().plusSeconds(3600).toString(), s.data().get("expiresAt"));
      assertEquals(
          "{\"access_token\":\"******\",\"expires_in\":3600}", s.exchange().response().body());
      assertEquals(2, tokenRequests(), "fetched although one was cached");
      // the new token replaces the cached one
      ok(e.invoke(c, "data", Map.of()));
      e.upstream.verify(
          getRequestedFor(urlEqualTo("/data"))
              .withHeader("Authorization", equalTo("Bearer token-2")));
      assertEquals(2, tokenRequests());

      PreparedConnection none =
          e.prepare(connection("n").api(api("a", "GET", "http://127.0.0.1/")));
      assertEquals(
          409, failed(e.invoker.getAccessToken(none), ErrorCode.NOT_CLIENT_CREDENTIALS).status());
    }

    @Test
    void authValuesHandOutTheCurrentValuesAndLogThemMasked() throws Exception {
      token("tok-H", 3600);
      PreparedConnection c = e.prepare(cc(null, Auth.TokenExpired.DEFAULT));
      Invoker.AuthValues v = e.invoker.authValues(c, TokenManager.CONNECTION_ACCOUNT);
      assertEquals("tok-H", v.values().get("access_token"));
      assertEquals(e.now.get().plusSeconds(3600).toString(), v.values().get("expiresAt"));
      Outcome.Success logged = ok(v.outcome());
      assertEquals("******", logged.data().get("access_token"));
      assertTrue(logged.exchange().response().body().contains("******"));
      assertEquals(1, tokenRequests());
      assertEquals("tok-H", e.invoker.authValues(c, "").values().get("access_token"));
      assertEquals(1, tokenRequests(), "the cached token is handed out");

      PreparedConnection basic =
          e.prepare(
              connection("b")
                  .param("user", "svc")
                  .hidden("pw", "pw-HAND-3456")
                  .auth(new Auth.Basic("{{connection.user}}", "{{connection.pw}}")));
      Invoker.AuthValues b = e.invoker.authValues(basic, "");
      assertEquals(Map.of("username", "svc", "password", "pw-HAND-3456"), b.values());
      assertEquals(Map.of("username", "svc", "password", "******"), ok(b.outcome()).data());
      assertEquals(Map.of(), e.invoker.authValues(e.prepare(connection("n")), "").values());

      e.upstream.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(503)));
      Invoker.AuthValues failedHandOut =
          e.invoker.authValues(
              e.prepare(
                  connection("cc-down")
                      .param("base", e.base)
                      .auth(
                          Build.clientCredentials(
                              "{{connection.base}}/oauth/token",
                              "POST",
                              "form",
                              Map.of(),
                              Map.of(),
                              null,
                              30,
                              Auth.TokenExpired.DEFAULT))),
              "");
      assertEquals(Map.of(), failedHandOut.values());
      failed(failedHandOut.outcome(), ErrorCode.TOKEN_REQUEST_FAILED);
    }

    @Test
    void authorizationCodeConnectionsUseTheCallingAccountsToken() throws Exception {
      e.upstream.stubFor(get(urlEqualTo("/me")).willReturn(okJson("{\"name\":\"alice\"}")));
      Auth.AuthorizationCode ac =
          new Auth.AuthorizationCode(
              e.base + "/authorize",
              "{{connection.base}}/token",
              "cid",
              "{{connection.cs}}",
              List.of("read"),
              "body",
              Auth.TokenResponse.DEFAULT,
              60,
              Auth.TokenExpired.DEFAULT,
              null,
              null,
              null);
      PreparedConnection c =
          e.prepare(
              connection("ac")
                  .param("base", e.base)
                  .hidden("cs", CLIENT_SECRET)
                  .auth(ac)
                  .api(
                      api("me", "GET", "{{connection.base}}/me")
                          .header("Authorization", "Bearer {{auth.access_token}}")));
      Instant in1h = e.now.get().plusSeconds(3600);
      // not "tok-alice": WireMock's Jetty caches header lines per connection and matches them
      // case-insensitively, so after "Bearer tok-A" on a kept-alive connection it would record
      // "Bearer tok-alice" as "Bearer tok-Alice"
      e.store.put(Fixtures.ORG, "ac", "alice", new TokenStore.StoredToken("alices-token", in1h));
      ok(e.invoker.invoke(c, c.api("me"), Map.of(), "alice"));
      e.upstream.verify(
          getRequestedFor(urlEqualTo("/me"))
              .withHeader("Authorization", equalTo("Bearer alices-token")));
      Outcome.Failure bob =
          failed(
              e.invoker.invoke(c, c.api("me"), Map.of(), "bob"), ErrorCode.ACCOUNT_NOT_AUTHORIZED);
      assertTrue(bob.message().contains("\"bob\""), bob.message());
      assertEquals(
          409, failed(e.invoke(c, "me", Map.of()), ErrorCode.ACCOUNT_NOT_AUTHORIZED).status());
      assertNull(e.store.get(Fixtures.ORG, "ac", "").orElse(null), "accounts do not share tokens");
    }
  }

  interface Call {
    Outcome run(int i) throws Exception;
  }

  static List<Outcome> concurrently(int n, Call call) throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Callable<Outcome>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        calls.add(() -> call.run(k));
      }
      List<Outcome> out = new ArrayList<>();
      for (Future<Outcome> f : pool.invokeAll(calls)) {
        out.add(f.get());
      }
      return out;
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }
}
