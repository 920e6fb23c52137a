package dev.conduit.runtime.invoke;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.conduit.runtime.invoke.Build.api;
import static dev.conduit.runtime.invoke.Build.connection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.runtime.limits.Bulkhead;
import dev.conduit.runtime.limits.CircuitBreaker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The per-connection circuit breaker against a real local upstream: one connection's upstream hangs
 * past its timeout and then fails, the circuit opens and its calls are answered at once without
 * reaching it, while another connection's calls keep being served; a probe after the open time
 * closes it again once the upstream answers.
 */
class CircuitBreakerInvokeTest {

  private static final Engine e = init();

  private static Engine init() {
    try {
      return new Engine();
    } catch (Exception ex) {
      throw new IllegalStateException(ex);
    }
  }

  @AfterAll
  static void close() {
    e.close();
  }

  private long hits(String path) {
    return e.upstream.getAllServeEvents().stream()
        .filter(ev -> ev.getRequest().getUrl().startsWith(path))
        .count();
  }

  @Test
  void aFailingUpstreamTripsItsOwnCircuitOnlyAndAProbeClosesIt() throws Exception {
    e.reset();
    Invoker invoker =
        new Invoker(
            e.up,
            e.tokens,
            e.code,
            e.recorder,
            Bulkhead.unlimited(),
            new CircuitBreaker(new CircuitBreaker.Settings(3, 60_000, 30_000), e.clock));
    // the slow provider: holds each request past the API's 1 s timeout
    e.upstream.stubFor(
        get(urlPathEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
    e.upstream.stubFor(
        get(urlPathEqualTo("/fast"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"ok\":true}")));
    PreparedConnection slow =
        e.prepare(
            connection("slow")
                .param("base", e.base)
                .api(api("call", "GET", "{{connection.base}}/slow").timeout(1)));
    PreparedConnection fast =
        e.prepare(
            connection("fast")
                .param("base", e.base)
                .api(api("call", "GET", "{{connection.base}}/fast")));

    for (int i = 0; i < 3; i++) {
      Outcome.Failure timedOut =
          assertInstanceOf(Outcome.Failure.class, invoker.invoke(slow, slow.api("call"), Map.of()));
      assertEquals(ErrorCode.UPSTREAM_TIMEOUT, timedOut.code());
      assertEquals(0, timedOut.retryAfterSeconds(), "a timeout says no Retry-After");
      // the other connection is served in between, unaffected
      assertInstanceOf(Outcome.Success.class, invoker.invoke(fast, fast.api("call"), Map.of()));
    }
    long slowHits = hits("/slow");
    assertEquals(3, slowHits);

    // open: answered at once, nothing sent
    long start = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      Outcome.Failure f =
          assertInstanceOf(Outcome.Failure.class, invoker.invoke(slow, slow.api("call"), Map.of()));
      assertEquals(ErrorCode.UPSTREAM_CIRCUIT_OPEN, f.code());
      assertEquals(503, f.status());
      assertTrue(f.message().contains("nothing was sent"), f.message());
      assertEquals(30, f.retryAfterSeconds(), "Retry-After: the circuit's remaining open time");
    }
    assertTrue(
        Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(1)) < 0,
        "refused without waiting for the upstream");
    assertEquals(slowHits, hits("/slow"), "no request reached the failing upstream");
    assertInstanceOf(Outcome.Success.class, invoker.invoke(fast, fast.api("call"), Map.of()));

    // the wait shrinks with the open time left (rounded up to whole seconds)
    e.now.updateAndGet(t -> t.plusMillis(20_500));
    assertEquals(
        10,
        assertInstanceOf(Outcome.Failure.class, invoker.invoke(slow, slow.api("call"), Map.of()))
            .retryAfterSeconds());

    // after the open time one probe goes through; the upstream failing again reopens the circuit
    e.now.updateAndGet(t -> t.plusMillis(10_500));
    e.upstream.stubFor(get(urlPathEqualTo("/slow")).willReturn(aResponse().withStatus(503)));
    assertEquals(
        ErrorCode.UPSTREAM_ERROR,
        assertInstanceOf(Outcome.Failure.class, invoker.invoke(slow, slow.api("call"), Map.of()))
            .code());
    assertEquals(
        ErrorCode.UPSTREAM_CIRCUIT_OPEN,
        assertInstanceOf(Outcome.Failure.class, invoker.invoke(slow, slow.api("call"), Map.of()))
            .code());
    assertEquals(slowHits + 1, hits("/slow"));

    // the upstream is back: the next probe closes the circuit and calls flow again
    e.now.updateAndGet(t -> t.plusSeconds(31));
    e.upstream.stubFor(
        get(urlPathEqualTo("/slow"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{}")));
    assertInstanceOf(Outcome.Success.class, invoker.invoke(slow, slow.api("call"), Map.of()));
    assertInstanceOf(Outcome.Success.class, invoker.invoke(slow, slow.api("call"), Map.of()));
    assertEquals(slowHits + 3, hits("/slow"));
  }

  @Test
  void anUpstreamRefusingTheRequestDoesNotOpenTheCircuit() throws Exception {
    e.reset();
    Invoker invoker =
        new Invoker(
            e.up,
            e.tokens,
            e.code,
            e.recorder,
            Bulkhead.unlimited(),
            new CircuitBreaker(new CircuitBreaker.Settings(2, 60_000, 30_000), e.clock));
    e.upstream.stubFor(get(urlPathEqualTo("/strict")).willReturn(aResponse().withStatus(404)));
    PreparedConnection strict =
        e.prepare(
            connection("strict")
                .param("base", e.base)
                .api(api("call", "GET", "{{connection.base}}/strict")));
    for (int i = 0; i < 4; i++) {
      assertEquals(
          ErrorCode.UPSTREAM_ERROR,
          assertInstanceOf(
                  Outcome.Failure.class, invoker.invoke(strict, strict.api("call"), Map.of()))
              .code(),
          "a 4xx is the upstream answering: the circuit stays closed");
    }
    assertEquals(4, hits("/strict"));
  }
}
