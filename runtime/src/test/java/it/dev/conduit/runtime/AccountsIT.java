package it.dev.conduit.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static it.dev.conduit.runtime.ItSupport.BASE;
import static it.dev.conduit.runtime.ItSupport.FIXTURE;
import static it.dev.conduit.runtime.ItSupport.basic;
import static it.dev.conduit.runtime.ItSupport.get;
import static it.dev.conduit.runtime.ItSupport.postJson;
import static it.dev.conduit.runtime.ItSupport.send;
import static it.dev.conduit.runtime.ItSupport.upstream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Accounts end to end on the running server, against a real OAuth 2.0 server (mock-oauth2-server)
 * behind the fixture upstream's port: the endpoints' 200/401/403/404, invoke naming an account (409
 * without one, 403 for an application the member did not allow, nothing sent upstream), and the
 * pages in headless Chromium.
 */
class AccountsIT {

  static final String DAVE = basic("dave", "dave-demo-pw");
  static final String BOB = basic("bob", "bob-demo-pw");
  static final String ALICE = basic("alice", "alice-demo-pw");
  static final String CAROL = basic("carol", "carol-demo-pw");
  static final String APP_ONE = basic("app-one-key", "app-one-secret");
  static final String APP_TWO = basic("app-two-key", "app-two-secret");
  static final String ACCOUNTS =
      "/api/v1/organizations/" + FIXTURE + "/connections/accounts/accounts";
  static final String INVOKE = "/api/v1/connections/accounts/apis/me/invoke";
  static MockOAuth2Server provider;

