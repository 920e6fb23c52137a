package dev.conduit.runtime.invoke;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.conduit.runtime.invoke.Build.api;
import static dev.conduit.runtime.invoke.Build.connection;
import static dev.conduit.runtime.invoke.UpstreamGuardTest.failed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Auth;
import dev.conduit.code.CodeFailure;
import dev.conduit.code.CodeSource;
import dev.conduit.code.Language;
import dev.conduit.code.Tenant;
import dev.conduit.code.languages.CodeRunner;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API's timeoutSeconds is the whole call's: the token request, the code blocks and the upstream
 * call share it, and the step that runs out of time is the one the message names. Bounds on elapsed
 * time here are generous (they check a deadline was kept, not speed).
 */
class CallDeadlineTest {

  static Engine e;
  static CodeRunner runner;

  @BeforeAll
  static void start() throws Exception {
    runner = new CodeRunner(CodeRunner.Config.defaults().withPythonWorkers(0));
    // the real JavaScript engine, told the limit the invoker gives it (as the runtime's adapter
    // does)
    e =
        new Engine(
            64 * 1024,
            Recorder.DEFAULT,
            new CodeBlocks() {
              @Override
              public Object run(PreparedConnection connection, Api.CodeBlock block, Object input)
                  throws Failure {
                return run(connection, block, input, Duration.ofMillis(block.timeoutMs()));
              }

              @Override
              public Object run(
                  PreparedConnection connection, Api.CodeBlock block, Object input, Duration limit)
                  throws Failure {
                try {
                  return runner.run(
                      new Tenant(connection.organizationId(), connection.id()),
                      new CodeSource(block.file(), Language.JAVASCRIPT, block.source()),
                      input,
                      limit);
                } catch (CodeFailure f) {
                  throw new Failure(f.getMessage(), 0, f.kind().name());
                }
              }
            });
    // a first JavaScript context costs seconds on a busy machine: not what the deadlines here
    // measure
    // nor is a first token request, connection and call: one of each before the clock matters
    runner.run(
        new CodeSource("warm.js", Language.JAVASCRIPT, "function main(input) { return {}; }"),
        Map.of(),
        Duration.ofSeconds(30));
    e.upstream.stubFor(get(urlEqualTo("/data")).willReturn(okJson("{}")));
    tokenAfter("warm", 0);
    e.invoke(
        e.prepare(cc("warm", api("data", "GET", "{{connection.base}}/data").timeout(30))),
        "data",
        Map.of());
  }

  @AfterAll
  static void stop() {
    e.close();
    runner.close();
  }

  @BeforeEach
  void reset() {
    e.reset();
    e.upstream.stubFor(get(urlEqualTo("/data")).willReturn(okJson("{\"value\":\"v\"}")));
  }

  /**
   * A connection whose token endpoint is /oauth/NAME: a token request a test leaves running (they
   * go on past a call's deadline) never counts as another test's.
   */
  static Build.ConnectionBuilder cc(String tokenPath, Build.ApiBuilder a) {
    return connection("cc")
        .param("base", e.base)
        .hidden("client_secret", "cs-DEADLINE-4471")
        .auth(
            Build.clientCredentials(
                "{{connection.base}}/oauth/" + tokenPath,
                "POST",
                "form",
                Map.of(
                    "grant_type",
                    "client_credentials",
                    "client_secret",
                    "{{connection.client_secret}}"),
                Map.of(),
                null,
                30,
                Auth.TokenExpired.DEFAULT))
        .api(a.header("Authorization", "Bearer {{auth.access_token}}"));
  }

  static void tokenAfter(String tokenPath, int millis) {
    e.upstream.stubFor(
        post(urlEqualTo("/oauth/" + tokenPath))
            .willReturn(
                okJson("{\"access_token\":\"tok-D\",\"expires_in\":3600}").withFixedDelay(millis)));
  }

