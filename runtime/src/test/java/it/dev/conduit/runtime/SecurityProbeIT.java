package it.dev.conduit.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static it.dev.conduit.runtime.ItSupport.BASE;
import static it.dev.conduit.runtime.ItSupport.FIXTURE;
import static it.dev.conduit.runtime.ItSupport.basic;
import static it.dev.conduit.runtime.ItSupport.get;
import static it.dev.conduit.runtime.ItSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.sun.net.httpserver.HttpServer;
import it.dev.conduit.runtime.ItSupport.Resp;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The runtime as an attacker sees it, black box over HTTP: the organization is the boundary, and
 * every input (query, path, body, form field) is hostile. Each probe asserts what the attacker
 * would notice: a status, a Location, what reached the upstream. In the fixture organization bob
 * owns every connection and dave is a plain member; carol belongs to Acme and Globex only. The list
 * of probes is docs/runtime.md's "Attacker probes".
 */
class SecurityProbeIT {

  static final String BOB = basic("bob", "bob-demo-pw");
  static final String ALICE = basic("alice", "alice-demo-pw");
  static final String CAROL = basic("carol", "carol-demo-pw");
  static final String APP_ONE = basic("app-one-key", "app-one-secret");
  static final String ORG = "/api/v1/organizations/" + FIXTURE;

  @BeforeAll
  static void upstream() {
    ItSupport.upstream()
        .stubFor(
            com.github.tomakehurst.wiremock.client.WireMock.get(urlPathMatching("/echo/.*"))
                .willReturn(okJson("{\"path\":\"p\",\"ok\":true}")));
  }