  @BeforeAll
  static void start() throws Exception {
    // on a loaded machine the application can still be starting after the server is
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (get("/health/ready", null).status() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    provider = new MockOAuth2Server();
    provider.start();
    // the fixture connection points at the upstream's port: the OAuth server answers behind it
    upstream()
        .stubFor(
            any(urlPathMatching("/issuer/.*"))
                .willReturn(
                    aResponse().proxiedFrom(provider.baseUrl().toString().replaceAll("/$", ""))));
  }

  @AfterAll
  static void stop() {
    provider.shutdown();
  }

  /**
   * The provider's part of what the member's browser does: open the provider's URL (the mock
   * provider approves at once) and get its redirect to our callback, whose path is returned.
   */
  static String atProvider(String authorizationUrl) throws Exception {
    var r =
        ItSupport.CLIENT.send(
            java.net.http.HttpRequest.newBuilder(URI.create(authorizationUrl)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(302, r.statusCode(), r.body());
    String location = r.headers().firstValue("Location").orElseThrow();
    assertTrue(
        location.startsWith(BASE + "/api/v1/connections/accounts/oauth2/callback?"), location);
    return location.substring(BASE.length());
  }

  /** The whole trip in the browser of a member signed in to Conduit: the callback's answer. */
  static java.net.http.HttpResponse<String> authorizeInBrowserOf(
      String member, String authorizationUrl) throws Exception {
    String callback = atProvider(authorizationUrl);
    return ConsoleSession.signedIn(member, member + "-demo-pw", "/console").get(callback);
  }

  static String connect(String member, String apps) throws Exception {
    provider.enqueueCallback(new DefaultOAuth2TokenCallback("issuer", member + "-at-provider"));
    var started =
        postJson(
            ACCOUNTS + "/connect",
            basic(member, member + "-demo-pw"),
            "{\"applications\":" + apps + "}");
    assertEquals(200, started.status(), started.body());
    var back = authorizeInBrowserOf(member, started.json().at("/data/authorizationUrl").asString());
    assertEquals(200, back.statusCode(), back.body());
    assertTrue(back.body().contains("Account connected"), back.body());
    var list = get(ACCOUNTS, basic(member, member + "-demo-pw")).json().at("/data/accounts");
    for (var a : list) {
      if (a.at("/name").asString().equals(member + "-at-provider")) {
        return a.at("/id").asString();
      }
    }
    throw new AssertionError("no account named " + member + "-at-provider in " + list);
  }

  @Test
  void endpointsAnswer200To401To403To404AndInvokeUsesOnlyAllowedAccounts() throws Exception {
    assertEquals(401, get(ACCOUNTS, null).status());
    assertEquals(401, get(ACCOUNTS, basic("dave", "wrong")).status());
    assertEquals(
        403, get(ACCOUNTS, CAROL).status(), "carol is not a member of the fixture organization");
    assertEquals(
        404,
        get("/api/v1/organizations/" + FIXTURE + "/connections/cc/accounts", DAVE).status(),
        "a client-credentials connection has no accounts");
    var empty = get(ACCOUNTS, DAVE);
    assertEquals(200, empty.status(), empty.body());
    assertTrue(
        empty
            .json()
            .at("/data/redirectUri")
            .asString()
            .endsWith("/api/v1/connections/accounts/oauth2/callback"));

    var none = postJson(INVOKE, APP_ONE, "{}");
    assertEquals(409, none.status(), none.body());
    assertEquals("ACCOUNT_NOT_AUTHORIZED", none.json().at("/error/code").asString());
    assertTrue(
        none.json()
            .at("/error/message")
            .asString()
            .contains("/accounts/" + FIXTURE + "/accounts/connect"),
        none.body());

    String id = connect("dave", "[\"app-one\"]");
    var ok = send("POST", INVOKE, APP_ONE, "{}", "application/json", "X-Conduit-Account", id);
    assertEquals(200, ok.status(), ok.body());
    assertEquals(
        "dave-at-provider",
        ok.json().at("/data/subject").asString(),
        "the API ran with dave's token");
    int userinfoCalls = upstream().findAll(getRequestedFor(urlEqualTo("/issuer/userinfo"))).size();
    var notAllowed =
        send("POST", INVOKE + "?account=" + id, APP_TWO, "{}", "application/json", null, null);
    assertEquals(403, notAllowed.status(), notAllowed.body());
    assertEquals("ACCOUNT_NOT_ALLOWED", notAllowed.json().at("/error/code").asString());
    assertEquals(
        403,
        send("POST", INVOKE, APP_ONE, "{}", "application/json", "X-Conduit-Account", "no-such")
            .status());
    assertEquals(
        userinfoCalls,
        upstream().findAll(getRequestedFor(urlEqualTo("/issuer/userinfo"))).size(),
        "nothing was sent upstream for a refused account");
    var values =
        send(
            "GET",
            "/api/v1/connections/accounts/auth-values?account=" + id,
            APP_ONE,
            null,
            null,
            null,
            null);
    assertEquals(200, values.status(), values.body());

    // rename: the member only
    String one = ACCOUNTS + "/" + id;
    assertEquals(
        401, send("PATCH", one, null, "{\"name\":\"x\"}", "application/json", null, null).status());
    assertEquals(
        403,
        send("PATCH", one, BOB, "{\"name\":\"x\"}", "application/json", null, null).status(),
        "the owner sees the account but may not rename it");
    assertEquals(
        404,
        send("PATCH", ACCOUNTS + "/nope", DAVE, "{\"name\":\"x\"}", "application/json", null, null)
            .status());
    var renamed =
        send(
            "PATCH",
            one,
            DAVE,
            "{\"name\":\"Dave at work\",\"applications\":[\"app-one\",\"app-two\"]}",
            "application/json",
            null,
            null);
    assertEquals(200, renamed.status(), renamed.body());
    assertEquals("Dave at work", renamed.json().at("/data/name").asString());
    assertEquals(
        200,
        send("POST", INVOKE, APP_TWO, "{}", "application/json", "X-Conduit-Account", id).status(),
        "allowed now");
    assertEquals(
        400,
        send(
                "PATCH",
                one,
                DAVE,
                "{\"applications\":[\"app-three\"]}",
                "application/json",
                null,
                null)
            .status());

    // owner and admins see every account of the connection; refresh now
    assertEquals(1, get(ACCOUNTS, BOB).json().at("/data/accounts").size());
    assertEquals(1, get(ACCOUNTS, ALICE).json().at("/data/accounts").size());
    assertEquals(401, send("POST", one + "/refresh", null, null, null, null, null).status());
    assertEquals(403, send("POST", one + "/refresh", CAROL, null, null, null, null).status());
    assertEquals(
        404, send("POST", ACCOUNTS + "/nope/refresh", DAVE, null, null, null, null).status());
    var refreshed = send("POST", one + "/refresh", BOB, null, null, null, null);
    assertEquals(200, refreshed.status(), refreshed.body());

    // re-authorize: the member only
    assertEquals(403, send("POST", one + "/reauthorize", BOB, null, null, null, null).status());
    assertEquals(401, send("POST", one + "/reauthorize", null, null, null, null, null).status());
    assertEquals(
        404, send("POST", ACCOUNTS + "/nope/reauthorize", DAVE, null, null, null, null).status());
    var again = send("POST", one + "/reauthorize", DAVE, null, null, null, null);
    assertEquals(200, again.status(), again.body());
    var back = authorizeInBrowserOf("dave", again.json().at("/data/authorizationUrl").asString());
    assertTrue(back.body().contains("Account re-authorized"), back.body());

    // a callback replayed or forged says so, and adds no account
    assertEquals(
        400,
        ConsoleSession.signedIn("dave", "dave-demo-pw", "/console")
            .get("/api/v1/connections/accounts/oauth2/callback?state=forged&code=x")
            .statusCode());

    // remove
    assertEquals(401, send("DELETE", one, null, null, null, null, null).status());
    assertEquals(403, send("DELETE", one, CAROL, null, null, null, null).status());
    var removed = send("DELETE", one, DAVE, null, null, null, null);
    assertEquals(200, removed.status(), removed.body());
    assertEquals(404, send("DELETE", one, DAVE, null, null, null, null).status());
    assertEquals(0, get(ACCOUNTS, DAVE).json().at("/data/accounts").size());
  }

  /**
   * Dave starts a connect and sends its authorization URL to bob (a link in a chat). Bob's browser,
   * signed in at the provider, which approved this client before, comes back at once to the
   * callback with a code for bob's account at the provider: finished there, bob's account at the
   * provider would become dave's account in Conduit, for every call dave makes with it. A connect
   * is finished only for the member who started it, signed in to Conduit in the browser that brings
   * the code back.
   */
  @Test
  void aConnectIsFinishedOnlyInTheBrowserOfTheMemberWhoStartedIt() throws Exception {
    int davesAccounts = accountsOf(DAVE);

    // bob is signed in to Conduit
    var lured =
        ConsoleSession.signedIn("bob", "bob-demo-pw", "/console")
            .get(atProvider(connectStartedByDave()));
    assertEquals(403, lured.statusCode(), lured.body());
    assertFalse(lured.body().contains("Account connected"), lured.body());
    assertEquals(davesAccounts, accountsOf(DAVE), "bob's account at the provider became dave's");

    // bob is not signed in to Conduit: the callback asks who finishes, and bob is not dave
    ConsoleSession bobs = ConsoleSession.open();
    var asked = bobs.get(atProvider(connectStartedByDave()));
    assertFalse(asked.body().contains("Account connected"), asked.body());
    assertTrue(asked.body().contains("name=\"password\""), asked.body());
    var bobFinishes = finishAs(bobs, asked.body(), "bob");
    assertEquals(403, bobFinishes.statusCode(), bobFinishes.body());
    assertEquals(davesAccounts, accountsOf(DAVE), "bob's account at the provider became dave's");

    // dave himself, in a browser not signed in to Conduit: he signs in at the callback
    provider.enqueueCallback(new DefaultOAuth2TokenCallback("issuer", "dave-signs-in-at-callback"));
    ConsoleSession daves = ConsoleSession.open();
    var done = finishAs(daves, daves.get(atProvider(connectStartedByDave())).body(), "dave");
    assertEquals(200, done.statusCode(), done.body());
    assertTrue(done.body().contains("dave-signs-in-at-callback"), done.body());
    assertEquals(davesAccounts + 1, accountsOf(DAVE));
    for (var a : get(ACCOUNTS, DAVE).json().at("/data/accounts")) {
      if (a.at("/name").asString().equals("dave-signs-in-at-callback")) {
        assertEquals(
            200,
            send("DELETE", ACCOUNTS + "/" + a.at("/id").asString(), DAVE, null, null, null, null)
                .status());
      }
    }
  }

  /** A connect started by dave through the JSON API: the provider's authorization URL. */
  private static String connectStartedByDave() {
    var started = postJson(ACCOUNTS + "/connect", DAVE, "{\"applications\":[\"app-one\"]}");
    assertEquals(200, started.status(), started.body());
    return started.json().at("/data/authorizationUrl").asString();
  }

  private static int accountsOf(String person) {
    return get(ACCOUNTS, person).json().at("/data/accounts").size();
  }

  /** Signs in on the callback's sign-in page, as a person does, and sends its form. */
  private static java.net.http.HttpResponse<String> finishAs(
      ConsoleSession browser, String page, String login) throws Exception {
    java.util.Map<String, String> form =
        new java.util.LinkedHashMap<>(ConsoleSession.hiddenFields(page));
    form.put("login", login);
    form.put("password", login + "-demo-pw");
    return browser.post("/api/v1/connections/accounts/oauth2/callback", form);
  }

  @Test
  void theDemoGithubConnectionWorksAgainstTheDemoProvider() throws Exception {
    String acme = "/api/v1/organizations/" + ItSupport.ACME + "/connections/demo-github/accounts";
    String alice = basic("alice", "alice-demo-pw");
    var started = postJson(acme + "/connect", alice, "{\"applications\":[\"demo-app\"]}");
    assertEquals(200, started.status(), started.body());
    URI authorize = URI.create(started.json().at("/data/authorizationUrl").asString());
    var page =
        ItSupport.CLIENT.send(
            java.net.http.HttpRequest.newBuilder(authorize).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode(), page.body());
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "name=\"(redirect_uri|state|code_challenge)\" value=\"([^\"]*)\"")
            .matcher(page.body());
    StringBuilder form = new StringBuilder("login=alice-gh&decision=allow");
    while (m.find()) {
      form.append('&')
          .append(m.group(1))
          .append('=')
          .append(
              java.net.URLEncoder.encode(
                  m.group(2).replace("&amp;", "&"), java.nio.charset.StandardCharsets.UTF_8));
    }
    var approved =
        ItSupport.postForm(
            authorize.getPath().replace("/authorize", "/approve"), null, form.toString());
    assertEquals(303, approved.status(), approved.body());
    String location = approved.header("Location");
    var back =
        ConsoleSession.signedIn("alice", "alice-demo-pw", "/console")
            .get(location.substring(location.indexOf("/api/v1/")));
    assertEquals(200, back.statusCode(), back.body());
    String id = get(acme, alice).json().at("/data/accounts/0/id").asString();
    assertEquals("alice-gh", get(acme, alice).json().at("/data/accounts/0/name").asString());
    var repos =
        send(
            "POST",
            "/api/v1/connections/demo-github/apis/list-my-repos/invoke",
            basic("demo-app-key", "3QpMXJFK1FoXfvF8UBhzjKbhDiVVTr73"),
            "{}",
            "application/json",
            "X-Conduit-Account",
            id);
    assertEquals(200, repos.status(), repos.body());
    assertEquals("alice-gh/hello-world", repos.json().at("/data/repos/0/full_name").asString());
    assertEquals(200, send("DELETE", acme + "/" + id, alice, null, null, null, null).status());
  }

  @Test
  void aMemberConnectsAndManagesAnAccountInTheBrowser() throws Exception {
    WebDriver browser = Chromium.start();
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
      browser.get(BASE + "/accounts/" + FIXTURE + "/accounts/connect");
      assertEquals("Sign in · Conduit", browser.getTitle());
      browser.switchTo().activeElement().sendKeys("bob");
      browser.findElement(By.id("password")).sendKeys("bob-demo-pw");
      browser.findElement(By.id("sign-in")).click();
      wait.until(d -> d.getTitle().startsWith("Connect an account"));
      browser.findElement(By.id("app-app-one")).click();
      provider.enqueueCallback(new DefaultOAuth2TokenCallback("issuer", "bob-in-browser"));
      browser.findElement(By.id("connect")).click();
      wait.until(d -> d.getTitle().startsWith("Account connected"));
      assertTrue(browser.getPageSource().contains("bob-in-browser"));
      browser.findElement(By.id("accounts-link")).click();
      wait.until(d -> d.getTitle().startsWith("My accounts"));
      assertTrue(browser.findElement(By.tagName("main")).getText().contains("bob-in-browser"));
      var name = browser.findElement(By.cssSelector("section.account input[name=name]"));
      name.clear();
      name.sendKeys("Bob's GitHub\n");
      wait.until(d -> d.getPageSource().contains("Renamed to Bob"));
      browser.findElement(By.xpath("//button[text()='Remove']")).click();
      wait.until(d -> d.getPageSource().contains("Removed."));
      assertTrue(browser.findElement(By.id("none")).isDisplayed());
    } finally {
      browser.quit();
    }
  }
}
