package it.dev.conduit.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static it.dev.conduit.runtime.ItSupport.ACME;
import static it.dev.conduit.runtime.ItSupport.FIXTURE;
import static it.dev.conduit.runtime.ItSupport.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A real crash: a runtime server process under load is killed with SIGKILL right after a refresh
 * token was rotated, then started again on the same embedded database (issue 18). Whatever a caller
 * got an answer for must be there after the restart: every answered call's request log, the rotated
 * tokens, and the old refresh token's refusal.
 */
class CrashIT {

  static final String APP_ONE = basic("app-one-key", "app-one-secret");
  static final String ALICE = basic("alice", "alice-demo-pw"); // the fixture organization's admin
  static final String APP_KEY = "441139F6ADFA"; // acme's third-party application (IdentityIT)
  static final String APP_SECRET = "MmsAGOVoV0uyOuu9k1IkUSJEq_CHypup";
  static final String REDIRECT = "http://localhost:8000/callback";
  static final int CALLERS = 8;

  String base;

  /** A new client after a restart: the old one's pooled connections died with the server. */
  HttpClient http;

  @Test
  void everyAnsweredWriteSurvivesAKill() throws Exception {
    int port = URI.create(ItSupport.BASE).getPort() + 5;
    StubMapping echo =
        ItSupport.upstream()
            .stubFor(
                get(urlPathMatching("/echo/.*"))
                    .atPriority(1)
                    .willReturn(okJson("{\"path\":\"crash\",\"ok\":true}")));
    try (ServerProcess server = ServerProcess.of("conduitCrash", port, Map.of())) {
      base = server.base;
      Duration firstStart = server.start();
      http = client();
      JsonNode tokens = exchange(code());
      String refresh = tokens.get("refresh_token").asString();

      // callers invoke until the server dies; a call counts once its answer is read in full
      Set<String> answered = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
      for (int i = 0; i < CALLERS; i++) {
        int caller = i;
        callers.submit(
            () -> {
              for (int n = 0; !stop.get(); n++) {
                try {
                  HttpResponse<String> r =
                      http.send(
                          HttpRequest.newBuilder(
                                  URI.create(base + "/api/v1/connections/plain/apis/echo/invoke"))
                              .header("Authorization", APP_ONE)
                              .header("Content-Type", "application/json")
                              .timeout(Duration.ofSeconds(10))
                              .POST(
                                  HttpRequest.BodyPublishers.ofString(
                                      "{\"name\":\"c" + caller + "-" + n + "\"}"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() == 200) {
                    answered.add(ItSupport.JSON.readTree(r.body()).get("requestId").asString());
                  }
                } catch (Exception e) {
                  return; // the server is gone
                }
              }
            });
      }
      // a warm-up's worth of calls (a cold server on a busy machine is slow), then the crash
      long loadUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((answered.size() < 500) && System.nanoTime() < loadUntil) {
        Thread.sleep(100);
      }
      String lateCode = code();
      JsonNode rotated = refresh(refresh);
      assertEquals(200, rotated.get("status").asInt(), rotated.toString());
      String newAccess = rotated.at("/body/access_token").asString();
      String newRefresh = rotated.at("/body/refresh_token").asString();
      assertNotEquals(refresh, newRefresh, "refresh tokens rotate");
      // the last answer before the kill: a code exchange, whose commit it shared with no one or
      // with the exchanges around it (issue 16's group commit): answered means durable
      JsonNode lateTokens = exchange(lateCode);
      long killedAt = System.nanoTime();
      server.kill();
      stop.set(true);
      callers.shutdown();
      assertTrue(callers.awaitTermination(30, TimeUnit.SECONDS));
      assertTrue(
          answered.size() >= 100, "load before the kill: " + answered.size() + " answered calls");

      Duration restart = server.start();
      http = client();
      System.out.printf(
          "[crash] first start %d ms; %d calls answered before the kill; killed to ready again %d ms%n",
          firstStart.toMillis(), answered.size(), (System.nanoTime() - killedAt) / 1_000_000);
      assertTrue(restart.toSeconds() < 600, "restart took " + restart);

      Set<String> logged = loggedCalls();
      List<String> lost = answered.stream().filter(id -> !logged.contains(id)).sorted().toList();
      assertEquals(
          List.of(),
          lost,
          lost.size()
              + " of "
              + answered.size()
              + " answered calls have no request log after the crash");

      assertEquals(
          1,
          passport(newAccess).get("error_code").asInt(),
          "the access token answered before the crash works");
      JsonNode again = refresh(newRefresh);
      assertEquals(
          200,
          again.get("status").asInt(),
          "the refresh token answered before the crash works: " + again);
      assertEquals(
          1,
          passport(lateTokens.get("access_token").asString()).get("error_code").asInt(),
          "the access token of the exchange answered right before the crash works");
      JsonNode replay = exchange(lateCode, 400);
      assertEquals(
          10108,
          replay.get("error_code").asInt(),
          "the code exchanged before the crash stays used: " + replay);
      JsonNode reused = refresh(refresh);
      assertEquals(
          10105,
          reused.at("/body/error_code").asInt(),
          "the refresh token replaced before the crash stays refused: " + reused);
    } finally {
      ItSupport.upstream().removeStub(echo);
    }
  }

  /** The ids of the fixture organization's logs of the connection "plain", all pages. */
  Set<String> loggedCalls() throws Exception {
    Set<String> ids = new HashSet<>();
    for (int offset = 0; ; offset += 500) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          base
                              + "/api/v1/organizations/"
                              + FIXTURE
                              + "/logs?connection=plain&limit=500&offset="
                              + offset))
                  .header("Authorization", ALICE)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      List<String> page = new ArrayList<>();
      ItSupport.JSON
          .readTree(r.body())
          .at("/data/logs")
          .forEach(l -> page.add(l.get("id").asString()));
      ids.addAll(page);
      if (page.size() < 500) {
        return ids;
      }
    }
  }

  /** carol signs in to acme's third-party application and approves it: the code it gets back. */
  String code() throws Exception {
    HttpClient browser =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpResponse<String> page =
        browser.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "/api/oauth2/authorize?app_key="
                            + APP_KEY
                            + "&redirect_uri="
                            + enc(REDIRECT)
                            + "&projectid="
                            + ACME))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode(), page.body());
    String form = "flow=" + field(page.body(), "flow") + "&csrf=" + field(page.body(), "csrf");
    HttpResponse<String> consent =
        post(
            browser,
            base + "/api/oauth2/authorize/login",
            form + "&login=carol&password=carol-demo-pw");
    assertEquals(200, consent.statusCode(), consent.body());
    HttpResponse<String> back =
        post(browser, base + "/api/oauth2/authorize/consent", form + "&decision=approve");
    assertEquals(303, back.statusCode(), back.body());
    Matcher m =
        Pattern.compile("[?&]code=([^&]+)")
            .matcher(back.headers().firstValue("Location").orElseThrow());
    assertTrue(m.find());
    return m.group(1);
  }

  JsonNode exchange(String code) throws Exception {
    return exchange(code, 200);
  }

  /** A HAP code exchange answered with {@code status}: its JSON body. */
  JsonNode exchange(String code, int status) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "/api/oauth2/access_token?app_key="
                            + APP_KEY
                            + "&app_secret="
                            + APP_SECRET
                            + "&grant_type=authorization_code&code="
                            + code
                            + "&redirect_uri="
                            + enc(REDIRECT)
                            + "&format=json"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), r.body());
    return ItSupport.JSON.readTree(r.body());
  }

  /** A HAP refresh: {"status": the HTTP status, "body": the JSON answer}. */
  JsonNode refresh(String refreshToken) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "/api/oauth2/access_token?app_key="
                            + APP_KEY
                            + "&app_secret="
                            + APP_SECRET
                            + "&grant_type=refresh_token&refresh_token="
                            + refreshToken
                            + "&format=json"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    var out = ItSupport.JSON.createObjectNode();
    out.put("status", r.statusCode());
    out.set("body", ItSupport.JSON.readTree(r.body()));
    return out;
  }

  JsonNode passport(String accessToken) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base + "/api/v1/passport/get_passport_detail?access_token=" + accessToken))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return ItSupport.JSON.readTree(r.body());
  }

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static HttpResponse<String> post(HttpClient browser, String url, String form)
      throws Exception {
    return browser.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String field(String html, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
    assertTrue(m.find(), name + " in " + html);
    return m.group(1);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
