package it.dev.conduit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person's browser without the rendering: one HTTP session (cookies) on a server, the session's
 * CSRF token, no redirects followed. Signed in through the console's form, it is also signed in on
 * the accounts pages and at the accounts callback (one session, auth/PersonSession).
 */
final class ConsoleSession {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern FIELD =
      Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

  private final String base;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(cookies)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private String csrf;

  private ConsoleSession(String base) {
    this.base = base;
  }

  /** A session on the integration tests' server, not signed in. */
  static ConsoleSession open() throws Exception {
    return open(ItSupport.BASE);
  }

  static ConsoleSession open(String base) throws Exception {
    ConsoleSession c = new ConsoleSession(base);
    HttpResponse<String> page = c.get("/console");
    Matcher m = CSRF.matcher(page.body());
    assertTrue(m.find(), page.body());
    c.csrf = m.group(1);
    return c;
  }

  static ConsoleSession signedIn(String login, String password, String next) throws Exception {
    return signedIn(ItSupport.BASE, login, password, next);
  }

  static ConsoleSession signedIn(String base, String login, String password, String next)
      throws Exception {
    ConsoleSession c = open(base);
    HttpResponse<String> r = c.signIn(login, password, next);
    assertEquals(303, r.statusCode(), r.body());
    return c;
  }

  /**
   * Posts the console's sign-in form; a form shown again (refused) brings the token to use next.
   */
  HttpResponse<String> signIn(String login, String password, String next) throws Exception {
    HttpResponse<String> r =
        post(
            "/console/sign-in",
            Map.of("csrf", csrf, "login", login, "password", password, "next", next));
    Matcher m = CSRF.matcher(r.body());
    if (m.find()) {
      csrf = m.group(1);
    }
    return r;
  }

  /** The session's id as the browser holds it (its JSESSIONID cookie), or null. */
  String sessionId() {
    return cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals("JSESSIONID"))
        .map(java.net.HttpCookie::getValue)
        .findFirst()
        .orElse(null);
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Posts a form as a browser does: each field once, form-encoded. */
  HttpResponse<String> post(String path, Map<String, String> fields) throws Exception {
    StringBuilder form = new StringBuilder();
    fields.forEach(
        (k, v) -> form.append(form.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v)));
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The hidden fields of a page's forms, unescaped as a browser reads them. */
  static Map<String, String> hiddenFields(String page) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = FIELD.matcher(page);
    while (m.find()) {
      out.put(
          m.group(1),
          m.group(2)
              .replace("&quot;", "\"")
              .replace("&#39;", "'")
              .replace("&lt;", "<")
              .replace("&gt;", ">")
              .replace("&amp;", "&"));
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
