package it.dev.conduit.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.unauthorized;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static it.dev.conduit.runtime.ItSupport.FIXTURE;
import static it.dev.conduit.runtime.ItSupport.basic;
import static it.dev.conduit.runtime.ItSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import it.dev.conduit.runtime.ItSupport.Resp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every auth kind end to end through the running server against the real local upstream: Basic,
 * OAuth 2.0 client credentials with the retry on an expired token (an HTTP 401, the default) and
 * WeCom's way (HTTP 200 with {"errcode":42001}), and what the request log keeps of each (secrets
 * masked).
 */
class AuthKindsIT {

  static final String APP_ONE = basic("app-one-key", "app-one-secret");
  static final String BOB = basic("bob", "bob-demo-pw");
  static final String ALICE = basic("alice", "alice-demo-pw");
  static final String ORG = "/api/v1/organizations/" + FIXTURE;
  static WireMockServer upstream;
  final List<StubMapping> stubs = new ArrayList<>();

  @BeforeAll
  static void upstream() {
    upstream = ItSupport.upstream();
  }

  /** Stubs of this class win over other classes' (priority 1) and go away after each test. */
  StubMapping stub(com.github.tomakehurst.wiremock.client.MappingBuilder b) {
    return stub(b, 1);
  }

  /** A fallback: what answers when no priority-1 stub of this class matches. */
  StubMapping fallback(com.github.tomakehurst.wiremock.client.MappingBuilder b) {
    return stub(b, 2);
  }

  private StubMapping stub(com.github.tomakehurst.wiremock.client.MappingBuilder b, int priority) {
    StubMapping s = upstream.stubFor(b.atPriority(priority));
    stubs.add(s);
    return s;
  }

  @AfterEach
  void removeStubs() {
    stubs.forEach(upstream::removeStub);
  }

  static String invoke(String connection, String api) {
    return "/api/v1/connections/" + connection + "/apis/" + api + "/invoke";
  }

  @Test
  void basicAuthSendsTheOpenedPasswordAndTheLogMasksIt() throws Exception {
    stub(
        get(urlEqualTo("/basic/whoami"))
            .withBasicAuth("fixture-user", "pw-BASIC-0002")
            .willReturn(okJson("{\"user\":\"fixture-user\"}")));
    Resp r = postJson(invoke("basic", "whoami"), APP_ONE, "{}");
    assertEquals(200, r.status(), r.body());
    assertEquals("fixture-user", r.json().at("/data/user").asString());

    JsonNode log = Logs.waitFor(r.json().get("requestId").asString(), ALICE);
    String text = log.toString();
    assertFalse(text.contains("pw-BASIC-0002"), text);
    assertFalse(
        text.contains(
            java.util.Base64.getEncoder().encodeToString("fixture-user:pw-BASIC-0002".getBytes())),
        text);
    assertEquals("******", log.at("/request/headers/Authorization/0").asString(), text);
  }

  @Test
  void clientCredentialsRefreshesOnceAndRetriesWhenTheUpstreamAnswers401() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String first = "cc-" + run + "-1";
    String second = "cc-" + run + "-2";
    // the token endpoint hands out a first token, then a second one
    stub(
        post(urlEqualTo("/oauth/token"))
            .inScenario("cc-" + run)
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(okJson("{\"access_token\":\"" + first + "\",\"expires_in\":3600}"))
            .willSetStateTo("second"));
    stub(
        post(urlEqualTo("/oauth/token"))
            .inScenario("cc-" + run)
            .whenScenarioStateIs("second")
            .willReturn(okJson("{\"access_token\":\"" + second + "\",\"expires_in\":3600}")));
    // the API takes only the second token; the first one is "expired"
    stub(
        get(urlEqualTo("/cc/data"))
            .withHeader("Authorization", equalTo("Bearer " + second))
            .willReturn(okJson("{\"value\":\"fresh\"}")));
    fallback(get(urlEqualTo("/cc/data")).willReturn(unauthorized()));

    // "Get Access Token" (the owner) stores the first token: the cache now holds it everywhere
    Resp t = ItSupport.send("POST", ORG + "/connections/cc/token-test", BOB, null, null);
    assertTrue(t.json().at("/data/ok").asBoolean(), t.body());
    assertFalse(t.body().contains(first), "the token is masked in the test result");

