package it.dev.conduit.runtime;

import static it.dev.conduit.runtime.ItSupport.FIXTURE;
import static it.dev.conduit.runtime.ItSupport.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.dev.conduit.runtime.ItSupport.Resp;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reloading: a bad bundle is refused with its reason and the last good one keeps serving. */
class ReloadIT {

  static final String ALICE = basic("alice", "alice-demo-pw");
  static final String RELOAD = "/api/v1/organizations/" + FIXTURE + "/bundle/reload";

  @Test
  void aTamperedBundleIsRefusedAndTheOldOneServes() throws Exception {
    Path bundle = Path.of(System.getProperty("it.dir", "target/it")).resolve("fixture.bundle.json");
    String good = Files.readString(bundle);
    try {
      assertEquals(401, ItSupport.send("POST", RELOAD, null, null, null).status());
      assertEquals(403, ItSupport.send("POST", RELOAD, basic("bob", "bob-demo-pw"), null, null).status());
      Files.writeString(bundle, good.replace("\"Fixture Org\"", "\"Tampered Org\""));
      Resp refused = ItSupport.send("POST", RELOAD, ALICE, null, null);
      assertEquals(422, refused.status(), refused.body());
      assertTrue(refused.json().at("/error/message").asString().contains("does not match its hash"), refused.body());
      Resp state = ItSupport.get("/api/v1/organizations/" + FIXTURE + "/bundle", ALICE);
      assertEquals("Fixture Org", state.json().at("/data/name").asString(), "the last good bundle still serves");
      assertTrue(state.json().at("/data/lastError").asString().contains("hash"));
      Resp health = ItSupport.get("/health/ready", null);
      assertEquals(200, health.status(), health.body());
      // which confinement Python blocks run under, either way; never unconfined without the opt-in
      assertTrue(health.body().matches("(?s).*\"pythonBlocks\"\\s*:\\s*\"(bubblewrap|refused: [^\"]+)\".*"), health.body());

      Files.writeString(bundle, good);
      Resp ok = ItSupport.send("POST", RELOAD, ALICE, null, null);
      assertEquals(200, ok.status(), ok.body());
    } finally {
      Files.writeString(bundle, good);
    }
  }

  @Test
  void openApiDocumentsTheEndpoints() {
    Resp r = ItSupport.get("/openapi", null);
    assertEquals(200, r.status());
    for (String path : new String[] {"/api/v1/connections/{connection}/apis/{api}/invoke", "/api/oauth2/access_token",
        "/api/v1/passport/get_passport_detail", "/api/v1/organizations/{organization}/logs"}) {
      assertTrue(r.body().contains(path), path);
    }
  }
}
