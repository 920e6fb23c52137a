package it.dev.conduit.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static it.dev.conduit.runtime.ItSupport.BASE;
import static it.dev.conduit.runtime.ItSupport.CLIENT;
import static it.dev.conduit.runtime.ItSupport.basic;
import static it.dev.conduit.runtime.ItSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import it.dev.conduit.runtime.ItSupport.Resp;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One caller cannot stall the others (issue 18, part 2): app-two attacks its own connection
 * "hanging" with calls to an upstream that takes seconds, or with bodies sent a byte at a time,
 * while app-one keeps calling "plain". The test server runs with small bulkheads and body deadline
 * (ItFixtures writes them into its server.env), so a few calls fill them.
 */
class StallIT {

  static final int PER_CONNECTION = 4;
  static final int PER_APPLICATION = 8;
  static final int BODY_SECONDS = 4;

  static final String VICTIM = basic("app-one-key", "app-one-secret");
  static final String ATTACKER = basic("app-two-key", "app-two-secret");
  static final String HANG = "/api/v1/connections/hanging/apis/wait/invoke";
  static final String ECHO = "/api/v1/connections/plain/apis/echo/invoke";
  static WireMockServer upstream;

  @BeforeAll
  static void upstream() {
    upstream = ItSupport.upstream();
    upstream.stubFor(
        get(urlPathMatching("/echo/.*")).willReturn(okJson("{\"path\":\"p\",\"ok\":true}")));
  }

