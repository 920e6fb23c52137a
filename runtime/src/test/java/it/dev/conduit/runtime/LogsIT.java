package it.dev.conduit.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static it.dev.conduit.runtime.ItSupport.FIXTURE;
import static it.dev.conduit.runtime.ItSupport.basic;
import static it.dev.conduit.runtime.ItSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import it.dev.conduit.runtime.ItSupport.Resp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Request logs over HTTP: what is logged, the filters and paging, and who may read them. */
class LogsIT {

  static final String APP_ONE = basic("app-one-key", "app-one-secret");
  static final String ALICE = basic("alice", "alice-demo-pw"); // admin
  static final String BOB = basic("bob", "bob-demo-pw"); // owns every fixture connection
  static final String DAVE = basic("dave", "dave-demo-pw"); // a member
  static final String CAROL = basic("carol", "carol-demo-pw"); // not a member
  static final String LOGS = "/api/v1/organizations/" + FIXTURE + "/logs";

  static List<String> ids(Resp r) {
    assertEquals(200, r.status(), r.body());
    return StreamSupport.stream(r.json().at("/data/logs").spliterator(), false)
        .map(l -> l.get("id").asString())
        .toList();
  }

  @Test
  void filtersByApiStatusAndTimeWithPagingNewestFirst() {
    StubMapping echo =
        ItSupport.upstream()
            .stubFor(
                get(urlPathMatching("/echo/.*"))
                    .atPriority(1)
                    .willReturn(okJson("{\"path\":\"logged\",\"ok\":true}")));
    try {
      Instant from = Instant.now().minusMillis(5);
      List<String> calls = new ArrayList<>();
      for (String name : new String[] {"l1", "l2", "l3"}) {
        Resp r =
            postJson(
                "/api/v1/connections/plain/apis/echo/invoke",
                APP_ONE,
                "{\"name\":\"" + name + "\"}");
        assertEquals(200, r.status(), r.body());
        calls.add(r.json().get("requestId").asString());
      }
      Resp bad = postJson("/api/v1/connections/plain/apis/echo/invoke", APP_ONE, "{}");
      assertEquals(400, bad.status(), "a missing required input");
      calls.add(bad.json().get("requestId").asString());
      Logs.waitFor(calls.get(3), BOB);

      String q = LOGS + "?connection=plain&api=echo&from=" + from;
      List<String> all = ids(ItSupport.get(q, BOB));
      assertEquals(
          List.of(calls.get(3), calls.get(2), calls.get(1), calls.get(0)), all, "newest first");
      assertEquals(
          List.of(calls.get(2), calls.get(1), calls.get(0)),
          ids(ItSupport.get(q + "&status=2xx", BOB)));
      assertEquals(List.of(calls.get(3)), ids(ItSupport.get(q + "&status=400", BOB)));
      List<String> page1 = ids(ItSupport.get(q + "&limit=2", BOB));
      List<String> page2 = ids(ItSupport.get(q + "&limit=2&offset=2", BOB));
      assertEquals(all.subList(0, 2), page1);
      assertEquals(all.subList(2, 4), page2);
      assertEquals(
          List.of(),
          ids(
              ItSupport.get(
                  LOGS + "?connection=plain&api=echo&from=" + from + "&to=" + from, BOB)));

      JsonNode failed = Logs.waitFor(calls.get(3), BOB);
      assertEquals(400, failed.get("status").asInt());
      assertEquals("INVALID_INPUT", failed.get("outcome").asString());
      assertTrue(failed.get("error").asString().contains("name"), failed.toString());
    } finally {
      ItSupport.upstream().removeStub(echo);
    }
  }

  @Test
  void oneLogIsForTheConnectionsOwnerAndAdmins() {
    StubMapping echo =
        ItSupport.upstream()
            .stubFor(
                get(urlPathMatching("/echo/.*"))
                    .atPriority(1)
                    .willReturn(okJson("{\"path\":\"p\",\"ok\":true}")));
    try {
      Resp r =
          postJson(
              "/api/v1/connections/plain/apis/echo/invoke", APP_ONE, "{\"name\":\"who-reads\"}");
      String id = r.json().get("requestId").asString();
      Logs.waitFor(id, ALICE);
      OrganizationIT.guarded(who -> ItSupport.get(LOGS + "/" + id, who), BOB, DAVE);
      OrganizationIT.guarded(who -> ItSupport.get(LOGS + "/" + id, who), ALICE, CAROL);
      assertEquals(404, ItSupport.get(LOGS + "/no-such-log", ALICE).status());
    } finally {
      ItSupport.upstream().removeStub(echo);
    }
  }

  @Test
  void everyAuthValuesHandOutIsLoggedWithTheTokenMasked() {
    StubMapping token =
        ItSupport.upstream()
            .stubFor(
                post(urlEqualTo("/oauth/token"))
                    .atPriority(1)
                    .willReturn(
                        okJson("{\"access_token\":\"handed-out-token\",\"expires_in\":3600}")));
    try {
      // a fresh token, so the hand-out gives this one
      ItSupport.send(
          "POST",
          "/api/v1/organizations/" + FIXTURE + "/connections/cc/token-test",
          BOB,
          null,
          null);
      Resp r = ItSupport.get("/api/v1/connections/cc/auth-values", APP_ONE);
      assertEquals(200, r.status(), r.body());
      assertEquals(
          "handed-out-token",
          r.json().at("/data/access_token").asString(),
          "the application gets the token");
      JsonNode log = Logs.waitFor(r.json().get("requestId").asString(), ALICE);
      assertEquals("auth-values", log.get("kind").asString());
      assertEquals("app-one", log.get("application").asString());
      assertFalse(log.toString().contains("handed-out-token"), log.toString());
      List<String> handOuts = ids(ItSupport.get(LOGS + "?connection=cc&limit=500", BOB));
      assertTrue(handOuts.contains(r.json().get("requestId").asString()));
      assertNotEquals(0, handOuts.size());
    } finally {
      ItSupport.upstream().removeStub(token);
    }
  }
}
