package dev.conduit.runtime.invoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.conduit.runtime.invoke.Build.api;
import static dev.conduit.runtime.invoke.Build.connection;
import static dev.conduit.runtime.invoke.Build.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Auth;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secrets never show in what the engine records or says: requests as sent, responses, error
 * messages, details and outputs. Each scenario first proves the secret really went over the wire
 * (so the masking is not vacuous), then that no form of it is in the outcome.
 */
class SecretsTest {

  /** A secret with characters that change under URL and JSON encoding. */
  static final String KEY = "k3y w/ \"quote\" & ü+%";

  static final String PASSWORD = "pw-SECRET-2468";
  static final String CLIENT_SECRET = "cs-SECRET-1357";
  static final String TOKEN = "tok-SECRET-8080";

  static Engine e;
  static final List<String> codeMessages = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    e =
        new Engine(
            1 << 20,
            Recorder.DEFAULT,
            (connection, block, input) -> {
              // a clumsy block that puts the hidden parameter into its error message
              throw new CodeBlocks.Failure(
                  block.file()
                      + ":3: cannot sign with "
                      + ((Map<?, ?>) ((Map<?, ?>) input).get("connection")).get("key"));
            });
  }

  @AfterAll
  static void stop() {
    e.close();
  }

  @BeforeEach
  void reset() {
    e.reset();
  }

  /** Every form a secret may take in text. */
  static List<String> forms(String secret) {
    return List.of(
        secret,
        URLEncoder.encode(secret, StandardCharsets.UTF_8),
        URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"),
        secret.replace("\\", "\\\\").replace("\"", "\\\""));
  }

  static void assertNoSecret(Outcome o, String... secrets) {
    String all = o.toString();
    for (String s : secrets) {
      for (String form : forms(s)) {
        assertFalse(all.contains(form), () -> "\"" + form + "\" appears in " + all);
      }
    }
    assertTrue(
        all.contains("******") || !(o instanceof Outcome.Success), "something was masked: " + all);
  }

  /** Asserts the upstream saw the secret (in its raw or encoded form) somewhere in a request. */
  static void assertSent(String secret) {
    boolean seen =
        e.upstream.getAllServeEvents().stream()
            .map(ev -> ev.getRequest())
            .anyMatch(
                r ->
                    forms(secret).stream()
                        .anyMatch(
                            f -> (r.getUrl() + r.getHeaders() + r.getBodyAsString()).contains(f)));
    assertTrue(seen, "the upstream received " + secret);
  }

  Build.ConnectionBuilder keyed() {
    return connection("sec").param("base", e.base).hidden("key", KEY);
  }

  @Test
  void aHiddenParameterInQueryHeadersAndEveryBodyKindIsMaskedAndSoIsItsEcho() throws Exception {
    String echo =
        "{\"echo\":\""
            + KEY.replace("\"", "\\\"")
            + "\",\"url\":\""
            + URLEncoder.encode(KEY, StandardCharsets.UTF_8)
            + "\"}";
    e.upstream.stubFor(
        any(anyUrl())
            .willReturn(
                okJson(echo).withHeader("X-Echo", KEY).withHeader("Set-Cookie", "s=" + KEY)));
    PreparedConnection c =
        e.prepare(
            keyed()
                .api(
                    api("q", "GET", "{{connection.base}}/q")
                        .query("key", "{{connection.key}}")
                        .header("X-Custom", "Key {{connection.key}}")
                        .output(output("echo", "$.echo", Api.OutputType.Text)))
                .api(
                    api("j", "POST", "{{connection.base}}/j")
                        .json(
                            Map.of(
                                "auth",
                                Map.of("key", "{{connection.key}}"),
                                "s",
                                "k={{connection.key}}")))
                .api(
                    api("f", "POST", "{{connection.base}}/f")
                        .form(Map.of("key", "{{connection.key}}")))
                .api(
                    api("r", "POST", "{{connection.base}}/r")
                        .raw("text/plain", "key={{connection.key}}")));
    for (String a : List.of("q", "j", "f", "r")) {
      Outcome o = e.invoke(c, a, Map.of());
      assertInstanceOf(Outcome.Success.class, o, o::toString);
      assertNoSecret(o, KEY);
    }
    assertSent(KEY);
    Outcome.Success q = (Outcome.Success) e.invoke(c, "q", Map.of());
    assertEquals("******", q.data().get("echo"), "outputs are masked too");
    assertEquals(List.of("Key ******"), q.exchange().request().headers().get("X-Custom"));
    assertEquals(List.of("******"), q.exchange().response().headers().get("set-cookie"));
  }

  @Test
  void aHiddenValueInTheUrlPathIsMaskedInTheRecordedUrl() throws Exception {
    e.upstream.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    PreparedConnection c =
        e.prepare(
            connection("path")
                .param("base", e.base)
                .hidden("tenant", "tenant-SECRET-77")
                .api(api("p", "GET", "{{connection.base}}/t/{{connection.tenant}}/items")));
    Outcome o = e.invoke(c, "p", Map.of());
    assertEquals(e.base + "/t/******/items", o.exchange().request().url());
    assertSent("tenant-SECRET-77");
    assertNoSecret(o, "tenant-SECRET-77");
  }

  @Test
  void basicCredentialsAreMaskedInTheHeaderItsBase64AndEchoes() throws Exception {
    String b64 =
        Base64.getEncoder().encodeToString(("svc:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    e.upstream.stubFor(
        any(anyUrl())
            .willReturn(okJson("{\"seen\":\"Basic " + b64 + "\",\"pw\":\"" + PASSWORD + "\"}")));
    PreparedConnection c =
        e.prepare(
            connection("basic")
                .param("base", e.base)
                .hidden("pw", PASSWORD)
                .auth(new Auth.Basic("svc", "{{connection.pw}}"))
                .api(
                    api("a", "GET", "{{connection.base}}/a")
                        .header("X-Debug", "{{auth.password}}")));
    Outcome o = e.invoke(c, "a", Map.of());
    assertInstanceOf(Outcome.Success.class, o);
    assertSent(PASSWORD);
    assertNoSecret(o, PASSWORD, b64);
  }

  @Test
  void theClientSecretAndTheAccessTokenAreMaskedInTheTokenExchangeAndTheCall() throws Exception {
    e.upstream.stubFor(
        post(urlEqualTo("/token"))
            .willReturn(okJson("{\"access_token\":\"" + TOKEN + "\",\"expires_in\":60}")));
    e.upstream.stubFor(
        any(urlEqualTo("/wx?access_token=" + TOKEN))
            .willReturn(okJson("{\"token\":\"" + TOKEN + "\"}")));
    PreparedConnection c =
        e.prepare(
            connection("cc")
                .param("base", e.base)
                .hidden("cs", CLIENT_SECRET)
                .auth(
                    Build.clientCredentials(
                        "{{connection.base}}/token",
                        "POST",
                        "form",
                        Map.of("client_secret", "{{connection.cs}}"),
                        Map.of(),
                        null,
                        10,
                        Auth.TokenExpired.DEFAULT))
                .api(
                    api("wx", "GET", "{{connection.base}}/wx")
                        .query("access_token", "{{auth.access_token}}")));
    Outcome call = e.invoke(c, "wx", Map.of());
    assertInstanceOf(Outcome.Success.class, call, call::toString);
    assertEquals(e.base + "/wx?access_token=******", call.exchange().request().url());
    assertSent(CLIENT_SECRET);
    assertSent(TOKEN);
    assertNoSecret(call, CLIENT_SECRET, TOKEN);
    Outcome button = e.invoker.getAccessToken(c);
    assertNoSecret(button, CLIENT_SECRET, "tok-SECRET");
    assertNoSecret(e.invoker.authValues(c, "").outcome(), CLIENT_SECRET, "tok-SECRET");
  }

  @Test
  void errorMessagesNeverQuoteASecret() throws Exception {
    // an upstream error that echoes the key
    e.upstream.stubFor(
        any(anyUrl()).willReturn(aResponse().withStatus(500).withBody("bad key " + KEY)));
    PreparedConnection c =
        e.prepare(
            keyed()
                .api(api("q", "GET", "{{connection.base}}/q").query("key", "{{connection.key}}"))
                .api(
                    api("coded", "GET", "{{connection.base}}/q")
                        .before(new Api.CodeBlock("code/sign.js", "javascript", 1000, "")))
                .api(api("bad", "GET", "{{connection.key}}://x")));
    Outcome.Failure upstream = assertInstanceOf(Outcome.Failure.class, e.invoke(c, "q", Map.of()));
    assertTrue(upstream.message().contains("bad key ******"), upstream.message());
    assertNoSecret(upstream, KEY);
    // a code block whose message quotes it
    Outcome.Failure code = assertInstanceOf(Outcome.Failure.class, e.invoke(c, "coded", Map.of()));
    assertEquals("code/sign.js:3: cannot sign with ******", code.message());
    assertNoSecret(code, KEY);
    // a URL made invalid by the secret itself
    Outcome.Failure url = assertInstanceOf(Outcome.Failure.class, e.invoke(c, "bad", Map.of()));
    assertNoSecret(url, KEY);
    // a token endpoint that echoes the client secret
    e.upstream.stubFor(
        post(urlEqualTo("/token"))
            .willReturn(aResponse().withStatus(401).withBody("unknown secret " + CLIENT_SECRET)));
    PreparedConnection cc =
        e.prepare(
            connection("cc2")
                .param("base", e.base)
                .hidden("cs", CLIENT_SECRET)
                .auth(
                    Build.clientCredentials(
                        "{{connection.base}}/token",
                        "POST",
                        "json",
                        Map.of("client_secret", "{{connection.cs}}"),
                        Map.of(),
                        null,
                        10,
                        Auth.TokenExpired.DEFAULT))
                .api(
                    api("a", "GET", "{{connection.base}}/a")
                        .header("Authorization", "Bearer {{auth.access_token}}")));
    Outcome.Failure token = assertInstanceOf(Outcome.Failure.class, e.invoke(cc, "a", Map.of()));
    assertEquals(ErrorCode.TOKEN_REQUEST_FAILED, token.code());
    assertTrue(token.message().contains("unknown secret ******"), token.message());
    assertNoSecret(token, CLIENT_SECRET);
  }
}
