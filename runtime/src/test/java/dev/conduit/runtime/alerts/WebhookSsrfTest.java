package dev.conduit.runtime.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.conduit.runtime.invoke.Upstream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A webhook URL is the attacker's input: it must not reach the runtime's own network. A real HTTP
 * receiver on loopback counts what arrives, so "refused" means nothing reached it, and the one case
 * that sets allowPrivateNetwork shows the receiver does work.
 */
class WebhookSsrfTest {

  private static final byte[] KEY = "whsec-ssrf-test-key-0123456789abcdef".getBytes();

  private HttpServer receiver;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger redirectedHits = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.createContext(
        "/slow",
        ex -> {
          try {
            Thread.sleep(5_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.createContext(
        "/moved",
        ex -> {
          ex.getResponseHeaders().add("Location", "/elsewhere");
          ex.sendResponseHeaders(302, -1);
          ex.close();
        });
    receiver.createContext(
        "/elsewhere",
        ex -> {
          redirectedHits.incrementAndGet();
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  private int port() {
    return receiver.getAddress().getPort();
  }

  private static void post(WebhookSender s, String url, boolean allowPrivate) throws IOException {
    try (s) {
      s.post(url, KEY, "d-1", "{\"alert\":\"a-1\"}", 1_700_000_000L, allowPrivate);
    }
  }

  private static WebhookSender sender(Upstream.Resolver dns) {
    return new WebhookSender(Duration.ofSeconds(2), dns);
  }

  private static Upstream.Resolver answers(String... addresses) {
    return host -> {
      InetAddress[] a = new InetAddress[addresses.length];
      for (int i = 0; i < a.length; i++) {
        a[i] = InetAddress.getByName(addresses[i]);
      }
      return a;
    };
  }

  @Test
  void aConnectionThatAllowsPrivateNetworkIsDelivered() throws IOException {
    post(sender(answers("127.0.0.1")), "http://hooks.example:" + port() + "/hook", true);
    assertEquals(List.of("{\"alert\":\"a-1\"}"), received);
  }

  @Test
  void loopbackLiteralIsRefusedAndNothingArrives() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                post(
                    new WebhookSender(Duration.ofSeconds(2)),
                    "http://127.0.0.1:" + port() + "/hook",
                    false));
    assertTrue(e.getMessage().contains("PRIVATE_ADDRESS_REFUSED"), e.getMessage());
    assertEquals(List.of(), received);
  }

  @Test
  void localhostByNameIsRefused() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                post(
                    new WebhookSender(Duration.ofSeconds(2)),
                    "http://localhost:" + port() + "/hook",
                    false));
    assertTrue(e.getMessage().contains("PRIVATE_ADDRESS_REFUSED"), e.getMessage());
    assertEquals(List.of(), received);
  }

  /** Judged by the address the name resolves to, in every spelling of an internal address. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "169.254.169.254", // cloud metadata
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "0.0.0.0",
        "224.0.0.1",
        "100.64.0.1",
        "::1",
        "::",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::a9fe:a9fe"
      })
  void aNameResolvingToAnInternalAddressIsRefused(String address) {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                post(sender(answers(address)), "http://hooks.example:" + port() + "/hook", false));
    assertTrue(e.getMessage().contains("PRIVATE_ADDRESS_REFUSED"), e.getMessage());
    assertTrue(e.getMessage().contains("hooks.example"), e.getMessage());
    assertEquals(List.of(), received);
  }

  @Test
  void oneInternalAddressAmongPublicOnesIsEnoughToRefuse() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                post(
                    sender(answers("93.184.216.34", "127.0.0.1")),
                    "http://hooks.example:" + port() + "/hook",
                    false));
    assertTrue(e.getMessage().contains("PRIVATE_ADDRESS_REFUSED"), e.getMessage());
    assertEquals(List.of(), received);
  }

  /**
   * DNS rebinding: the name answers a public address when checked and loopback on every later
   * lookup. The post connects to the address checked, so the loopback receiver never hears of it.
   */
  @Test
  void aSecondLookupCannotRebindToLoopback() {
    AtomicInteger lookups = new AtomicInteger();
    Upstream.Resolver rebinding =
        host -> {
          String a = lookups.getAndIncrement() == 0 ? "192.0.2.10" : "127.0.0.1";
          return new InetAddress[] {InetAddress.getByName(a)};
        };
    WebhookSender s = new WebhookSender(Duration.ofMillis(800), rebinding);
    assertThrows(
        IOException.class, () -> post(s, "http://hooks.example:" + port() + "/hook", false));
    assertEquals(1, lookups.get(), "the name is looked up once, for the check");
    assertEquals(List.of(), received);
  }

  @Test
  void aNameThatDoesNotResolveIsAClearFailure() {
    Upstream.Resolver none =
        host -> {
          throw new UnknownHostException(host);
        };
    IOException e =
        assertThrows(
            IOException.class,
            () -> post(sender(none), "http://hooks.invalid:" + port() + "/hook", false));
    assertTrue(e.getMessage().contains("cannot resolve hooks.invalid"), e.getMessage());
  }

  /** The deadline covers the whole attempt: a receiver that takes the request and stalls. */
  @Test
  void aStallingReceiverFailsAtTheDeadline() {
    WebhookSender s = new WebhookSender(Duration.ofMillis(500), answers("127.0.0.1"));
    long t0 = System.nanoTime();
    IOException e =
        assertThrows(
            IOException.class, () -> post(s, "http://hooks.example:" + port() + "/slow", true));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(e.getMessage().contains("UPSTREAM_TIMEOUT"), e.getMessage());
    assertTrue(e.getMessage().contains("did not answer within 0.5 s"), e.getMessage());
    assertTrue(ms < 3_000, "gave up after " + ms + " ms");
  }

  /** A redirect is an answer, not an instruction: it could point anywhere, internal included. */
  @Test
  void aRedirectIsNotFollowed() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                post(
                    sender(answers("127.0.0.1")),
                    "http://hooks.example:" + port() + "/moved",
                    true));
    assertTrue(e.getMessage().contains("HTTP 302"), e.getMessage());
    assertEquals(0, redirectedHits.get());
  }

  @Test
  void aNonHttpSchemeIsRefused() {
    IOException e =
        assertThrows(
            IOException.class,
            () -> post(sender(answers("127.0.0.1")), "file:///etc/passwd", true));
    assertTrue(e.getMessage().contains("not an absolute http(s) URL"), e.getMessage());
  }
}
