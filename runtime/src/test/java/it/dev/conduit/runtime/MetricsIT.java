package it.dev.conduit.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
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
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus scrape of the test server (docs/metrics.md): calls that succeed and fail move the
 * counters and the latency histogram of their own tags, and only the metrics reader may read it.
 */
class MetricsIT {

  static final String APP_ONE = basic("app-one-key", "app-one-secret");
  static final String READER = basic("prometheus", "prometheus-demo-pw");
  static final String ALICE = basic("alice", "alice-demo-pw"); // the fixture organization's admin
  static final String BOB = basic("bob", "bob-demo-pw"); // owner of its connections
  static final String METRICS =
      "https://localhost:"
          + ItFixtures.httpsPort(URI.create(ItSupport.BASE).getPort())
          + "/metrics?scope=application";

  static final String CALLS = "conduit_calls_total";
  static final String DURATION_COUNT = "conduit_call_duration_seconds_count";
  static final String DURATION_BUCKET = "conduit_call_duration_seconds_bucket";

  static Map<String, String> call(String connection, String api, String outcome) {
    return Map.of(
        "organization",
        FIXTURE,
        "connection",
        connection,
        "api",
        api,
        "application",
        "app-one",
        "kind",
        "invoke",
        "outcome",
        outcome);
  }

  static Map<String, String> latency(String connection, String api) {
    return Map.of(
        "organization", FIXTURE, "connection", connection, "api", api, "application", "app-one");
  }

  @Test
  void callsThatSucceedAndFailMoveTheirOwnCountersAndTheLatencyHistogram() throws Exception {
    StubMapping echo =
        ItSupport.upstream()
            .stubFor(
                get(urlPathMatching("/echo/.*"))
                    .atPriority(1)
                    .willReturn(okJson("{\"path\":\"metered\",\"ok\":true}")));
    StubMapping boom =
        ItSupport.upstream()
            .stubFor(get(urlEqualTo("/boom")).willReturn(aResponse().withStatus(503)));
    try {
      // the first call registers the meters of its tags: make one of each before the baseline
      call("echo", "{\"name\":\"m0\"}", 200);
      call("boom", "{}", 502);
      PrometheusText before = scrape(READER);

      for (int i = 1; i <= 3; i++) {
        call("echo", "{\"name\":\"m" + i + "\"}", 200);
      }
      call("boom", "{}", 502);
      call("boom", "{}", 502);
      call("echo", "{}", 400); // no name: INVALID_INPUT, the caller's error, counted by its code
      postJson("/api/v1/connections/coded/apis/broken/invoke", APP_ONE, "{}"); // a JS block fails

      PrometheusText after = scrape(READER);
      String names = after.names().toString();
      assertEquals(
          3,
          delta(before, after, CALLS, call("plain", "echo", "ok")),
          "ok calls of echo: " + names);
      assertEquals(
          2, delta(before, after, CALLS, call("plain", "boom", "UPSTREAM_ERROR")), "boom's 502s");
      assertEquals(
          1, delta(before, after, CALLS, call("plain", "echo", "INVALID_INPUT")), "the 400");
      assertEquals(
          0,
          delta(before, after, CALLS, call("plain", "boom", "ok")),
          "no success counted for the failing API");
      // the histogram: every echo call (ok or not) is one observation, in the +Inf bucket too
      assertEquals(4, delta(before, after, DURATION_COUNT, latency("plain", "echo")), names);
      Map<String, String> inf = new java.util.HashMap<>(latency("plain", "echo"));
      inf.put("le", "+Inf");
      assertEquals(4, delta(before, after, DURATION_BUCKET, inf), "buckets: " + names);
      assertEquals(2, delta(before, after, DURATION_COUNT, latency("plain", "boom")));
      // buckets instead of quantiles (META-INF/microprofile-config.properties): fixed series
      assertFalse(
          after.samples().stream()
              .anyMatch(
                  s ->
                      s.name().startsWith("conduit_call_duration")
                          && s.labels().containsKey("quantile")),
          "no quantile series for the call histogram");
      // code-block time per language, and the request log's queue
      assertTrue(
          delta(
                  before,
                  after,
                  "conduit_code_duration_seconds_count",
                  Map.of("language", "javascript"))
              >= 1,
          names);
      assertTrue(after.has("conduit_request_log_queued"), names);
      assertTrue(after.has("conduit_request_log_dropped"), names);

      // nothing secret in the scrape: not the application's secret, not a sealed value
      assertFalse(after.text().contains("app-one-secret"));
      assertFalse(after.text().contains("key-PLAIN-0001"));
    } finally {
      ItSupport.upstream().removeStub(echo);
      ItSupport.upstream().removeStub(boom);
    }
  }

