package dev.conduit.runtime.invoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static dev.conduit.runtime.invoke.Build.api;
import static dev.conduit.runtime.invoke.Build.connection;
import static dev.conduit.runtime.invoke.Build.output;
import static dev.conduit.runtime.invoke.UpstreamGuardTest.failed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Api;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Answers that are broken on the wire or in their body: each gets its own code, so a caller can
 * tell "nothing was sent" (safe to retry) from "it may have been processed", and a broken body is
 * never passed off as a success with null outputs.
 */
class MisbehavingUpstreamTest {

  static Engine e;
  static RawUpstream raw;

  @BeforeAll
  static void start() throws Exception {
    e = new Engine();
    raw = new RawUpstream();
  }

  @AfterAll
  static void stop() throws Exception {
    e.close();
    raw.close();
  }

  @BeforeEach
  void reset() {
    e.reset();
  }

  /** A POST that creates something: the case where retrying what was processed does harm. */
  static PreparedConnection orders(String base) throws Exception {
    return e.prepare(
        connection("orders")
            .param("base", base)
            .api(
                api("create", "POST", "{{connection.base}}/orders")
                    .json(Map.of("sku", "A-1"))
                    .output(output("id", "$.id", Api.OutputType.Text)))
            .api(api("fire", "POST", "{{connection.base}}/fire").json(Map.of("sku", "A-1"))));
  }

  @Nested
  class BrokenConnections {

    @Test
    void aResetAfterTheStatusLineMayHaveBeenProcessedSoItIsNotUnreachable() throws Exception {
      raw.script(
          (s, out) -> {
            RawUpstream.write(out, "HTTP/1.1 200 OK\r\n");
            RawUpstream.reset(s);
          });
      Outcome.Failure f =
          failed(e.invoke(orders(raw.base()), "create", Map.of()), ErrorCode.UPSTREAM_INTERRUPTED);
      assertEquals(502, f.status());
      assertTrue(
          f.message().startsWith("the connection to 127.0.0.1 broke after the request was sent"),
          f.message());
      assertTrue(f.message().endsWith("the upstream may have processed the request"), f.message());
      assertEquals(1, raw.requests(), "the request reached the upstream, and was not sent twice");
    }

    @Test
    void aResetInTheMiddleOfTheBodyNamesTheStatusItHadAnswered() throws Exception {
      raw.script(
          (s, out) -> {
            RawUpstream.write(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":");
            Thread.sleep(50);
            RawUpstream.reset(s);
          });
      Outcome.Failure f =
          failed(e.invoke(orders(raw.base()), "create", Map.of()), ErrorCode.UPSTREAM_INTERRUPTED);
      assertTrue(
          f.message()
              .startsWith(
                  "the connection to 127.0.0.1 broke after it answered 200, before the whole body came"),
          f.message());
      assertEquals(1, raw.requests());
    }

    @Test
    void aConnectionClosedWithoutAnAnswerMayHaveBeenProcessedToo() throws Exception {
      raw.script((s, out) -> RawUpstream.reset(s));
      Outcome.Failure f =
          failed(e.invoke(orders(raw.base()), "fire", Map.of()), ErrorCode.UPSTREAM_INTERRUPTED);
      assertTrue(
          f.message().contains("after the request was sent, before an answer came"), f.message());
      assertNull(f.exchange().response());
      assertEquals("POST", f.exchange().request().method());
      assertEquals(1, raw.requests());
    }

    @Test
    void anAnswerThatIsNotHttpIsABadResponse() throws Exception {
      raw.script(
          (s, out) ->
              RawUpstream.write(
                  out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nthis is not a header\r\n\r\n{}"));
      Outcome.Failure f =
          failed(e.invoke(orders(raw.base()), "fire", Map.of()), ErrorCode.UPSTREAM_BAD_RESPONSE);
      assertTrue(
          f.message().startsWith("127.0.0.1 answered something that is not HTTP"), f.message());
    }

    @Test
    void nothingListeningIsStillUnreachableNothingSent() throws Exception {
      int port;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        port = s.getLocalPort();
      }
      failed(
          e.invoke(orders("http://127.0.0.1:" + port), "fire", Map.of()),
          ErrorCode.UPSTREAM_UNREACHABLE);
    }
  }

  @Nested
  class BrokenBodies {

    PreparedConnection answering(int status, String contentType, String body) throws Exception {
      e.upstream.stubFor(
          any(anyUrl())
              .willReturn(
                  aResponse()
                      .withStatus(status)
                      .withHeader("Content-Type", contentType)
                      .withBody(body)));
      return orders(e.base);
    }

    @Test
    void malformedJsonIsABadResponseNotNullOutputs() throws Exception {
      Outcome.Failure f =
          failed(
              e.invoke(
                  answering(200, "application/json", "{\"id\": \"o-1\",\n \"total\": 12,"),
                  "create",
                  Map.of()),
              ErrorCode.UPSTREAM_BAD_RESPONSE);
      assertEquals(502, f.status());
      assertEquals(
          "the upstream answered 200, but the body is not JSON (it stops being JSON at line 2, column 14) and "
              + "the API's outputs read JSON: {\"id\": \"o-1\", \"total\": 12,",
          f.message());
      assertEquals(List.of(new Outcome.Detail("upstream.status", "200")), f.details());
      assertEquals(200, f.exchange().response().status(), "the record keeps what came back");
    }

    @Test
    void jsonTenThousandLevelsDeepIsABadResponseAndCostsNoStack() throws Exception {
      String deep = "[".repeat(10_000) + "]".repeat(10_000);
      Outcome.Failure f =
          failed(
              e.invoke(answering(200, "application/json", deep), "create", Map.of()),
              ErrorCode.UPSTREAM_BAD_RESPONSE);
      assertTrue(
          f.message()
              .startsWith(
                  "the upstream answered 200, but the JSON nests deeper than 500 levels, more than "
                      + "Conduit reads and the API's outputs read JSON: [[[["),
          f.message());
    }

    @Test
    void anHtmlPageOrAnEmptyBodyIsABadResponse() throws Exception {
      Outcome.Failure html =
          failed(
              e.invoke(
                  answering(200, "text/html", "<html><body>Maintenance</body></html>"),
                  "create",
                  Map.of()),
              ErrorCode.UPSTREAM_BAD_RESPONSE);
      assertTrue(
          html.message().endsWith("outputs read JSON: <html><body>Maintenance</body></html>"),
          html.message());
      Outcome.Failure empty =
          failed(
              e.invoke(answering(200, "application/json", ""), "create", Map.of()),
              ErrorCode.UPSTREAM_BAD_RESPONSE);
      assertEquals(
          "the upstream answered 200, but the body is empty and the API's outputs read JSON",
          empty.message());
    }

    @Test
    void withoutOutputsOrWithA204TheBodyIsNotRead() throws Exception {
      assertInstanceOf(
          Outcome.Success.class, e.invoke(answering(200, "text/plain", "fired"), "fire", Map.of()));
      Outcome.Success noContent =
          assertInstanceOf(
              Outcome.Success.class,
              e.invoke(answering(204, "application/json", ""), "create", Map.of()));
      assertNull(noContent.data().get("id"));
    }
  }
}
