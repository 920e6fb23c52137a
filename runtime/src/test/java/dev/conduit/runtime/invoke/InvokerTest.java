package dev.conduit.runtime.invoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine end to end on the fixture organization compiled by the real compiler (allowed hosts as
 * the compiler resolves them), against a real local upstream. The finer cases of each stage are in
 * RequestTest, AuthTest, UpstreamGuardTest, SecretsTest, OutputTest and InputValidatorTest.
 */
class InvokerTest {

  static Engine h;

  @BeforeAll
  static void start() throws Exception {
    h =
        new Engine(
            64 * 1024,
            Recorder.DEFAULT,
            (connection, block, input) -> {
              throw new CodeBlocks.Failure(block.file() + ": no code engine in this test");
            });
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @BeforeEach
  void reset() {
    h.upstream.resetAll();
    h.reset();
  }

  static Map<String, Object> in(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static Outcome.Success ok(Outcome o) {
    return assertInstanceOf(
        Outcome.Success.class,
        o,
        () ->
            o instanceof Outcome.Failure f
                ? f.code() + ": " + f.message() + " " + f.details()
                : "");
  }

  static Outcome.Failure failed(Outcome o, ErrorCode code) {
    Outcome.Failure f = assertInstanceOf(Outcome.Failure.class, o);
    assertEquals(code, f.code(), f.message());
    return f;
  }

  @Test
  void pathAndQueryValuesAreEncodedWhereTheyLand() throws Exception {
    h.upstream.stubFor(
        get(urlPathMatching("/echo/.*")).willReturn(okJson("{\"path\":\"x\",\"ok\":true}")));
    Outcome.Success s =
        ok(
            h.invoke(
                "plain",
                "echo",
                in("name", "São Paulo/#1", "q", "a&b=c d", "tags", List.of("x", "y"))));
    assertEquals(Map.of("path", "x", "ok", true), s.data());
    var req = h.upstream.getAllServeEvents().getFirst().getRequest();
    assertEquals(
        "/echo/S%C3%A3o%20Paulo%2F%231?q=a%26b%3Dc%20d&tags=x&tags=y&n=5&key=key-PLAIN-0001",
        req.getUrl());
    // HTTP header values are ASCII (ISO-8859-1 at most): non-ASCII text is not sent reliably
    ok(h.invoke("plain", "echo", in("name", "Lyon 2")));
    assertEquals(
        "t-Lyon 2", h.upstream.getAllServeEvents().getFirst().getRequest().getHeader("X-Trace"));
  }

  @Test
  void hiddenValuesAreMaskedInWhatIsRecorded() throws Exception {
    h.upstream.stubFor(
        get(urlPathMatching("/echo/.*")).willReturn(okJson("{\"echo\":\"key-PLAIN-0001\"}")));
    Outcome.Success s = ok(h.invoke("plain", "echo", in("name", "n")));
    assertFalse(
        s.exchange().request().url().contains("key-PLAIN-0001"), s.exchange().request().url());
    assertTrue(s.exchange().request().url().contains("key=******"), s.exchange().request().url());
    assertFalse(s.exchange().response().body().contains("key-PLAIN-0001"));
  }

  @Test
  void aWholeValueTemplateKeepsItsTypeInJsonBodies() throws Exception {
    h.upstream.stubFor(post(urlEqualTo("/types")).willReturn(okJson("{\"received\":{}}")));
    ok(
        h.invoke(
            "plain",
            "types",
            in(
                "count",
                3,
                "tags",
                List.of("a", 1),
                "when",
                "2026-11-23T09:30:00+08:00",
                "who",
                "u-1",
                "files",
                List.of("https://files.example/a.pdf"),
                "items",
                List.of(Map.of("sku", "A-1", "qty", 2)),
                "tags2",
                List.of())));
    h.upstream.verify(
        postRequestedFor(urlEqualTo("/types"))
            .withRequestBody(
                equalToJson(
                    "{\"count\":3,\"label\":\"n=3\",\"tags\":[\"a\",1],\"items\":[{\"sku\":\"A-1\",\"qty\":2,\"note\":\"none\"}],"
                        + "\"when\":\"2026-11-23T09:30:00+08:00\",\"who\":[\"u-1\"],\"files\":[\"https://files.example/a.pdf\"],"
                        + "\"nested\":{\"key\":\"key-PLAIN-0001\"}}")));
  }

  @Test
  void everyInvalidInputIsListedWithItsPath() throws Exception {
    Outcome.Failure f =
        failed(
            h.invoke(
                "plain",
                "types",
                in(
                    "count",
                    "many",
                    "when",
                    "yesterday",
                    "files",
                    List.of("ftp://x"),
                    "items",
                    List.of(Map.of("qty", 1), Map.of("sku", "B", "qty", "two", "color", "red")),
                    "extras",
                    List.of(Map.of()),
                    "bogus",
                    1)),
            ErrorCode.INVALID_INPUT);
    List<String> paths = f.details().stream().map(Outcome.Detail::path).sorted().toList();
    assertEquals(
        List.of(
            "bogus",
            "count",
            "extras[0].label",
            "files[0]",
            "items[0].sku",
            "items[1].color",
            "items[1].qty",
            "tags2",
            "when"),
        paths);
    assertEquals(400, f.status());
    assertEquals(0, h.upstream.getAllServeEvents().size(), "nothing is sent for invalid input");
  }

  @Test
  void formAndRawBodies() throws Exception {
    h.upstream.stubFor(post(urlEqualTo("/form")).willReturn(okJson("{}")));
    h.upstream.stubFor(post(urlEqualTo("/raw")).willReturn(okJson("{}")));
    ok(h.invoke("plain", "form", in("a", "x y&z", "list", List.of(1, 2))));
    h.upstream.verify(
        postRequestedFor(urlEqualTo("/form"))
            .withRequestBody(equalTo("a=x%20y%26z&list=1&list=2"))
            .withHeader("Content-Type", containing("application/x-www-form-urlencoded")));
    ok(h.invoke("plain", "raw", in("city", "Shanghai")));
    h.upstream.verify(
        postRequestedFor(urlEqualTo("/raw"))
            .withRequestBody(equalTo("<q><city>Shanghai</city></q>"))
            .withHeader("Content-Type", equalTo("application/xml")));
  }

  @Test
  void upstreamErrorsTimeoutsAndSizesMapToTheirStatuses() throws Exception {
    h.upstream.stubFor(
        get(urlEqualTo("/boom"))
            .willReturn(aResponse().withStatus(500).withBody("database on fire")));
    Outcome.Failure boom = failed(h.invoke("plain", "boom", in()), ErrorCode.UPSTREAM_ERROR);
    assertEquals(502, boom.status());
    assertTrue(
        boom.message().contains("500") && boom.message().contains("database on fire"),
        boom.message());

    h.upstream.stubFor(get(urlEqualTo("/slow")).willReturn(okJson("{}").withFixedDelay(2500)));
    Outcome.Failure slow = failed(h.invoke("plain", "slow", in()), ErrorCode.UPSTREAM_TIMEOUT);
    assertEquals(504, slow.status());

    h.upstream.stubFor(
        get(urlEqualTo("/big")).willReturn(okJson("\"" + "x".repeat(100_000) + "\"")));
    assertEquals(
        502, failed(h.invoke("plain", "big", in()), ErrorCode.RESPONSE_TOO_LARGE).status());
  }

  @Test
  void redirectsAreNotFollowed() throws Exception {
    h.upstream.stubFor(
        get(urlPathEqualTo("/redirect"))
            .willReturn(
                aResponse()
                    .withStatus(302)
                    .withHeader("Location", "http://attacker.example/steal")));
    Outcome.Failure f = failed(h.invoke("plain", "redirect", in()), ErrorCode.UPSTREAM_ERROR);
    assertTrue(f.message().contains("302"), f.message());
    assertEquals(1, h.upstream.getAllServeEvents().size());
  }

  @Test
  void basicAuthIsSentAndMasked() throws Exception {
    h.upstream.stubFor(
        get(urlEqualTo("/basic/whoami")).willReturn(okJson("{\"user\":\"fixture-user\"}")));
    Outcome.Success s = ok(h.invoke("basic", "whoami", in()));
    assertEquals("fixture-user", s.data().get("user"));
    h.upstream.verify(
        getRequestedFor(urlEqualTo("/basic/whoami"))
            .withBasicAuth(
                new com.github.tomakehurst.wiremock.client.BasicCredentials(
                    "fixture-user", "pw-BASIC-0002")));
    assertEquals(List.of("******"), s.exchange().request().headers().get("Authorization"));
  }

  @Test
  void clientCredentialsTokenIsFetchedOnceAndSharedByTheConnectionsApis() throws Exception {
    h.upstream.stubFor(
        post(urlEqualTo("/oauth/token"))
            .willReturn(okJson("{\"access_token\":\"tok-A\",\"expires_in\":3600}")));
    h.upstream.stubFor(
        get(urlEqualTo("/cc/data"))
            .withHeader("Authorization", equalTo("Bearer tok-A"))
            .willReturn(okJson("{\"value\":\"v\"}")));
    h.upstream.stubFor(
        get(urlEqualTo("/cc/other"))
            .withHeader("Authorization", equalTo("Bearer tok-A"))
            .willReturn(okJson("{}")));
    PreparedConnection c = h.connection("cc");
    assertEquals("v", ok(h.invoke(c, "data", in())).data().get("value"));
    ok(h.invoke(c, "other", in()));
    ok(h.invoke(c, "data", in()));
    h.upstream.verify(
        1,
        postRequestedFor(urlEqualTo("/oauth/token"))
            .withRequestBody(
                equalTo(
                    "grant_type=client_credentials&client_id=fx-client&client_secret=cs-CC-0003")));
  }

  @Test
  void a401RefreshesTheTokenOnceAndRetriesOnce() throws Exception {
    h.upstream.stubFor(
        post(urlEqualTo("/oauth/token"))
            .inScenario("401")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(okJson("{\"access_token\":\"tok-1\",\"expires_in\":3600}"))
            .willSetStateTo("refreshed"));
    h.upstream.stubFor(
        post(urlEqualTo("/oauth/token"))
            .inScenario("401")
            .whenScenarioStateIs("refreshed")
            .willReturn(okJson("{\"access_token\":\"tok-2\",\"expires_in\":3600}")));
    h.upstream.stubFor(
        get(urlEqualTo("/cc/data"))
            .withHeader("Authorization", equalTo("Bearer tok-1"))
            .willReturn(aResponse().withStatus(401)));
    h.upstream.stubFor(
        get(urlEqualTo("/cc/data"))
            .withHeader("Authorization", equalTo("Bearer tok-2"))
            .willReturn(okJson("{\"value\":\"fresh\"}")));
    h.now.set(h.now.get().plus(Duration.ofDays(3)));
    Outcome.Success s = ok(h.invoke("cc", "data", in()));
    assertEquals("fresh", s.data().get("value"));
    assertTrue(s.exchange().tokenRefreshed());
    h.upstream.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
    h.upstream.verify(2, getRequestedFor(urlEqualTo("/cc/data")));
  }

  @Test
  void aRetryThatFailsAgainIsNotRetriedForever() throws Exception {
    h.upstream.stubFor(
        post(urlEqualTo("/oauth/token"))
            .willReturn(okJson("{\"access_token\":\"tok-x\",\"expires_in\":3600}")));
    h.upstream.stubFor(
        get(urlEqualTo("/cc/data")).willReturn(aResponse().withStatus(401).withBody("nope")));
    h.now.set(h.now.get().plus(Duration.ofDays(4)));
    Outcome.Failure f = failed(h.invoke("cc", "data", in()), ErrorCode.UPSTREAM_ERROR);
    assertTrue(f.message().contains("401"));
    h.upstream.verify(2, getRequestedFor(urlEqualTo("/cc/data")));
    h.upstream.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
  }

  @Test
  void weComSaysTokenExpiredInA200Body() throws Exception {
    h.upstream.stubFor(
        get(urlPathEqualTo("/cgi-bin/gettoken"))
            .inScenario("wx")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(okJson("{\"errcode\":0,\"access_token\":\"wx-1\",\"expires_in\":7200}"))
            .willSetStateTo("2"));
    h.upstream.stubFor(
        get(urlPathEqualTo("/cgi-bin/gettoken"))
            .inScenario("wx")
            .whenScenarioStateIs("2")
            .willReturn(okJson("{\"errcode\":0,\"access_token\":\"wx-2\",\"expires_in\":7200}")));
    h.upstream.stubFor(
        get(urlPathEqualTo("/cgi-bin/user/get"))
            .withQueryParam("access_token", equalTo("wx-1"))
            .willReturn(okJson("{\"errcode\":42001,\"errmsg\":\"access_token expired\"}")));
    h.upstream.stubFor(
        get(urlPathEqualTo("/cgi-bin/user/get"))
            .withQueryParam("access_token", equalTo("wx-2"))
            .willReturn(okJson("{\"errcode\":0,\"name\":\"Zhang San\"}")));
    Outcome.Success s = ok(h.invoke("wecom", "user", in("userid", "zhangsan")));
    assertEquals("Zhang San", s.data().get("name"));
    assertEquals(new BigDecimal("0"), s.data().get("errcode"));
    h.upstream.verify(
        getRequestedFor(urlPathEqualTo("/cgi-bin/gettoken"))
            .withQueryParam("corpid", equalTo("ww-fixture"))
            .withQueryParam("corpsecret", equalTo("wx-SECRET-0004")));
    assertFalse(s.exchange().request().url().contains("wx-2"), "the token is masked in the record");
  }

  @Test
  void aFailingTokenEndpointIsAClearErrorWithoutSecrets() throws Exception {
    h.upstream.stubFor(
        post(urlEqualTo("/oauth/token"))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withBody("{\"error\":\"invalid_client\",\"echo\":\"cs-CC-0003\"}")));
    h.now.set(h.now.get().plus(Duration.ofDays(5)));
    Outcome.Failure f = failed(h.invoke("cc", "data", in()), ErrorCode.TOKEN_REQUEST_FAILED);
    assertTrue(f.message().contains("400") && f.message().contains("invalid_client"), f.message());
    assertFalse(f.message().contains("cs-CC-0003"));
    assertFalse(f.exchange().request().body().contains("cs-CC-0003"));
  }

  @Test
  void privateAddressesAreRefusedUnlessTheConnectionAllowsThem() throws Exception {
    for (String address :
        List.of("10.0.0.5", "127.0.0.1", "169.254.169.254", "::1", "192.168.1.1", "fd00::1")) {
      h.dns.put("internal.fixture.test", address);
      Outcome.Failure f =
          failed(h.invoke("public", "internal", in()), ErrorCode.PRIVATE_ADDRESS_REFUSED);
      assertTrue(f.message().contains("internal address"), f.message());
    }
  }

  @Test
  void secretsGoOnlyToAllowedHosts() throws Exception {
    var c = h.fixture().connection("plain").orElseThrow();
    var narrowed =
        new dev.conduit.bundle.Connection(
            c.id(),
            c.name(),
            c.description(),
            c.logo(),
            c.owner(),
            c.notifications(),
            List.of("api.example.com"),
            true,
            c.parameters(),
            c.auth(),
            null,
            c.apis(),
            c.grants());
    PreparedConnection p =
        PreparedConnection.prepare(
            dev.conduit.runtime.Fixtures.ORG,
            narrowed,
            h.opener,
            PrivateNetworkRule.only(dev.conduit.runtime.Fixtures.ORG));
    Outcome.Failure f =
        failed(h.invoker.invoke(p, p.api("echo"), in("name", "x")), ErrorCode.HOST_NOT_ALLOWED);
    assertTrue(f.message().contains("127.0.0.1"), f.message());
    assertEquals(0, h.upstream.getAllServeEvents().size());
  }

  @Test
  void outputsOfEveryType() throws Exception {
    h.upstream.stubFor(
        get(urlEqualTo("/outputs"))
            .willReturn(
                okJson(
                    """
        {"data": {"name": "Acme", "count": 42, "countText": "7.5", "active": "true",
          "at": "2026-11-23T08:00:00Z", "epoch": 1700000000000, "meta": {"k": 1}, "tags": "solo",
          "rows": [{"id": 1, "score": "9", "parts": [{"p": "a"}, {"p": "b"}]}, {"id": "2", "parts": {"p": "c"}}]}}""")));
    Map<String, Object> d = ok(h.invoke("plain", "outputs", in())).data();
    assertEquals("Acme", d.get("name"));
    assertEquals(new BigDecimal("42"), d.get("count"));
    assertEquals(new BigDecimal("7.5"), d.get("countText"));
    assertEquals(true, d.get("active"));
    assertEquals("2026-11-23T08:00:00Z", d.get("at"));
    assertEquals("2023-11-14T22:13:20Z", d.get("epoch"));
    assertEquals(Map.of("k", 1), d.get("meta"));
    assertEquals(List.of("solo"), d.get("tags"));
    assertTrue(d.containsKey("missing"));
    assertNull(d.get("missing"));
    assertEquals(
        List.of(
            Map.of(
                "id",
                "1",
                "score",
                new BigDecimal("9"),
                "parts",
                List.of(Map.of("p", "a"), Map.of("p", "b"))),
            java.util.Collections.unmodifiableMap(
                new LinkedHashMap<>(Map.of("id", "2", "parts", List.of(Map.of("p", "c")))))),
        fixNulls(d.get("rows")));
  }

  /** Drops null-valued keys so maps compare with Map.of literals. */
  private static Object fixNulls(Object rows) {
    List<Object> out = new ArrayList<>();
    for (Object r : (List<?>) rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      ((Map<?, ?>) r)
          .forEach(
              (k, v) -> {
                if (v != null) {
                  m.put((String) k, v);
                }
              });
      out.add(m);
    }
    return out;
  }

  @Test
  void draftAndDisabledApisAreRefusedForApplications() throws Exception {
    PreparedConnection c = h.connection("plain");
    assertEquals(ErrorCode.API_NOT_PUBLISHED, Invoker.refusal(c.api("draft-api").api()).code());
    assertEquals(409, Invoker.refusal(c.api("draft-api").api()).status());
    assertEquals(404, Invoker.refusal(c.api("disabled-api").api()).status());
    assertNull(Invoker.refusal(c.api("echo").api()));
    assertNotNull(c);
  }
}