  @Test
  void aHangingUpstreamHoldsOnlyItsConnectionsPlacesAndOtherConnectionsStillAnswer()
      throws Exception {
    upstream.stubFor(get(urlEqualTo("/hang")).willReturn(okJson("{}").withFixedDelay(7000)));
    int before = upstream.findAll(getRequestedFor(urlEqualTo("/hang"))).size();
    // more than the connection's places, fewer than the application's (which are taken first)
    int attack = PER_APPLICATION - 1;
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < attack; i++) {
      calls.add(CLIENT.sendAsync(post(HANG, ATTACKER, "{}"), HttpResponse.BodyHandlers.ofString()));
    }
    // the calls over the connection's limit are refused at once, without waiting on anything
    List<HttpResponse<String>> refused = settled(calls, attack - PER_CONNECTION, 3);
    for (HttpResponse<String> r : refused) {
      assertEquals(503, r.statusCode(), r.body());
      assertEquals("UPSTREAM_BUSY", ItSupport.JSON.readTree(r.body()).at("/error/code").asString());
      assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
    }
    // while the others hang, another connection answers every call
    for (int i = 0; i < 20; i++) {
      Resp r = postJson(ECHO, VICTIM, "{\"name\":\"v" + i + "\"}");
      assertEquals(200, r.status(), r.body());
    }
    assertEquals(
        PER_CONNECTION,
        calls.stream().filter(c -> !c.isDone()).count(),
        "the victim's calls all ended while the hanging calls were still in flight");
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    assertEquals(
        PER_CONNECTION,
        upstream.findAll(getRequestedFor(urlEqualTo("/hang"))).size() - before,
        "only the calls that held a place reached the upstream");
    Map<Integer, Long> statuses =
        calls.stream()
            .map(CompletableFuture::join)
            .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
    assertEquals(
        Map.of(200, (long) PER_CONNECTION, 503, (long) (attack - PER_CONNECTION)), statuses);
  }

  @Test
  void slowBodiesHoldOnlyTheirApplicationsPlacesAndEndWith408() throws Exception {
    int attack = PER_APPLICATION + 4;
    List<SlowBody> slow = new ArrayList<>();
    try {
      for (int i = 0; i < attack; i++) {
        slow.add(new SlowBody());
      }
      // the application's places are taken before a body is read: the calls over its limit
      // are answered at once, whatever their bodies do
      long tooMany = 0;
      for (SlowBody s : slow) {
        s.trickle();
      }
      for (int round = 0; round < 30 && tooMany < attack - PER_APPLICATION; round++) {
        Thread.sleep(100);
        tooMany = slow.stream().filter(s -> s.status() == 429).count();
      }
      assertEquals(
          attack - PER_APPLICATION, tooMany, "every call over the application's limit gets 429");
      // meanwhile another application's calls go through
      for (int i = 0; i < 10; i++) {
        Resp r = postJson(ECHO, VICTIM, "{\"name\":\"v" + i + "\"}");
        assertEquals(200, r.status(), r.body());
      }
      assertEquals(
          PER_APPLICATION,
          slow.stream().filter(s -> s.status() == 0).count(),
          "the slow bodies were still being sent while the other application was served");
      // the body deadline ends the slow ones: 408, and the application's places are free again
      for (SlowBody s : slow) {
        s.awaitAnswer(BODY_SECONDS + 8);
      }
      Map<Integer, Long> statuses =
          slow.stream().collect(Collectors.groupingBy(SlowBody::status, Collectors.counting()));
      assertEquals(Map.of(429, 4L, 408, (long) PER_APPLICATION), statuses);
      assertTrue(
          slow.stream()
              .filter(s -> s.status() == 408)
              .allMatch(s -> s.answer.contains("BODY_TIMEOUT")),
          slow.get(0).answer);
      upstream.stubFor(get(urlEqualTo("/hang")).willReturn(okJson("{}")));
      Resp after = postJson(HANG, ATTACKER, "{}");
      assertEquals(200, after.status(), after.body());
    } finally {
      slow.forEach(SlowBody::close);
    }
  }

  /** The responses of the first {@code n} calls to end, within {@code seconds}. */
  private static List<HttpResponse<String>> settled(
      List<CompletableFuture<HttpResponse<String>>> calls, int n, int seconds)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (calls.stream().filter(CompletableFuture::isDone).count() < n
        && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    List<HttpResponse<String>> done =
        calls.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).toList();
    assertEquals(
        n,
        done.size(),
        "calls answered at once: "
            + done.stream()
                .map(r -> r.statusCode() + " " + r.body())
                .collect(Collectors.joining("; ")));
    return done;
  }

  private static HttpRequest post(String path, String authorization, String json) {
    return HttpRequest.newBuilder(URI.create(BASE + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", authorization)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  /**
   * An invoke whose body arrives a byte every 300 ms over a raw socket (an HTTP client would send
   * it at once): 40 bytes announced, so it would take 12 s, more than the body deadline.
   */
  private static final class SlowBody implements AutoCloseable {
    private final Socket socket;
    private final Thread sender;
    private final Thread reader;
    private volatile int status;
    private volatile String answer = "";

    SlowBody() throws Exception {
      URI base = URI.create(BASE);
      socket = new Socket(base.getHost(), base.getPort());
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      String head =
          "POST "
              + HANG
              + " HTTP/1.1\r\nHost: "
              + base.getHost()
              + ":"
              + base.getPort()
              + "\r\n"
              + "Authorization: "
              + ATTACKER
              + "\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      sender =
          Thread.ofVirtual()
              .unstarted(
                  () -> {
                    try {
                      for (int i = 0; i < 38 && status == 0; i++) {
                        Thread.sleep(300);
                        out.write(' ');
                        out.flush();
                      }
                    } catch (Exception e) {
                      // the server answered and closed: nothing more to send
                    }
                  });
      reader =
          Thread.ofVirtual()
              .unstarted(
                  () -> {
                    try {
                      InputStream in = socket.getInputStream();
                      String line = line(in);
                      StringBuilder all = new StringBuilder(line).append('\n');
                      int length = 0;
                      boolean chunked = false;
                      for (String h = line(in); !h.isEmpty(); h = line(in)) {
                        all.append(h).append('\n');
                        String lower = h.toLowerCase(Locale.ROOT);
                        if (lower.startsWith("content-length:")) {
                          length = Integer.parseInt(h.substring(15).strip());
                        }
                        chunked |=
                            lower.startsWith("transfer-encoding:") && lower.contains("chunked");
                      }
                      if (chunked) {
                        length =
                            Integer.parseInt(
                                line(in).strip(), 16); // the envelope comes in one chunk
                      }
                      all.append(new String(in.readNBytes(length), StandardCharsets.UTF_8));
                      answer = all.toString();
                      status = Integer.parseInt(line.split(" ")[1]);
                    } catch (Exception e) {
                      answer = e.toString();
                      status = -1;
                    }
                  });
    }

    /** One line of the answer's head, without its CRLF. */
    private static String line(InputStream in) throws java.io.IOException {
      StringBuilder b = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
        if (c != '\r') {
          b.append((char) c);
        }
      }
      return b.toString();
    }

    void trickle() {
      sender.start();
      reader.start();
    }

    int status() {
      return status;
    }

    void awaitAnswer(int seconds) throws InterruptedException {
      reader.join(Duration.ofSeconds(seconds));
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (Exception e) {
        // closing a test socket
      }
    }
  }
}
