package it.dev.conduit.runtime;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Black-box access to the integration tests' running server, and the fixture upstream. */
final class ItSupport {

  static final String BASE = System.getProperty("it.url", "http://localhost:9180");
  static final int UPSTREAM_PORT = Integer.getInteger("it.upstream.port", 9181);
  static final String FIXTURE = "11111111-2222-4333-8444-555555555555";
  static final String ACME = "f0dc6a74-854a-46cb-ab8c-909b7846d34c";
  static final String GLOBEX = "dc6b3b43-bd3c-4214-a71f-aae77ae271f7";
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private static WireMockServer upstream;

  private ItSupport() {}

  /** The fixture upstream on its fixed port (the fixture bundle's connections point at it). */
  static synchronized WireMockServer upstream() {
    if (upstream == null) {
      upstream =
          new WireMockServer(
              WireMockConfiguration.options().port(UPSTREAM_PORT).bindAddress("127.0.0.1"));
      upstream.start();
    }
    return upstream;
  }

  /** A response with its body parsed when it is JSON. */
  record Resp(int status, String body, HttpResponse<String> raw) {
    JsonNode json() {
      return JSON.readTree(body);
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static Resp send(
      String method, String path, String authorization, String body, String contentType) {
    awaitApplication();
    return exchange(method, path, authorization, body, contentType);
  }

  private static boolean started;

  /**
   * Waits (once, up to 5 minutes) until the application answers: Liberty reports the server started
   * before the application is, and on a loaded machine the application took over two minutes more,
   * so every path answered 404 meanwhile.
   */
  private static synchronized void awaitApplication() {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (!started && System.nanoTime() < deadline) {
      try {
        started =
            exchange("GET", "/api/v1/organizations/" + FIXTURE + "/bundle", null, null, null)
                    .status()
                != 404;
        if (!started) {
          Thread.sleep(500);
        }
      } catch (AssertionError | InterruptedException e) {
        return; // the test's own request reports it
      }
    }
  }

  private static Resp exchange(
      String method, String path, String authorization, String body, String contentType) {
    return send(method, path, authorization, body, contentType, null, null);
  }

  /** A request with one extra header (none when its name is null). */
  static Resp send(
      String method,
      String path,
      String authorization,
      String body,
      String contentType,
      String headerName,
      String headerValue) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(BASE + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (headerName != null) {
      b.header(headerName, headerValue);
    }
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Resp(r.statusCode(), r.body(), r);
    } catch (Exception e) {
      throw new AssertionError("cannot reach the test server at " + BASE + path + ": " + e, e);
    }
  }

  static Resp get(String path, String authorization) {
    return send("GET", path, authorization, null, null);
  }

  static Resp postJson(String path, String authorization, String json) {
    return send("POST", path, authorization, json, "application/json");
  }

  static Resp postForm(String path, String authorization, String form) {
    return send("POST", path, authorization, form, "application/x-www-form-urlencoded");
  }
}
