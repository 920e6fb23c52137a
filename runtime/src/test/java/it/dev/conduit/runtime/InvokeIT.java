package it.dev.conduit.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static it.dev.conduit.runtime.ItSupport.ACME;
import static it.dev.conduit.runtime.ItSupport.FIXTURE;
import static it.dev.conduit.runtime.ItSupport.basic;
import static it.dev.conduit.runtime.ItSupport.get;
import static it.dev.conduit.runtime.ItSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import it.dev.conduit.runtime.ItSupport.Resp;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Applications invoking APIs on the running server: every status a caller can meet. */
class InvokeIT {

  static final String APP_ONE = basic("app-one-key", "app-one-secret");
  static final String APP_TWO = basic("app-two-key", "app-two-secret");
  static final String DEMO_APP = basic("demo-app-key", "3QpMXJFK1FoXfvF8UBhzjKbhDiVVTr73");
  static WireMockServer upstream;

  @BeforeAll
  static void upstream() {
    upstream = ItSupport.upstream();
  }

  static String invoke(String connection, String api) {
    return "/api/v1/connections/" + connection + "/apis/" + api + "/invoke";
  }

  @Test
  void theQuickstartCallThroughTheDemoUpstream() {
    Resp r = postJson(invoke("demo", "get-weather"), DEMO_APP, "{\"city\":\"Shanghai\"}");
    assertEquals(200, r.status(), r.body());
    JsonNode j = r.json();
    assertTrue(j.get("success").asBoolean());
    assertTrue(j.at("/data/temperature").isNumber(), r.body());
    assertEquals(3, j.at("/data/forecast").size());
    assertEquals(j.get("requestId").asString(), r.header("X-Request-Id"));
  }

  @Test
  void withoutOrWithWrongCredentials401() {
    Resp none = postJson(invoke("plain", "echo"), null, "{\"name\":\"x\"}");
    assertEquals(401, none.status());
    assertEquals("UNAUTHENTICATED", none.json().at("/error/code").asString());
    assertTrue(none.header("WWW-Authenticate").startsWith("Basic"));
    assertEquals(
        401, postJson(invoke("plain", "echo"), basic("app-one-key", "wrong"), "{}").status());
    assertEquals(401, postJson(invoke("plain", "echo"), "Basic !!!notbase64", "{}").status());
  }

  @Test
  void anApplicationNotGrantedTheConnection403() {
    Resp r = postJson(invoke("plain", "echo"), APP_TWO, "{\"name\":\"x\"}");
    assertEquals(403, r.status());
    assertEquals("NOT_GRANTED", r.json().at("/error/code").asString());
  }

  @Test
  void unknownDraftAndDisabledApis() {
    assertEquals(404, postJson(invoke("plain", "nope"), APP_ONE, "{}").status());
    assertEquals(404, postJson(invoke("nope", "echo"), APP_ONE, "{}").status());
    Resp draft = postJson(invoke("plain", "draft-api"), APP_ONE, "{}");
    assertEquals(409, draft.status());
    assertEquals("API_NOT_PUBLISHED", draft.json().at("/error/code").asString());
    Resp disabled = postJson(invoke("plain", "disabled-api"), APP_ONE, "{}");
    assertEquals(404, disabled.status());
    assertEquals("API_DISABLED", disabled.json().at("/error/code").asString());
  }

  @Test
  void pathsTheContainerRefusesAreAnsweredAsEnvelopesWithoutTheException() {
    // an encoded slash (a traversal attempt) is refused by the servlet container before any
    // resource runs: the answer is still the runtime's envelope, not the container's page
    for (String path :
        List.of(
            "/api/v1/connections/..%2F..%2Fetc/apis/x/invoke",
            "/api/v1/connections/plain%2Fecho/apis/echo/invoke")) {
      Resp r = postJson(path, APP_ONE, "{}");
      assertEquals(400, r.status(), path);
      assertEquals("BAD_REQUEST", r.json().at("/error/code").asString(), r.body());
      assertFalse(r.body().contains("Exception"), r.body());
      assertFalse(r.body().contains("com.ibm"), r.body());
    }
  }

  @Test
  void invalidInputsAreAllListedAndNothingIsSent() {
    int before = upstream.getAllServeEvents().size();
    Resp r =
        postJson(
            invoke("plain", "types"),
            APP_ONE,
            "{\"count\":\"many\",\"items\":[{\"qty\":1}],\"when\":\"soon\"}");
    assertEquals(400, r.status(), r.body());
    List<String> paths =
        StreamSupport.stream(r.json().at("/error/details").spliterator(), false)
            .map(d -> d.get("path").asString())
            .sorted()
            .toList();
    assertEquals(List.of("count", "items[0].sku", "tags2", "when"), paths);
    assertEquals(before, upstream.getAllServeEvents().size());
  }