  static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void aSlowTokenEndpointCannotStretchTheCallAndItsTokenServesTheNextCall() throws Exception {
    tokenAfter("slow", 4000);
    PreparedConnection c =
        e.prepare(cc("slow", api("data", "GET", "{{connection.base}}/data").timeout(1)));
    long start = System.nanoTime();
    Outcome.Failure f = failed(e.invoke(c, "data", Map.of()), ErrorCode.UPSTREAM_TIMEOUT);
    long took = millisSince(start);
    assertEquals(504, f.status());
    assertTrue(
        f.message()
            .startsWith(
                "the token request ran out of time: no access token came before the API's "
                    + "timeoutSeconds (1 s, for the whole call"),
        f.message());
    assertTrue(
        took < 3000,
        "answered at the API's deadline, not the token endpoint's pace: " + took + " ms");
    // the token request went on: once it is in, the next call uses its token without asking again
    while (e.store.get(c.organizationId(), c.id(), TokenManager.CONNECTION_ACCOUNT).isEmpty()
        && millisSince(start) < 20_000) {
      Thread.sleep(50);
    }
    Outcome next = e.invoke(c, "data", Map.of());
    assertInstanceOf(Outcome.Success.class, next, next::toString);
    assertEquals(1, e.upstream.findAll(postRequestedFor(urlEqualTo("/oauth/slow"))).size());
  }

  @Test
  void theTokenRequestsTimeIsTakenFromTheUpstreamCalls() throws Exception {
    // each step alone fits in 1 s; together they do not
    tokenAfter("shared", 2000);
    e.upstream.stubFor(
        get(urlEqualTo("/data")).willReturn(okJson("{\"value\":\"v\"}").withFixedDelay(2000)));
    PreparedConnection c =
        e.prepare(cc("shared", api("data", "GET", "{{connection.base}}/data").timeout(3)));
    long start = System.nanoTime();
    Outcome.Failure f = failed(e.invoke(c, "data", Map.of()), ErrorCode.UPSTREAM_TIMEOUT);
    long took = millisSince(start);
    assertTrue(
        f.message()
            .startsWith(
                "the upstream call ran out of time: 127.0.0.1 did not answer before the API's "
                    + "timeoutSeconds (3 s, for the whole call"),
        f.message());
    assertTrue(took < 4500, took + " ms");
  }

  @Test
  void aCodeBlockStoppedByTheCallsDeadlineIsNamedAsTheStepThatRanOut() throws Exception {
    tokenAfter("quick", 0);
    Api.CodeBlock spin =
        new Api.CodeBlock(
            "code/spin.js", "javascript", 8000, "function main(input) { while (true) {} }");
    PreparedConnection c =
        e.prepare(
            cc("quick", api("data", "GET", "{{connection.base}}/data").timeout(1).before(spin)));
    long start = System.nanoTime();
    Outcome.Failure f = failed(e.invoke(c, "data", Map.of()), ErrorCode.UPSTREAM_TIMEOUT);
    long took = millisSince(start);
    assertEquals(
        "the code block code/spin.js ran out of time: it did not finish before the API's timeoutSeconds (1 s, "
            + "for the whole call: token request, code blocks and upstream call) ran out",
        f.message());
    assertTrue(
        took < 4000, "stopped at the API's deadline, not the block's own 8 s: " + took + " ms");
    assertEquals(
        0,
        e.upstream
            .findAll(
                com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                    urlEqualTo("/data")))
            .size(),
        "nothing was sent upstream");
    // a block that runs past its own, shorter limit is still the block's failure
    Api.CodeBlock shortSpin = new Api.CodeBlock("code/spin.js", "javascript", 200, spin.source());
    Outcome.Failure own =
        failed(
            e.invoke(
                e.prepare(
                    cc(
                        "quick",
                        api("data", "GET", "{{connection.base}}/data")
                            .timeout(5)
                            .before(shortSpin))),
                "data",
                Map.of()),
            ErrorCode.CODE_BLOCK_FAILED);
    assertEquals(422, own.status());
  }
}
