package it.dev.conduit.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static it.dev.conduit.runtime.ItSupport.FIXTURE;
import static it.dev.conduit.runtime.ItSupport.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.dev.conduit.runtime.ItSupport.Resp;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Reloading: a bad bundle is refused with its reason and the last good one keeps serving; a bundle
 * with one connection that cannot be prepared serves the rest.
 */
class ReloadIT {

  static final String ALICE = basic("alice", "alice-demo-pw");
  static final String APP_ONE = basic("app-one-key", "app-one-secret");
  static final String RELOAD = "/api/v1/organizations/" + FIXTURE + "/bundle/reload";

  @Test
  void aTamperedBundleIsRefusedAndTheOldOneServes() throws Exception {
    Path bundle = Path.of(System.getProperty("it.dir", "target/it")).resolve("fixture.bundle.json");
    String good = Files.readString(bundle);
    try {
      assertEquals(401, ItSupport.send("POST", RELOAD, null, null, null).status());
      assertEquals(
          403, ItSupport.send("POST", RELOAD, basic("bob", "bob-demo-pw"), null, null).status());
      Files.writeString(bundle, good.replace("\"Fixture Org\"", "\"Tampered Org\""));
      Resp refused = ItSupport.send("POST", RELOAD, ALICE, null, null);
      assertEquals(422, refused.status(), refused.body());
      assertTrue(
          refused.json().at("/error/message").asString().contains("does not match its hash"),
          refused.body());
      Resp state = ItSupport.get("/api/v1/organizations/" + FIXTURE + "/bundle", ALICE);
      assertEquals(
          "Fixture Org",
          state.json().at("/data/name").asString(),
          "the last good bundle still serves");
      assertTrue(state.json().at("/data/lastError").asString().contains("hash"));
      Resp health = ItSupport.get("/health/ready", null);
      assertEquals(200, health.status(), health.body());
      // which confinement Python blocks run under, either way; never unconfined without the opt-in
      assertTrue(
          health
              .body()
              .matches("(?s).*\"pythonBlocks\"\\s*:\\s*\"(bubblewrap|refused: [^\"]+)\".*"),
          health.body());

      Files.writeString(bundle, good);
      Resp ok = ItSupport.send("POST", RELOAD, ALICE, null, null);
      assertEquals(200, ok.status(), ok.body());
    } finally {
      Files.writeString(bundle, good);
    }
  }

  @Test
  void aConnectionWhoseSecretDoesNotOpenIsUnavailableAndTheRestServes() throws Exception {
    Path dir = Path.of(System.getProperty("it.dir", "target/it"));
    Path bundle = dir.resolve("fixture.bundle.json");
    String good = Files.readString(bundle);
    String state = "/api/v1/organizations/" + FIXTURE + "/bundle";
    ItSupport.upstream()
        .stubFor(
            get(urlPathMatching("/echo/.*")).willReturn(okJson("{\"path\":\"p\",\"ok\":true}")));
    try {
      Files.writeString(
          bundle, Files.readString(dir.resolve("fixture-wecom-unopenable.bundle.json")));
      Resp loaded = ItSupport.send("POST", RELOAD, ALICE, null, null);
      assertEquals(
          200, loaded.status(), "one connection does not refuse the bundle: " + loaded.body());

      assertEquals(401, ItSupport.get(state, null).status());
      assertEquals(
          403,
          ItSupport.get(state, basic("bob", "bob-demo-pw")).status(),
          "the owner of wecom is no admin");
      Resp admin = ItSupport.get(state, ALICE);
      assertEquals(200, admin.status(), admin.body());
      JsonNode problems = admin.json().at("/data/unavailableConnections");
      assertEquals(1, problems.size(), admin.body());
      assertEquals("wecom", problems.get(0).get("connection").asString());
      assertTrue(
          problems.get(0).get("reason").asString().contains("cannot open the sealed value"),
          admin.body());
      assertTrue(admin.json().at("/data/lastError").isNull(), admin.body());

      Resp wecom = ItSupport.postJson("/api/v1/connections/wecom/apis/user/invoke", APP_ONE, "{}");
      assertEquals(503, wecom.status(), wecom.body());
      assertEquals("CONNECTION_UNAVAILABLE", wecom.json().at("/error/code").asString());
      assertTrue(
          wecom.json().at("/error/message").asString().contains(state),
          "says where admins read why: " + wecom.body());
      Resp test =
          ItSupport.postJson(
              "/api/v1/organizations/" + FIXTURE + "/connections/wecom/apis/user/test",
              basic("bob", "bob-demo-pw"),
              "{}");
      assertEquals(503, test.status(), test.body());
      assertTrue(
          test.json().at("/error/message").asString().contains("cannot open the sealed value"),
          "its owner is told why: " + test.body());
      Resp plain =
          ItSupport.postJson(
              "/api/v1/connections/plain/apis/echo/invoke", APP_ONE, "{\"name\":\"x\"}");
      assertEquals(200, plain.status(), "the rest of the bundle serves: " + plain.body());

      Resp listed =
          ItSupport.get(
              "/api/v1/organizations/" + FIXTURE + "/connections", basic("dave", "dave-demo-pw"));
      assertEquals(200, listed.status(), listed.body());
      for (JsonNode c : listed.json().get("data")) {
        assertEquals(
            !c.get("id").asString().equals("wecom"), c.get("available").asBoolean(), listed.body());
      }
      Resp ready = ItSupport.get("/health/ready", null);
      assertTrue(ready.body().contains("\"unavailableConnections\":1"), ready.body());
    } finally {
      Files.writeString(bundle, good);
      assertEquals(200, ItSupport.send("POST", RELOAD, ALICE, null, null).status());
    }
  }

  @Test
  void openApiDocumentsTheEndpoints() {
    Resp r = ItSupport.get("/openapi", null);
    assertEquals(200, r.status());
    for (String path :
        new String[] {
          "/api/v1/connections/{connection}/apis/{api}/invoke",
          "/api/oauth2/access_token",
          "/api/v1/passport/get_passport_detail",
          "/api/v1/organizations/{organization}/logs"
        }) {
      assertTrue(r.body().contains(path), path);
    }
  }
}
