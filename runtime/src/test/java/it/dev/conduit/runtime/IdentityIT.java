package it.dev.conduit.runtime;

import static it.dev.conduit.runtime.ItSupport.ACME;
import static it.dev.conduit.runtime.ItSupport.BASE;
import static it.dev.conduit.runtime.ItSupport.GLOBEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.dev.conduit.runtime.ItSupport.Resp;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The identity provider over HTTP, without a browser: seed 001's contract (JSON and XML), the
 * standard forms, and the attacks (replay, tampering, open redirects, CSRF, brute force, hostile
 * parameters). The browser flow is in BrowserIT.
 */
class IdentityIT {

  static final String APP_KEY = "441139F6ADFA";
  static final String APP_SECRET = "MmsAGOVoV0uyOuu9k1IkUSJEq_CHypup";
  static final String REDIRECT = "http://localhost:8000/callback";

  /** A browser without a browser: a cookie jar and form posts. */
  static final class Session {
    final HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    String flow;
    String csrf;

    HttpResponse<String> get(String path) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create(BASE + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String form) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create(BASE + path))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    void readForm(String html) {
      flow = field(html, "flow");
      csrf = field(html, "csrf");
    }

    static String field(String html, String name) {
      Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
      return m.find() ? m.group(1) : null;
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String authorizePath(String appKey, String redirect, String project, String extra) {
    return "/api/oauth2/authorize?app_key="
        + enc(appKey)
        + "&redirect_uri="
        + enc(redirect)
        + "&projectid="
        + enc(project)
        + (extra == null ? "" : extra);
  }

  /** Signs carol in and approves; returns the Location the browser is sent to. */
  static String approve(String appKey, String redirect, String project, String login, String extra)
      throws Exception {
    Session s = new Session();
    HttpResponse<String> page = s.get(authorizePath(appKey, redirect, project, extra));
    assertEquals(200, page.statusCode(), page.body());
    s.readForm(page.body());
    HttpResponse<String> consent =
        s.post(
            "/api/oauth2/authorize/login",
            "flow="
                + s.flow
                + "&csrf="
                + s.csrf
                + "&login="
                + login
                + "&password="
                + login
                + "-demo-pw");
    assertEquals(200, consent.statusCode(), consent.body());
    assertTrue(consent.body().contains("Allow"), consent.body());
    HttpResponse<String> back =
        s.post(
            "/api/oauth2/authorize/consent",
            "flow=" + s.flow + "&csrf=" + s.csrf + "&decision=approve");
    assertEquals(303, back.statusCode());
    return back.headers().firstValue("Location").orElseThrow();
  }

  static String code(String location) {
    Matcher m = Pattern.compile("[?&]code=([^&]+)").matcher(location);
    assertTrue(m.find(), location);
    return m.group(1);
  }

  static Resp exchange(String code, String format) {
    return ItSupport.get(
        "/api/oauth2/access_token?app_key="
            + APP_KEY
            + "&app_secret="
            + APP_SECRET
            + "&grant_type=authorization_code&code="
            + code
            + "&redirect_uri="
            + enc(REDIRECT)
            + (format == null ? "" : "&format=" + format),
        null);
  }

  @Test
  void seedFlowJsonWithStateAndPassport() throws Exception {
    String location = approve(APP_KEY, REDIRECT, ACME, "carol", "&state=" + enc("a b&c"));
    assertTrue(location.startsWith(REDIRECT + "?code="), location);
    assertTrue(location.endsWith("&state=a+b%26c"), location);
    Resp token = exchange(code(location), "json");
    assertEquals(200, token.status(), token.body());
    JsonNode t = token.json();
    assertEquals("604800", t.get("expires_in").asString(), "expires_in is a string");
    assertTrue(t.get("success").asBoolean());
    assertNull(t.get("error_code"), "a successful token response has no error_code");
    assertEquals("no-store", token.header("Cache-Control"));
    Resp passport =
        ItSupport.get(
            "/api/v1/passport/get_passport_detail?access_token=" + t.get("access_token").asString(),
            null);
    JsonNode p = passport.json();
    assertEquals(1, p.get("error_code").asInt());
    assertTrue(p.get("success").asBoolean());
    for (String field :
        new String[] {
          "user_id",
          "full_name",
          "account_id",
          "project_id",
          "email",
          "mobile_phone",
          "department",
          "job",
          "job_number",
          "work_site",
          "contact_phone"
        }) {
      assertTrue(p.get("data").has(field), field);
    }
    assertEquals("u-acme-003", p.at("/data/user_id").asString());
    assertEquals(ACME, p.at("/data/project_id").asString());
  }

  @Test
  void xmlByDefaultAndRefresh() throws Exception {
    Resp xml = exchange(code(approve(APP_KEY, REDIRECT, ACME, "carol", null)), null);
    assertEquals(200, xml.status());
    assertTrue(xml.header("Content-Type").startsWith("application/xml"));
    assertTrue(xml.body().contains("<result><access_token>"), xml.body());
    assertTrue(xml.body().contains("<expires_in>604800</expires_in>"));
    assertFalse(xml.body().contains("error_code"));
    assertTrue(
        xml.body().contains("</refresh_token></result>"),
        "HAP's XML success has no success element: " + xml.body());
    String refresh = xml.body().replaceAll("(?s).*<refresh_token>([^<]+)</refresh_token>.*", "$1");
    Resp renewed =
        ItSupport.get(
            "/api/oauth2/access_token?app_key="
                + APP_KEY
                + "&app_secret="
                + APP_SECRET
                + "&grant_type=refresh_token&refresh_token="
                + refresh
                + "&format=json",
            null);
    assertEquals(200, renewed.status(), renewed.body());
    assertFalse(
        renewed.json().get("refresh_token").asString().equals(refresh), "refresh tokens rotate");
    Resp reused =
        ItSupport.get(
            "/api/oauth2/access_token?app_key="
                + APP_KEY
                + "&app_secret="
                + APP_SECRET
                + "&grant_type=refresh_token&refresh_token="
                + refresh
                + "&format=json",
            null);
    assertEquals(10105, reused.json().get("error_code").asInt());
    Resp afterReuse =
        ItSupport.get(
            "/api/v1/passport/get_passport_detail?access_token="
                + renewed.json().get("access_token").asString(),
            null);
    assertEquals(
        10105, afterReuse.json().get("error_code").asInt(), "reuse revoked the whole grant");
  }

  @Test
  void oneAccountTwoOrganizations() throws Exception {
    String acme =
        exchange(code(approve(APP_KEY, REDIRECT, ACME, "carol", null)), "json")
            .json()
            .get("access_token")
            .asString();
    String globexLocation =
        approve("7C2E90B14D5A", "http://localhost:8001/callback", GLOBEX, "carol", null);
    Resp g =
        ItSupport.get(
            "/api/oauth2/access_token?app_key=7C2E90B14D5A&app_secret=ILDv7DjD5BZrvThIW2Tgkz8wsnGLFGKe"
                + "&grant_type=authorization_code&code="
                + code(globexLocation)
                + "&redirect_uri="
                + enc("http://localhost:8001/callback")
                + "&format=json",
            null);
    JsonNode a =
        ItSupport.get("/api/v1/passport/get_passport_detail?access_token=" + acme, null)
            .json()
            .get("data");
    JsonNode b =
        ItSupport.get(
                "/api/v1/passport/get_passport_detail?access_token="
                    + g.json().get("access_token").asString(),
                null)
            .json()
            .get("data");
    assertEquals(a.get("account_id").asString(), b.get("account_id").asString());
    assertFalse(a.get("user_id").asString().equals(b.get("user_id").asString()));
    assertEquals(GLOBEX, b.get("project_id").asString());
  }

  @Test
  void standardFormsPostBasicBearerRevokeAndMetadata() throws Exception {
    String code = code(approve(APP_KEY, REDIRECT, ACME, "carol", null));
    Resp post =
        ItSupport.postForm(
            "/api/oauth2/access_token?format=json",
            ItSupport.basic(APP_KEY, APP_SECRET),
            "grant_type=authorization_code&code=" + code + "&redirect_uri=" + enc(REDIRECT));
    assertEquals(200, post.status(), post.body());
    String access = post.json().get("access_token").asString();
    Resp bearer = ItSupport.get("/api/v1/passport/get_passport_detail", "Bearer " + access);
    assertEquals(
        "carol", bearer.json().at("/data/full_name").asString().toLowerCase().split(" ")[0]);
    Resp revoke =
        ItSupport.postForm(
            "/api/oauth2/revoke",
            null,
            "token="
                + post.json().get("refresh_token").asString()
                + "&client_id="
                + APP_KEY
                + "&client_secret="
                + APP_SECRET);
    assertEquals(200, revoke.status(), revoke.body());
    assertEquals(
        10105,
        ItSupport.get("/api/v1/passport/get_passport_detail", "Bearer " + access)
            .json()
            .get("error_code")
            .asInt());
    JsonNode meta = ItSupport.get("/.well-known/oauth-authorization-server", null).json();
    assertTrue(meta.get("token_endpoint").asString().endsWith("/api/oauth2/access_token"));
    assertEquals("S256", meta.at("/code_challenge_methods_supported/0").asString());
  }

  @Test
  void pkce() throws Exception {
    String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    String challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    String code =
        code(
            approve(
                APP_KEY,
                REDIRECT,
                ACME,
                "carol",
                "&code_challenge=" + challenge + "&code_challenge_method=S256"));
    Resp without = exchange(code, "json");
    assertEquals(10108, without.json().get("error_code").asInt());
    String code2 =
        code(
            approve(
                APP_KEY,
                REDIRECT,
                ACME,
                "carol",
                "&code_challenge=" + challenge + "&code_challenge_method=S256"));
    Resp with =
        ItSupport.get(
            "/api/oauth2/access_token?app_key="
                + APP_KEY
                + "&app_secret="
                + APP_SECRET
                + "&grant_type=authorization_code&code="
                + code2
                + "&redirect_uri="
                + enc(REDIRECT)
                + "&code_verifier="
                + verifier
                + "&format=json",
            null);
    assertEquals(200, with.status(), with.body());
  }

  @Test
  void replayTamperingAndWrongSecrets() throws Exception {
    String code = code(approve(APP_KEY, REDIRECT, ACME, "carol", null));
    String access = exchange(code, "json").json().get("access_token").asString();
    Resp replay = exchange(code, "json");
    assertEquals(10108, replay.json().get("error_code").asInt());
    assertFalse(replay.json().get("success").asBoolean());
    assertEquals(
        10105,
        ItSupport.get("/api/v1/passport/get_passport_detail?access_token=" + access, null)
            .json()
            .get("error_code")
            .asInt());

    String code2 = code(approve(APP_KEY, REDIRECT, ACME, "carol", null));
    Resp tampered =
        ItSupport.get(
            "/api/oauth2/access_token?app_key="
                + APP_KEY
                + "&app_secret="
                + APP_SECRET
                + "&grant_type=authorization_code&code="
                + code2
                + "&redirect_uri="
                + enc("http://localhost:8000/other")
                + "&format=json",
            null);
    assertEquals(10002, tampered.json().get("error_code").asInt());

    Resp wrongSecret =
        ItSupport.get(
            "/api/oauth2/access_token?app_key="
                + APP_KEY
                + "&app_secret=nope"
                + "&grant_type=authorization_code&code=x&redirect_uri="
                + enc(REDIRECT)
                + "&format=json",
            null);
    assertEquals(10002, wrongSecret.json().get("error_code").asInt());
    Resp missing =
        ItSupport.get("/api/oauth2/access_token?app_key=" + APP_KEY + "&format=json", null);
    assertEquals(10001, missing.json().get("error_code").asInt());
    Resp xmlError = ItSupport.get("/api/oauth2/access_token?app_key=" + APP_KEY, null);
    assertTrue(xmlError.body().contains("<result><error_code>10001</error_code>"), xmlError.body());
    assertEquals(
        10101,
        ItSupport.get("/api/v1/passport/get_passport_detail?access_token=nope", null)
            .json()
            .get("error_code")
            .asInt());
  }

  @Test
  void openRedirectAttemptsShowAnErrorPageAndNeverRedirect() throws Exception {
    Session s = new Session();
    for (String redirect :
        new String[] {
          "https://evil.example/cb",
          REDIRECT + ".evil.example",
          REDIRECT + "/../x",
          "http://localhost:8000/callback?next=https://evil.example",
          "javascript:alert(1)"
        }) {
      HttpResponse<String> r = s.get(authorizePath(APP_KEY, redirect, ACME, null));
      assertEquals(400, r.statusCode(), redirect);
      assertTrue(r.headers().firstValue("Location").isEmpty());
      assertFalse(r.body().contains("evil.example/cb\""), "the bad URI is not turned into a link");
      // the page is a page: its markup is not escaped a second time on the way out
      assertTrue(r.body().startsWith("<!doctype html>"), r.body());
      assertTrue(r.body().contains("<h1>This sign-in request cannot continue</h1>"), r.body());
    }
    assertEquals(400, s.get(authorizePath("NOPE0000", REDIRECT, ACME, null)).statusCode());
    assertEquals(400, s.get(authorizePath(APP_KEY, REDIRECT, GLOBEX, null)).statusCode());
  }

  @Test
  void formsWithoutTheirCsrfTokenAreRefused() throws Exception {
    Session s = new Session();
    s.readForm(s.get(authorizePath(APP_KEY, REDIRECT, ACME, null)).body());
    assertEquals(
        403,
        s.post(
                "/api/oauth2/authorize/login",
                "flow=" + s.flow + "&csrf=forged&login=carol&password=carol-demo-pw")
            .statusCode());
    Session attacker = new Session();
    assertEquals(
        403,
        attacker
            .post(
                "/api/oauth2/authorize/login",
                "flow=" + s.flow + "&csrf=" + s.csrf + "&login=carol&password=carol-demo-pw")
            .statusCode(),
        "another browser's tokens do not work");
    HttpResponse<String> page = s.get(authorizePath(APP_KEY, REDIRECT, ACME, null));
    assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(null));
    assertTrue(
        page.headers()
            .firstValue("Content-Security-Policy")
            .orElse("")
            .contains("frame-ancestors 'none'"));
    assertEquals(
        403,
        s.post(
                "/api/oauth2/authorize/consent",
                "flow=" + s.flow + "&csrf=" + s.csrf + "&decision=approve")
            .statusCode(),
        "consent needs a signed-in session");
  }