  // --- the organization is the boundary: a member of another organization reads nothing ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/logs",
        "/logs?connection=plain",
        "/alerts",
        "/alerts?connection=plain",
        "/alerts/undelivered",
        "/connections",
        "/connections/plain/apis/echo/references",
        "/library",
        "/bundle",
        "/gitops"
      })
  void aMemberOfAnotherOrganizationReadsNothingOfThisOne(String path) {
    Resp r = get(ORG + path, CAROL);
    assertEquals(403, r.status(), path + ": " + r.body());
    assertFalse(r.body().contains("plain"), "nothing of the organization shows: " + r.body());
  }

  @Test
  void aLogOfThisOrganizationIsNotReadableFromAnother() {
    postJson(InvokeIT.invoke("plain", "echo"), APP_ONE, "{\"name\":\"cross-org\"}");
    Resp logs = get(ORG + "/logs?connection=plain&limit=1", BOB);
    assertEquals(200, logs.status(), logs.body());
    String id = logs.json().at("/data/logs/0/id").asString();
    assertFalse(id.isEmpty(), logs.body());
    assertEquals(403, get(ORG + "/logs/" + id, CAROL).status());
    // nor through another organization's path: the id alone opens nothing
    assertNotEquals(
        200, get("/api/v1/organizations/" + ItSupport.ACME + "/logs/" + id, CAROL).status());
  }

  @Test
  void theConsolePagesOfThisOrganizationAreRefusedToAMemberOfAnother() throws Exception {
    ConsoleSession carol = ConsoleSession.signedIn("carol", "carol-demo-pw", "/console");
    for (String page : List.of("", "/logs", "/alerts", "/connections/plain")) {
      HttpResponse<String> r = carol.get("/console/" + FIXTURE + page);
      assertEquals(403, r.statusCode(), page);
      assertFalse(r.body().contains("echo"), page);
    }
  }

  // --- guessing a password: one limit, whatever the door ---

  /**
   * The identity provider's sign-in page locks a login at its fifth failure within 15 minutes; the
   * console's sign-in form and HTTP Basic on the API check the same passwords, so each must count
   * and honour the same lock, or an attacker guesses there without limit.
   */
  @Test
  void guessingAPasswordAtTheConsoleLocksTheLoginAtEveryDoor() throws Exception {
    ConsoleSession guesser = ConsoleSession.open();
    int locked = 0;
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = guesser.signIn("frank", "guess-" + i, "/console");
      assertNotEquals(303, r.statusCode(), "a wrong password signed in");
      if (r.statusCode() == 429) {
        locked++;
        assertTrue(r.body().contains("Too many failed sign-ins"), r.body());
      }
    }
    assertTrue(locked >= 2, "the fifth failure locks the login");
    HttpResponse<String> right = ConsoleSession.open().signIn("frank", "frank-demo-pw", "/console");
    assertEquals(429, right.statusCode(), "even the right password while locked");
    Resp basic =
        get(
            "/api/v1/organizations/" + ItSupport.GLOBEX + "/connections",
            basic("frank", "frank-demo-pw"));
    assertEquals(429, basic.status(), "HTTP Basic is the same login: " + basic.body());
    assertEquals("SIGN_IN_LOCKED", basic.json().at("/error/code").asString(), basic.body());
  }

  /**
   * Session fixation: an attacker who planted a session id in the victim's browser (it is made by
   * any visit to /console) must not find it signed in after the victim signs in.
   */
  @Test
  void signingInStartsANewSessionAndThePlantedOneStaysSignedOut() throws Exception {
    ConsoleSession victim = ConsoleSession.open();
    String planted = victim.sessionId();
    assertTrue(planted != null, "a visit to /console makes a session");
    assertEquals(303, victim.signIn("dave", "dave-demo-pw", "/console").statusCode());
    assertNotEquals(planted, victim.sessionId(), "the session id changes at sign-in");
    HttpResponse<String> attacker =
        ItSupport.CLIENT.send(
            java.net.http.HttpRequest.newBuilder(URI.create(BASE + "/console/" + FIXTURE))
                .header("Cookie", "JSESSIONID=" + planted)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(attacker.body().contains("name=\"password\""), "the planted session is signed in");
    assertTrue(
        victim.get("/console/" + FIXTURE).body().contains("id=\"who\">dave<"), "the victim is");
  }

  // --- paging: a clear 400, never a 404 or a 500 ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/logs?connection=plain&limit=abc",
        "/logs?connection=plain&limit=0",
        "/logs?connection=plain&limit=501",
        "/logs?connection=plain&offset=-1",
        "/logs?connection=plain&offset=1000001",
        "/logs?connection=plain&offset=99999999999",
        "/alerts?connection=plain&limit=x",
        "/alerts?connection=plain&offset=2000000"
      })
  void aBadWindowIsA400WithCodeAndMessage(String path) {
    Resp r = get(ORG + path, BOB);
    assertEquals(400, r.status(), path + ": " + r.body());
    assertEquals("BAD_PAGE", r.json().at("/error/code").asString(), r.body());
    assertFalse(r.json().at("/error/message").asString().isBlank(), r.body());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"?page=abc", "?page=0", "?page=-3", "?size=1000", "?page=2147483647&size=100"})
  void aBadLibraryPageIsA400(String query) {
    Resp r = get("/api/v1/library/entries" + query, BOB);
    assertEquals(400, r.status(), query + ": " + r.body());
    assertEquals("BAD_PAGE", r.json().at("/error/code").asString());
  }

  @Test
  void aBadConsolePageIsA400PageNotA404OrA500() throws Exception {
    ConsoleSession bob = ConsoleSession.signedIn("bob", "bob-demo-pw", "/console");
    for (String page :
        List.of(
            "/console/" + FIXTURE + "?page=abc",
            "/console/" + FIXTURE + "/logs?page=0",
            "/console/" + FIXTURE + "/logs?page=2147483647",
            "/console/" + FIXTURE + "/alerts?page=abc",
            "/console/" + FIXTURE + "/library?page=-1")) {
      HttpResponse<String> r = bob.get(page);
      assertEquals(400, r.statusCode(), page);
      assertTrue(r.body().contains("No such page"), page);
    }
  }

  // --- the sign-in form's next: only back into the console ---

  @ParameterizedTest
  @ValueSource(
      strings = {
        "//evil.example/console",
        "/\\evil.example",
        "https://evil.example/console",
        "/console/x\r\nSet-Cookie: JSESSIONID=attacker",
        "/console/%0d%0aSet-Cookie:x",
        "/console/../api/v1/library/entries",
        "javascript:alert(1)"
      })
  void signInNeverRedirectsOutOfTheConsole(String next) throws Exception {
    ConsoleSession c = ConsoleSession.open();
    HttpResponse<String> r = c.signIn("dave", "dave-demo-pw", next);
    assertEquals(303, r.statusCode(), r.body());
    assertEquals("/console", r.headers().firstValue("Location").orElse(null));
    assertTrue(r.headers().allValues("Set-Cookie").stream().noneMatch(v -> v.contains("attacker")));
  }

  @Test
  void signInComesBackToAConsolePage() throws Exception {
    ConsoleSession c = ConsoleSession.open();
    String next = "/console/" + FIXTURE + "/logs?page=2";
    HttpResponse<String> r = c.signIn("dave", "dave-demo-pw", next);
    assertEquals(next, r.headers().firstValue("Location").orElse(null));
  }

  // --- inputs that try to reach further than their place ---

  /** A header's template takes an input: CR/LF in it must not add a header at the upstream. */
  @Test
  void crLfInAnInputNeverAddsAnUpstreamHeader() {
    Resp r =
        postJson(
            InvokeIT.invoke("plain", "echo"),
            APP_ONE,
            "{\"name\":\"x\\r\\nX-Injected: yes\\r\\n\"}");
    assertNotEquals(500, r.status(), r.body());
    List<LoggedRequest> seen =
        ItSupport.upstream().findAll(anyRequestedFor(urlPathMatching("/echo/.*")));
    assertTrue(
        seen.stream().noneMatch(q -> q.containsHeader("X-Injected")),
        "an injected header reached the upstream");
  }

  @Test
  void anInputCannotWalkTheUpstreamPath() {
    postJson(InvokeIT.invoke("plain", "echo"), APP_ONE, "{\"name\":\"../../admin\"}");
    List<LoggedRequest> seen =
        ItSupport.upstream().findAll(anyRequestedFor(urlPathMatching("/admin.*")));
    assertEquals(List.of(), seen, "the input left its path segment");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/v1/connections/..%2Fplain/apis/echo/invoke",
        "/api/v1/connections/plain/apis/..%2F..%2Fetc%2Fpasswd/invoke",
        "/api/v1/connections/%2e%2e/apis/echo/invoke",
        "/api/v1/connections/plain%00/apis/echo/invoke"
      })
  void pathTraversalInIdsFindsNothing(String path) {
    Resp r = postJson(path, APP_ONE, "{\"name\":\"x\"}");
    assertTrue(r.status() == 400 || r.status() == 404, path + ": " + r.status());
    assertFalse(r.body().contains("root:"), r.body());
  }

  @Test
  void pathTraversalInAnOrganizationsConnectionIdFindsNothing() {
    Resp r = get(ORG + "/connections/..%2F..%2Forganization/apis/echo/references", BOB);
    assertTrue(r.status() == 400 || r.status() == 404, r.status() + " " + r.body());
  }

  @Test
  void anOversizedBodyIs413AndNeverReachesTheUpstream() {
    int before = ItSupport.upstream().findAll(anyRequestedFor(urlPathMatching("/echo/.*"))).size();
    String huge = "{\"name\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}";
    Resp r = postJson(InvokeIT.invoke("plain", "echo"), APP_ONE, huge);
    assertEquals(413, r.status(), r.body().length() > 300 ? r.body().substring(0, 300) : r.body());
    int after = ItSupport.upstream().findAll(anyRequestedFor(urlPathMatching("/echo/.*"))).size();
    assertEquals(before, after);
  }

  @Test
  void anApplicationOfOneOrganizationCannotInvokeAnothersConnection() {
    // app-one belongs to the fixture organization; Acme's demo connection is not its
    Resp r = postJson(InvokeIT.invoke("demo", "get-weather"), APP_ONE, "{\"city\":\"x\"}");
    assertEquals(404, r.status(), r.body());
  }

  // --- a person's HTTP Basic credentials kept by a browser: no other site's page may use them ---

  /**
   * A person who once read the JSON API in a browser (its Basic challenge, the browser's sign-in
   * prompt) has their credentials kept by the browser for the site, and sent again with every
   * request to it, also with a form another site's page posts (no cookie, so SameSite does not
   * help). Bob's browser visits such a page, which posts "Get Access Token" of his connection cc.
   */
  @Test
  void anotherSitesPageCannotPostWithTheCredentialsABrowserKept() throws Exception {
    URI base = URI.create(BASE);
    String target = BASE + ORG + "/connections/cc/token-test";
    long before = tokenTestsBy("bob");
    // another site: 127.0.0.1 is not the site of localhost, where the test server is reached
    int port = base.getPort() + 9;
    HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    byte[] page =
        ("<!doctype html><title>Win a prize</title><form id=\"f\" method=\"post\" action=\""
                + target
                + "\"></form><script>document.getElementById('f').submit()</script>")
            .getBytes(StandardCharsets.UTF_8);
    attacker.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, page.length);
          exchange.getResponseBody().write(page);
          exchange.close();
        });
    attacker.start();
    WebDriver browser = Chromium.start();
    try {
      browser.get(
          base.getScheme() + "://bob:bob-demo-pw@" + base.getAuthority() + ORG + "/connections");
      assertTrue(browser.getPageSource().contains("\"success\":true"), browser.getPageSource());
      browser.get("http://127.0.0.1:" + port + "/");
      new WebDriverWait(browser, Duration.ofSeconds(30))
          .until(d -> d.getCurrentUrl().startsWith(target));
      String answer = browser.getPageSource();
      assertFalse(answer.contains("\"success\":true"), answer);
      // refused for where it came from, not for want of credentials: the browser did send bob's
      assertTrue(answer.contains("cross-site"), answer);
      assertEquals(before, tokenTestsBy("bob"), "the other site's form ran Get Access Token");
      // a browser that does not say Sec-Fetch-Site: its Origin tells
      String tokenTest = ORG + "/connections/cc/token-test";
      assertEquals(
          403,
          ItSupport.send("POST", tokenTest, BOB, null, null, "Origin", "http://evil.example")
              .status());
      assertEquals(
          200,
          ItSupport.send(
                  "POST",
                  tokenTest,
                  BOB,
                  null,
                  null,
                  "Origin",
                  base.getScheme() + "://" + base.getAuthority())
              .status(),
          "a page of the site itself (the OpenAPI UI) may post");
      // and a client that is not a browser sends neither
      assertEquals(200, ItSupport.send("POST", tokenTest, BOB, null, null).status());
    } finally {
      browser.quit();
      attacker.stop(0);
    }
  }

  /** Get Access Token runs of connection cc recorded for a person (the request log's caller). */
  static long tokenTestsBy(String login) {
    Resp logs = get(ORG + "/logs?connection=cc&limit=500", BOB);
    assertEquals(200, logs.status(), logs.body());
    long n = 0;
    for (var l : logs.json().at("/data/logs")) {
      if (l.at("/kind").asString().equals("token-test")
          && l.at("/caller").asString().equals(login)) {
        n++;
      }
    }
    return n;
  }
}