  @Test
  void hostileBodiesGetClearErrors() {
    assertEquals(
        "INVALID_INPUT",
        postJson(invoke("plain", "echo"), APP_ONE, "{\"name\":")
            .json()
            .at("/error/code")
            .asString());
    assertEquals(400, postJson(invoke("plain", "echo"), APP_ONE, "[1,2]").status());
    assertEquals(
        400,
        postJson(invoke("plain", "echo"), APP_ONE, "[".repeat(500) + "]".repeat(500)).status());
    Resp big =
        postJson(invoke("plain", "echo"), APP_ONE, "{\"name\":\"" + "x".repeat(1_100_000) + "\"}");
    assertEquals(413, big.status());
    assertEquals("BODY_TOO_LARGE", big.json().at("/error/code").asString());
  }

  @Test
  void bodiesMustBeJsonOnceAndInUtf8AndTheErrorsAreEnvelopes() {
    upstream.stubFor(
        get(urlPathMatching("/echo/.*")).willReturn(okJson("{\"path\":\"p\",\"ok\":true}")));
    // what curl -d sends without -H: 415 in the JSON envelope, naming the fix
    for (String type :
        List.of(
            "application/x-www-form-urlencoded",
            "text/plain",
            "application/json; charset=ISO-8859-1")) {
      Resp r = ItSupport.send("POST", invoke("plain", "echo"), APP_ONE, "{\"name\":\"x\"}", type);
      assertEquals(415, r.status(), type + ": " + r.body());
      assertFalse(r.json().get("success").asBoolean());
      assertEquals("UNSUPPORTED_MEDIA_TYPE", r.json().at("/error/code").asString());
    }
    // no Content-Type at all is read as JSON
    assertEquals(
        200,
        ItSupport.send("POST", invoke("plain", "echo"), APP_ONE, "{\"name\":\"x\"}", null)
            .status());
    Resp twice = postJson(invoke("plain", "echo"), APP_ONE, "{\"name\":\"a\",\"name\":\"b\"}");
    assertEquals(400, twice.status());
    assertTrue(
        twice.json().at("/error/message").asString().contains("the key \"name\" appears twice"),
        twice.body());
  }

  @Test
  void aNulInAnInputAHeaderCarriesIsTheCallersErrorNotTheOwners() {
    int before = upstream.getAllServeEvents().size();
    Resp r = postJson(invoke("plain", "echo"), APP_ONE, "{\"name\":\"a\\u0000b\"}");
    assertEquals(400, r.status(), r.body());
    assertEquals("INVALID_INPUT", r.json().at("/error/code").asString());
    assertEquals("name", r.json().at("/error/details/0/path").asString());
    assertTrue(
        r.json().at("/error/details/0/message").asString().contains("header \"X-Trace\""),
        r.body());
    assertEquals(before, upstream.getAllServeEvents().size(), "nothing was sent");
    JsonNode log = Logs.waitFor(r.json().get("requestId").asString(), basic("bob", "bob-demo-pw"));
    assertEquals(400, log.get("status").asInt());
  }