  @Test
  void bruteForceLocksTheLogin() throws Exception {
    Session s = new Session();
    s.readForm(s.get(authorizePath(APP_KEY, REDIRECT, ACME, null)).body());
    int locked = 0;
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r =
          s.post(
              "/api/oauth2/authorize/login",
              "flow=" + s.flow + "&csrf=" + s.csrf + "&login=erin&password=guess" + i);
      if (r.statusCode() == 429) {
        locked++;
        assertTrue(r.body().contains("too many failed sign-ins"), r.body());
      }
    }
    assertTrue(locked >= 2, "the fifth failure locks the login");
    HttpResponse<String> right =
        s.post(
            "/api/oauth2/authorize/login",
            "flow=" + s.flow + "&csrf=" + s.csrf + "&login=erin&password=erin-demo-pw");
    assertEquals(429, right.statusCode(), "even the right password while locked");
  }

  @Test
  void hostileParametersAreRefusedAndEscaped() throws Exception {
    Resp long1 =
        ItSupport.get(
            "/api/v1/passport/get_passport_detail?access_token=" + "x".repeat(5000), null);
    assertEquals(10002, long1.json().get("error_code").asInt());
    Session s = new Session();
    HttpResponse<String> inj =
        s.get(
            authorizePath(
                APP_KEY, REDIRECT, ACME, "&state=" + enc("\"><script>alert(1)</script>")));
    assertEquals(200, inj.statusCode());
    assertFalse(inj.body().contains("<script>"), "nothing a client sends is echoed unescaped");
    s.readForm(inj.body());
    HttpResponse<String> sql =
        s.post(
            "/api/oauth2/authorize/login",
            "flow="
                + s.flow
                + "&csrf="
                + s.csrf
                + "&login="
                + enc("' OR '1'='1")
                + "&password="
                + enc("' OR '1'='1"));
    assertEquals(401, sql.statusCode());
    assertTrue(sql.body().contains("&#39; OR &#39;1&#39;=&#39;1"), "the login is echoed escaped");
    Resp injectedCode =
        ItSupport.get(
            "/api/oauth2/access_token?app_key="
                + APP_KEY
                + "&app_secret="
                + APP_SECRET
                + "&grant_type=authorization_code&code="
                + enc("' OR 1=1 --")
                + "&redirect_uri="
                + enc(REDIRECT)
                + "&format=json",
            null);
    assertEquals(10108, injectedCode.json().get("error_code").asInt());
  }

  @Test
  void secretsNeverReachTheServerLog() throws Exception {
    exchange(code(approve(APP_KEY, REDIRECT, ACME, "carol", null)), "json");
    Path logs =
        Path.of(
            System.getProperty("it.server.logs", "target/liberty/wlp/usr/servers/conduitIt/logs"));
    String messages = Files.readString(logs.resolve("messages.log"));
    assertFalse(messages.contains(APP_SECRET), "app_secret");
    assertFalse(messages.contains("carol-demo-pw"), "passwords");
    assertFalse(messages.contains("access_token="), "tokens in URLs");
    assertFalse(
        Files.exists(logs.resolve("http_access.log")), "no access log keeps the query strings");
  }
}