  @Test
  void onlyTheMetricsReaderReadsTheScrape() throws Exception {
    assertEquals(200, status(READER));
    assertEquals(401, status(null));
    assertEquals(401, status(basic("prometheus", "wrong")));
    // an organization's admin and a connection owner see every organization's ids there: refused
    assertEquals(403, status(ALICE));
    assertEquals(403, status(BOB));
    // and never in the clear: the plain-HTTP port does not serve it to anyone
    Resp plain = ItSupport.get("/metrics", READER);
    assertNotEquals(200, plain.status(), plain.body());
  }

  /**
   * Liberty's HTTP monitor, a servlet filter that mpMetrics adds to every web application, passes
   * each request straight on: otherwise it times every request and takes one server-wide lock for
   * it, the invoke path's most contended lock under load (server.xml's springBoot-3.0,
   * docs/benchmarks.md). Timing a request makes (and, with HTTP out of the monitor filter, on every
   * request) an {@code HttpServerStats}: after calls through the filter that class must still be
   * absent from the server's JVM.
   */
  @Test
  void libertysHttpMonitorLeavesRequestsAlone() throws Exception {
    for (int i = 0; i < 3; i++) { // the runtime's own application, unauthenticated
      Resp r = ItSupport.get("/.well-known/oauth-authorization-server", null);
      assertEquals(200, r.status(), r.body());
    }
    // the control: the filter is there (its initializer loads it for every web application)
    assertTrue(
        loadedInServer("io.openliberty.http.monitor.ServletFilter"),
        "Liberty's HTTP monitor filter is not in the server");
    assertFalse(
        loadedInServer("io.openliberty.http.monitor.HttpServerStats"),
        "Liberty's HTTP monitor timed a request");
  }

  /** Whether the test server's JVM has loaded a class ({@code jcmd VM.class_hierarchy}). */
  private static boolean loadedInServer(String className) throws Exception {
    Path wlp = Path.of(System.getProperty("arquillian.wlp.home"));
    String server = System.getProperty("arquillian.server.name", "conduitIt");
    String pid = Files.readString(wlp.resolve("usr/servers/.pid/" + server + ".pid")).trim();
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                pid,
                "VM.class_hierarchy",
                className)
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, jcmd.waitFor(), out);
    // a loaded class is printed under its superclasses, with its loader; one not loaded is absent
    return out.contains(className + "/");
  }

  private static void call(String api, String body, int status) {
    Resp r = postJson("/api/v1/connections/plain/apis/" + api + "/invoke", APP_ONE, body);
    assertEquals(status, r.status(), r.body());
  }

  private static double delta(
      PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
    return after.value(name, labels) - before.value(name, labels);
  }

  /** The application scope of the test server's /metrics, read as {@code authorization}. */
  static PrometheusText scrape(String authorization) throws IOException {
    HttpsURLConnection c = open(authorization);
    assertEquals(200, c.getResponseCode());
    assertTrue(c.getContentType().startsWith("text/plain"), c.getContentType());
    try (InputStream in = c.getInputStream()) {
      return PrometheusText.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static int status(String authorization) throws IOException {
    HttpsURLConnection c = open(authorization);
    try {
      return c.getResponseCode();
    } finally {
      c.disconnect();
    }
  }

  /**
   * HTTPS to the test server, whose certificate Liberty generated at its first start (self-signed,
   * for its own host name): trusted here as it is, for this connection only.
   */
  private static HttpsURLConnection open(String authorization) throws IOException {
    HttpsURLConnection c = (HttpsURLConnection) URI.create(METRICS).toURL().openConnection();
    c.setSSLSocketFactory(TRUST_THE_TEST_SERVER.getSocketFactory());
    c.setHostnameVerifier((host, session) -> true);
    c.setConnectTimeout(10_000);
    c.setReadTimeout(30_000);
    if (authorization != null) {
      c.setRequestProperty("Authorization", authorization);
    }
    return c;
  }

  private static final SSLContext TRUST_THE_TEST_SERVER = trustAll();

  private static SSLContext trustAll() {
    TrustManager any =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {any}, null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