  @Test
  void anUpstreamBodyThatIsNotJsonIsAFailureAndLoggedAsOne() {
    // (the fixture connections have alerts off; a 502 alerts the owner where they are on:
    // PersistenceTest)
    upstream.stubFor(
        get(urlEqualTo("/outputs"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/html")
                    .withBody("<html><body>Maintenance</body></html>")));
    Resp r = postJson(invoke("plain", "outputs"), APP_ONE, "{}");
    assertEquals(502, r.status(), r.body());
    assertEquals("UPSTREAM_BAD_RESPONSE", r.json().at("/error/code").asString());
    JsonNode log = Logs.waitFor(r.json().get("requestId").asString(), basic("bob", "bob-demo-pw"));
    assertEquals(502, log.get("status").asInt(), log.toString());
    assertEquals("UPSTREAM_BAD_RESPONSE", log.get("outcome").asString());
  }

  @Test
  void upstreamFailuresMapTo502And504() {
    upstream.stubFor(
        get(urlEqualTo("/boom")).willReturn(aResponse().withStatus(503).withBody("maintenance")));
    Resp boom = postJson(invoke("plain", "boom"), APP_ONE, "{}");
    assertEquals(502, boom.status());
    assertTrue(boom.json().at("/error/message").asString().contains("503"), boom.body());
    upstream.stubFor(get(urlEqualTo("/slow")).willReturn(okJson("{}").withFixedDelay(2500)));
    assertEquals(504, postJson(invoke("plain", "slow"), APP_ONE, "{}").status());
  }

  @Test
  void theLogKeepsTheCallWithSecretsMasked() throws Exception {
    upstream.stubFor(
        get(urlPathMatching("/echo/.*"))
            .willReturn(okJson("{\"path\":\"p\",\"ok\":true,\"leak\":\"key-PLAIN-0001\"}")));
    Resp r = postJson(invoke("plain", "echo"), APP_ONE, "{\"name\":\"logged\"}");
    assertEquals(200, r.status(), r.body());
    String id = r.json().get("requestId").asString();
    JsonNode log = null;
    for (int i = 0; i < 50 && log == null; i++) {
      Resp l =
          get("/api/v1/organizations/" + FIXTURE + "/logs/" + id, basic("alice", "alice-demo-pw"));
      if (l.status() == 200) {
        log = l.json().get("data");
      } else {
        Thread.sleep(100); // written asynchronously
      }
    }
    assertTrue(log != null, "the call is logged");
    assertEquals("invoke", log.get("kind").asString());
    assertEquals("app-one", log.get("application").asString());
    assertEquals(200, log.get("status").asInt());
    String text = log.toString();
    assertFalse(text.contains("key-PLAIN-0001"), text);
    assertTrue(log.at("/request/url").asString().contains("key=******"), text);
  }

  @Test
  void clientCredentialsEndToEndWithTheRetry() {
    upstream.stubFor(
        post(urlEqualTo("/oauth/token"))
            .willReturn(okJson("{\"access_token\":\"it-token\",\"expires_in\":3600}")));
    upstream.stubFor(get(urlEqualTo("/cc/data")).willReturn(okJson("{\"value\":\"it\"}")));
    Resp r = postJson(invoke("cc", "data"), APP_ONE, "{}");
    assertEquals(200, r.status(), r.body());
    assertEquals("it", r.json().at("/data/value").asString());
  }

  @Test
  void authValuesAreHandedToGrantedApplicationsOnly() {
    upstream.stubFor(
        post(urlEqualTo("/oauth/token"))
            .willReturn(okJson("{\"access_token\":\"it-token\",\"expires_in\":3600}")));
    Resp ok = get("/api/v1/connections/cc/auth-values", APP_ONE);
    assertEquals(200, ok.status(), ok.body());
    assertEquals("oauth2-client-credentials", ok.json().at("/data/type").asString());
    assertFalse(ok.json().at("/data/access_token").asString().isEmpty());
    assertEquals(401, get("/api/v1/connections/cc/auth-values", null).status());
    assertEquals(403, get("/api/v1/connections/cc/auth-values", APP_TWO).status());
  }

  @Test
  void codeBlocksRunInsideTheServerJavaScriptAndPython() {
    upstream.stubFor(
        get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/coded/signed"))
            .willReturn(okJson("{\"ok\":true}")));
    Resp signed =
        postJson(invoke("coded", "signed"), APP_ONE, "{\"msg\":\"hi\",\"phone\":\"+86 139\"}");
    assertEquals(200, signed.status(), signed.body());
    upstream.stubFor(
        get(urlEqualTo("/coded/one"))
            .willReturn(okJson("{\"data\":[{\"id\":\"a\"},{\"id\":\"b\"}]}")));
    Resp wrapped = postJson(invoke("coded", "wrapped"), APP_ONE, "{}");
    assertEquals(200, wrapped.status(), wrapped.body());
    assertEquals(2, wrapped.json().at("/data/count").asInt());
    Resp broken = postJson(invoke("coded", "broken"), APP_ONE, "{}");
    assertEquals(422, broken.status(), broken.body());
    assertEquals("CODE_BLOCK_FAILED", broken.json().at("/error/code").asString());
    assertTrue(
        broken
            .json()
            .at("/error/message")
            .asString()
            .startsWith("connections/coded/code/broken.js:2"),
        broken.body());
  }

  @Test
  void applicationsOfOneOrganizationCannotReachAnother() {
    // demo-app belongs to Acme: the fixture organization's "plain" connection is not its
    assertEquals(404, postJson(invoke("plain", "echo"), DEMO_APP, "{\"name\":\"x\"}").status());
    assertEquals(ACME.length(), FIXTURE.length());
  }
}
