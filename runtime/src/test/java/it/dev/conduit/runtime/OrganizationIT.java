package it.dev.conduit.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static it.dev.conduit.runtime.ItSupport.FIXTURE;
import static it.dev.conduit.runtime.ItSupport.basic;
import static it.dev.conduit.runtime.ItSupport.get;
import static it.dev.conduit.runtime.ItSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.dev.conduit.runtime.ItSupport.Resp;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint for people, each with the right caller (200), no caller (401) and a wrong caller
 * (403). In the fixture organization alice is the admin, bob owns every connection, dave is a plain
 * member, and carol belongs to other organizations only.
 */
class OrganizationIT {

  static final String ALICE = basic("alice", "alice-demo-pw");
  static final String BOB = basic("bob", "bob-demo-pw");
  static final String DAVE = basic("dave", "dave-demo-pw");
  static final String CAROL = basic("carol", "carol-demo-pw");
  static final String ORG = "/api/v1/organizations/" + FIXTURE;

  @BeforeAll
  static void upstream() {
    ItSupport.upstream()
        .stubFor(
            post(urlEqualTo("/oauth/token"))
                .willReturn(okJson("{\"access_token\":\"org-it-token\",\"expires_in\":3600}")));
  }

  /**
   * Asserts 200 for {@code right}, 401 without credentials or with a wrong password, 403 for {@code
   * wrong}.
   */
  static void guarded(Function<String, Resp> call, String right, String wrong) {
    Resp ok = call.apply(right);
    assertEquals(200, ok.status(), ok.body());
    assertEquals(401, call.apply(null).status());
    // a login nobody has: a wrong password of a real one counts toward its lock (SignInThrottle),
    // and these probes run for every endpoint; a probe of nobody's leaves alice's count alone
    assertEquals(401, call.apply(basic("nobody-" + UUID.randomUUID(), "not-a-password")).status());
    Resp forbidden = call.apply(wrong);
    assertEquals(403, forbidden.status(), forbidden.body());
    assertEquals("FORBIDDEN", forbidden.json().at("/error/code").asString());
  }

  @Test
  void testApiIsForTheOwnerAndAdmins() {
    Function<String, Resp> test =
        who -> postJson(ORG + "/connections/plain/apis/draft-api/test", who, "{}");
    guarded(test, BOB, DAVE);
    guarded(test, ALICE, CAROL);
  }

  @Test
  void testApiShowsTheRequestMaskedTheResponseAndOutputs() {
    ItSupport.upstream()
        .stubFor(
            com.github.tomakehurst.wiremock.client.WireMock.get(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/echo/.*"))
                .willReturn(okJson("{\"path\":\"t\",\"ok\":true}")));
    Resp r = postJson(ORG + "/connections/plain/apis/echo/test", BOB, "{\"name\":\"tested\"}");
    assertEquals(200, r.status(), r.body());
    var data = r.json().get("data");
    assertTrue(data.at("/request/url").asString().contains("/echo/tested"), r.body());
    assertTrue(data.at("/request/url").asString().contains("key=******"), r.body());
    assertEquals(200, data.at("/response/status").asInt());
    assertEquals("t", data.at("/outputs/path").asString());
    assertFalse(r.body().contains("key-PLAIN-0001"));
  }

  @Test
  void getAccessTokenIsForTheOwnerAndAdmins() {
    Function<String, Resp> test =
        who -> ItSupport.send("POST", ORG + "/connections/cc/token-test", who, null, null);
    guarded(test, BOB, DAVE);
    Resp r = test.apply(ALICE);
    assertTrue(r.json().at("/data/ok").asBoolean(), r.body());
    assertFalse(r.body().contains("org-it-token"), "the token is masked");
    assertFalse(r.body().contains("cs-CC-0003"), "the client secret is masked");
  }

  @Test
  void logsAreForOwnersOfTheConnectionAndAdmins() {
    guarded(who -> get(ORG + "/logs", who), ALICE, BOB); // every connection: admins only
    guarded(who -> get(ORG + "/logs?connection=plain&status=2xx&limit=5", who), BOB, DAVE);
    assertEquals(400, get(ORG + "/logs?connection=plain&status=ok", BOB).status());
    assertEquals(400, get(ORG + "/logs?connection=plain&from=yesterday", BOB).status());
  }

  @Test
  void alertsAreForOwnersAndAdmins() {
    guarded(who -> get(ORG + "/alerts?connection=plain", who), BOB, DAVE);
  }

  @Test
  void referencesLibraryAndConnectionsAreForMembers() {
    guarded(who -> get(ORG + "/connections/plain/apis/echo/references", who), DAVE, CAROL);
    Resp refs = get(ORG + "/connections/plain/apis/echo/references", DAVE);
    assertEquals("app-one", refs.json().at("/data/0/application").asString(), refs.body());
    assertEquals("workflow", refs.json().at("/data/0/kind").asString());
    guarded(who -> get(ORG + "/library", who), DAVE, CAROL);
    guarded(who -> get(ORG + "/connections", who), DAVE, CAROL);
  }

  @Test
  void bundleStateIsForAdmins() {
    guarded(who -> get(ORG + "/bundle", who), ALICE, BOB);
    Resp r = get(ORG + "/bundle", ALICE);
    assertTrue(r.json().at("/data/contentHash").asString().startsWith("sha256:"), r.body());
  }
}
