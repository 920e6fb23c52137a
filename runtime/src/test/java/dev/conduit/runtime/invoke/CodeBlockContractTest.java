package dev.conduit.runtime.invoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.conduit.runtime.invoke.Build.api;
import static dev.conduit.runtime.invoke.Build.connection;
import static dev.conduit.runtime.invoke.Build.input;
import static dev.conduit.runtime.invoke.Build.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.conduit.bundle.Api;
import dev.conduit.runtime.Fixtures;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the engine gives code blocks and takes back (the contract of docs/code-blocks.md), with a
 * stand-in for the engines so every shape can be checked; the real GraalJS and Jython run in
 * CodeBlockInvokeTest.
 */
class CodeBlockContractTest {

  static Engine e;

  /** What each block received, by file. */
  static final Map<String, Object> received = new ConcurrentHashMap<>();

  /** Whose block each was run as (organization/connection), by file. */
  static final Map<String, String> runAs = new ConcurrentHashMap<>();

  /** What each block returns (or a Failure to throw), by file. */
  static final Map<String, Object> returns = new ConcurrentHashMap<>();

  static final Api.CodeBlock BEFORE = new Api.CodeBlock("code/before.js", "javascript", 1000, "");
  static final Api.CodeBlock AFTER = new Api.CodeBlock("code/after.py", "python", 1000, "");

  @BeforeAll
  static void start() throws Exception {
    e =
        new Engine(
            1 << 20,
            Recorder.DEFAULT,
            (connection, block, input) -> {
              received.put(block.file(), input);
              runAs.put(block.file(), connection.organizationId() + "/" + connection.id());
              Object r = returns.get(block.file());
              if (r instanceof CodeBlocks.Failure f) {
                throw f;
              }
              return r == NOTHING ? null : r;
            });
  }

  static final Object NOTHING = new Object();

  @AfterAll
  static void stop() {
    e.close();
  }

  @BeforeEach
  void reset() {
    e.reset();
    received.clear();
    runAs.clear();
    returns.clear();
  }

  PreparedConnection conn() throws Exception {
    return e.prepare(
        connection("code")
            .param("base", e.base)
            .param("app_key", "ak-1")
            .hidden("secret", "sk-CODE-4242")
            .api(
                api("signed", "GET", "{{connection.base}}/signed")
                    .before(BEFORE)
                    .after(AFTER)
                    .input(input("msg", Api.InputType.Text, true))
                    .input(new Api.Input("n", "n", null, Api.InputType.Number, false, 5, List.of()))
                    .query("sig", "{{before.signature}}")
                    .query("n", "{{before.count}}")
                    .output(output("ok", "$.result.ok", Api.OutputType.Boolean))
                    .output(output("status", "$.status", Api.OutputType.Number))));
  }

  @Test
  void theBeforeBlockGetsValidatedInputsAndTheConnectionAndItsKeysFillTheRequest()
      throws Exception {
    returns.put(BEFORE.file(), Map.of("signature", "sig-123", "count", 7));
    returns.put(AFTER.file(), Map.of("result", Map.of("ok", true), "status", 200));
    e.upstream.stubFor(
        any(anyUrl()).willReturn(okJson("{\"done\":true}").withHeader("X-Rate-Limit", "10")));
    Outcome.Success s =
        assertInstanceOf(Outcome.Success.class, e.invoke(conn(), "signed", Map.of("msg", "hello")));
    assertEquals(
        Map.of(
            "input",
            Map.of("msg", "hello", "n", new BigDecimal("5")),
            "connection",
            Map.of("base", e.base, "app_key", "ak-1", "secret", "sk-CODE-4242")),
        received.get(BEFORE.file()));
    e.upstream.verify(
        getRequestedFor(urlPathEqualTo("/signed"))
            .withQueryParam("sig", equalTo("sig-123"))
            .withQueryParam("n", equalTo("7")));

    @SuppressWarnings("unchecked")
    Map<String, Object> after = (Map<String, Object>) received.get(AFTER.file());
    assertEquals(Map.of("msg", "hello", "n", new BigDecimal("5")), after.get("input"));
    assertEquals(Map.of("signature", "sig-123", "count", 7), after.get("before"));
    @SuppressWarnings("unchecked")
    Map<String, Object> response = (Map<String, Object>) after.get("response");
    assertEquals(200, response.get("status"));
    assertEquals(Map.of("done", true), response.get("body"));
    @SuppressWarnings("unchecked")
    Map<String, Object> headers = (Map<String, Object>) response.get("headers");
    assertEquals(
        "10", headers.get("x-rate-limit"), "header names are lower-case: " + headers.keySet());

    assertEquals(
        Map.of("ok", true, "status", new BigDecimal("200")),
        s.data(),
        "outputs come from what the after block returned");
  }

