package dev.conduit.runtime.invoke;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.code.CodeFailure;
import dev.conduit.code.CodeSource;
import dev.conduit.code.Language;
import dev.conduit.code.Tenant;
import dev.conduit.code.languages.CodeRunner;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Before and after blocks inside an invocation, on the real engines. */
class CodeBlockInvokeTest {

  static Engine h;
  static CodeRunner runner;

  @BeforeAll
  static void start() throws Exception {
    runner =
        new CodeRunner(
            CodeRunner.Config.defaults()
                .withPythonWorkers(1)
                .withPythonUnconfinedUnsafe(
                    true)); // the tests' own blocks; bubblewrap still applies where it works
    h =
        new Engine(
            1 << 20,
            Recorder.DEFAULT,
            (connection, block, input) -> {
              try {
                return runner.run(
                    new Tenant(connection.organizationId(), connection.id()),
                    new CodeSource(
                        block.file(),
                        block.language().equals("python") ? Language.PYTHON : Language.JAVASCRIPT,
                        block.source()),
                    input,
                    Duration.ofMillis(block.timeoutMs()));
              } catch (CodeFailure e) {
                throw new CodeBlocks.Failure(e.getMessage());
              }
            });
  }

  @AfterAll
  static void stop() {
    h.close();
    runner.close();
  }

  @Test
  void aBeforeBlockSignsWithTheHiddenSecretAndItsResultsFillTheRequest() throws Exception {
    h.upstream.stubFor(get(urlPathEqualTo("/coded/signed")).willReturn(okJson("{\"ok\":true}")));
    Outcome o = h.invoke("coded", "signed", Map.of("msg", "hello", "phone", "+86 138"));
    Outcome.Success s = assertInstanceOf(Outcome.Success.class, o, o.toString());
    assertEquals(true, s.data().get("ok"));
    h.upstream.verify(
        getRequestedFor(urlPathEqualTo("/coded/signed"))
            .withQueryParam(
                "sig",
                equalTo(dev.conduit.code.Helpers.INSTANCE.hmacSha256("sk-CODED-0006", "hello")))
            .withQueryParam("phone", equalTo("138"))
            .withQueryParam("key", equalTo("ak-1")));
  }

  @Test
  void anAfterBlockReshapesTheResponseBeforeOutputs() throws Exception {
    h.upstream.stubFor(
        get(urlEqualTo("/coded/one")).willReturn(okJson("{\"data\":{\"id\":\"only\"}}")));
    Outcome.Success s =
        assertInstanceOf(Outcome.Success.class, h.invoke("coded", "wrapped", Map.of()));
    assertEquals(List.of(Map.of("id", "only")), s.data().get("rows"));
    assertEquals(new BigDecimal("1"), s.data().get("count"));
  }

  @Test
  void blockErrorsAndTimeoutsAre422NamingTheBlock() throws Exception {
    h.upstream.stubFor(get(urlEqualTo("/coded/one")).willReturn(okJson("{}")));
    Outcome.Failure broken =
        assertInstanceOf(Outcome.Failure.class, h.invoke("coded", "broken", Map.of()));
    assertEquals(ErrorCode.CODE_BLOCK_FAILED, broken.code());
    assertEquals(422, broken.status());
    assertTrue(
        broken.message().startsWith("connections/coded/code/broken.js:2: "), broken.message());
    Outcome.Failure loop =
        assertInstanceOf(Outcome.Failure.class, h.invoke("coded", "looping", Map.of()));
    assertEquals(422, loop.status());
    assertTrue(loop.message().contains("time limit"), loop.message());
    assertFalse(loop.message().contains("sk-CODED-0006"));
  }
}