    Resp r = postJson(invoke("cc", "data"), APP_ONE, "{}");
    assertEquals(200, r.status(), r.body());
    assertEquals("fresh", r.json().at("/data/value").asString());
    upstream.verify(
        1,
        getRequestedFor(urlEqualTo("/cc/data"))
            .withHeader("Authorization", equalTo("Bearer " + first)));
    upstream.verify(
        1,
        getRequestedFor(urlEqualTo("/cc/data"))
            .withHeader("Authorization", equalTo("Bearer " + second)));

    JsonNode log = Logs.waitFor(r.json().get("requestId").asString(), ALICE);
    assertTrue(log.get("tokenRefreshed").asBoolean(), log.toString());
    assertFalse(log.toString().contains(second), "the token is masked in the log");
    assertFalse(log.toString().contains("cs-CC-0003"), "the client secret too");

    // the next call uses the cached second token: no token request
    int tokenRequests = upstream.findAll(postRequestedFor(urlEqualTo("/oauth/token"))).size();
    assertEquals(200, postJson(invoke("cc", "data"), APP_ONE, "{}").status());
    assertEquals(
        tokenRequests, upstream.findAll(postRequestedFor(urlEqualTo("/oauth/token"))).size());
  }

  @Test
  void weComSaysTheTokenExpiredWithErrcodeInA200Body() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String first = "wx-" + run + "-1";
    String second = "wx-" + run + "-2";
    stub(
        get(urlPathEqualTo("/cgi-bin/gettoken"))
            .withQueryParam("corpid", equalTo("ww-fixture"))
            .withQueryParam("corpsecret", equalTo("wx-SECRET-0004"))
            .inScenario("wx-" + run)
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                okJson("{\"errcode\":0,\"access_token\":\"" + first + "\",\"expires_in\":7200}"))
            .willSetStateTo("second"));
    stub(
        get(urlPathEqualTo("/cgi-bin/gettoken"))
            .inScenario("wx-" + run)
            .whenScenarioStateIs("second")
            .willReturn(
                okJson("{\"errcode\":0,\"access_token\":\"" + second + "\",\"expires_in\":7200}")));
    stub(
        get(urlPathEqualTo("/cgi-bin/user/get"))
            .withQueryParam("access_token", equalTo(second))
            .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"name\":\"Zhang San\"}")));
    fallback(
        get(urlPathEqualTo("/cgi-bin/user/get"))
            .willReturn(okJson("{\"errcode\":42001,\"errmsg\":\"access_token expired\"}")));

    Resp t = ItSupport.send("POST", ORG + "/connections/wecom/token-test", BOB, null, null);
    assertTrue(t.json().at("/data/ok").asBoolean(), t.body());
    assertFalse(
        t.body().contains("wx-SECRET-0004"), "corpsecret masked in the token request's URL");

    Resp r = postJson(invoke("wecom", "user"), APP_ONE, "{\"userid\":\"zhangsan\"}");
    assertEquals(200, r.status(), r.body());
    assertEquals("Zhang San", r.json().at("/data/name").asString());
    assertEquals(0, r.json().at("/data/errcode").asInt());
    upstream.verify(
        1,
        getRequestedFor(urlPathEqualTo("/cgi-bin/user/get"))
            .withQueryParam("access_token", equalTo(first)));
  }

  @Test
  void anExpiredTokenThatStaysExpiredAfterTheOneRetryIsAnUpstreamError() {
    stub(
        post(urlEqualTo("/oauth/token"))
            .willReturn(okJson("{\"access_token\":\"never-good\",\"expires_in\":3600}")));
    stub(
        get(urlEqualTo("/cc/data"))
            .willReturn(unauthorized().withBody("{\"error\":\"invalid_token\"}")));
    int before = upstream.findAll(getRequestedFor(urlEqualTo("/cc/data"))).size();
    Resp r = postJson(invoke("cc", "data"), APP_ONE, "{}");
    assertEquals(502, r.status(), r.body());
    assertTrue(r.json().at("/error/message").asString().contains("401"), r.body());
    assertEquals(
        before + 2,
        upstream.findAll(getRequestedFor(urlEqualTo("/cc/data"))).size(),
        "one call, one retry, no loop");
  }
}