  @Test
  void eachBlockRunsAsItsOwnConnectionOfItsOwnOrganization() throws Exception {
    // the engine keeps what one connection's blocks leave behind away from every other's (issue 11)
    returns.put(BEFORE.file(), Map.of("signature", "s"));
    returns.put(AFTER.file(), Map.of());
    e.upstream.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    assertInstanceOf(Outcome.Success.class, e.invoke(conn(), "signed", Map.of("msg", "x")));
    assertEquals(
        Map.of(BEFORE.file(), Fixtures.ORG + "/code", AFTER.file(), Fixtures.ORG + "/code"), runAs);
  }

  @Test
  void aBlockWhoseLanguageCannotRunHereIs503CodeBlockUnavailableNamingWhatIsMissing()
      throws Exception {
    String why =
        "code/after.py: Python code blocks are unavailable on this server: the operating-system confinement"
            + " they need is missing (bubblewrap (bwrap) is not installed)";
    returns.put(BEFORE.file(), Map.of("signature", "s"));
    returns.put(AFTER.file(), new CodeBlocks.Failure(why, 0, CodeBlocks.UNAVAILABLE));
    e.upstream.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    Outcome.Failure f =
        assertInstanceOf(Outcome.Failure.class, e.invoke(conn(), "signed", Map.of("msg", "x")));
    assertEquals(ErrorCode.CODE_BLOCK_UNAVAILABLE, f.code());
    assertEquals(503, f.status());
    assertEquals(why, f.message());
    assertEquals(List.of(new Outcome.Detail("code/after.py", why)), f.details());
  }

  @Test
  void theAfterBlockGetsATextBodyAsText() throws Exception {
    returns.put(BEFORE.file(), Map.of("signature", "s"));
    returns.put(AFTER.file(), Map.of());
    e.upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("OK 42")));
    assertInstanceOf(Outcome.Success.class, e.invoke(conn(), "signed", Map.of("msg", "x")));
    @SuppressWarnings("unchecked")
    Map<String, Object> response =
        (Map<String, Object>) ((Map<String, Object>) received.get(AFTER.file())).get("response");
    assertEquals("OK 42", response.get("body"));
  }

  @Test
  void blockFailuresAre422NamingTheFileAndLineWithNothingSentForABeforeBlock() throws Exception {
    returns.put(
        BEFORE.file(),
        new CodeBlocks.Failure("code/before.js:4: TypeError: x is undefined (error)"));
    Outcome.Failure f =
        assertInstanceOf(Outcome.Failure.class, e.invoke(conn(), "signed", Map.of("msg", "x")));
    assertEquals(ErrorCode.CODE_BLOCK_FAILED, f.code());
    assertEquals(422, f.status());
    assertEquals("code/before.js:4: TypeError: x is undefined (error)", f.message());
    assertEquals(
        List.of(
            new Outcome.Detail(
                "code/before.js", "code/before.js:4: TypeError: x is undefined (error)")),
        f.details());
    assertEquals(0, e.requests());
    assertNull(f.exchange().request());

    // an after block that fails: the record keeps the exchange that happened
    e.upstream.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    returns.put(BEFORE.file(), Map.of("signature", "s"));
    returns.put(
        AFTER.file(),
        new CodeBlocks.Failure("code/after.py:2: time limit of 1000 ms reached", 2, "TIMEOUT"));
    Outcome.Failure a =
        assertInstanceOf(Outcome.Failure.class, e.invoke(conn(), "signed", Map.of("msg", "x")));
    assertEquals(422, a.status());
    assertEquals("code/after.py:2: time limit of 1000 ms reached", a.message());
    assertEquals(
        List.of(
            new Outcome.Detail(
                "code/after.py:2", "code/after.py:2: time limit of 1000 ms reached")),
        a.details());
    assertEquals(200, a.exchange().response().status());
  }

  @Test
  void aBeforeBlockMustReturnAnObject() throws Exception {
    returns.put(BEFORE.file(), List.of("not", "an", "object"));
    Outcome.Failure f =
        assertInstanceOf(Outcome.Failure.class, e.invoke(conn(), "signed", Map.of("msg", "x")));
    assertEquals(422, f.status());
    assertEquals(
        "code/before.js: main must return an object (its keys become {{before.NAME}}), not an array",
        f.message());
    returns.put(BEFORE.file(), NOTHING);
    assertEquals(
        "code/before.js: main must return an object (its keys become {{before.NAME}}), not nothing",
        assertInstanceOf(Outcome.Failure.class, e.invoke(conn(), "signed", Map.of("msg", "x")))
            .message());
  }

  @Test
  void invalidInputsStopBeforeAnyBlockRuns() throws Exception {
    Outcome.Failure f =
        assertInstanceOf(Outcome.Failure.class, e.invoke(conn(), "signed", Map.of("n", "many")));
    assertEquals(400, f.status());
    assertEquals(List.of("msg", "n"), f.details().stream().map(Outcome.Detail::path).toList());
    assertEquals(Map.of(), received);
  }
}
