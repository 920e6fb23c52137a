package dev.conduit.runtime.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import dev.conduit.bundle.Auth;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.MovableClock;
import dev.conduit.runtime.invoke.ErrorCode;
import dev.conduit.runtime.invoke.Exchange;
import dev.conduit.runtime.invoke.Outcome;
import dev.conduit.runtime.invoke.PreparedConnection;
import dev.conduit.runtime.invoke.PrivateNetworkRule;
import dev.conduit.runtime.store.Databases;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Alerts delivered with real parts: GreenMail as the SMTP server that receives the mail, a local
 * HTTP server as the webhook receiver that checks the signature itself, and an SMTP server that
 * refuses every session; on H2 and on the local PostgreSQL.
 */
class AlertDeliveryTest {

  @RegisterExtension
  static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private static final String KEY = "whsec-test-signing-key";
  private static final String ORG = "org-1";

  @TempDir Path dir;

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-12-01T08:00:00Z"));
  private final MovableClock clock = new MovableClock(now);
  private HttpServer receiver;
  private final List<Map<String, String>> verified = new CopyOnWriteArrayList<>();
  private final AtomicInteger refusalsLeft = new AtomicInteger();
  private final AtomicInteger badSignatures = new AtomicInteger();

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String ts = ex.getRequestHeaders().getFirst("X-Conduit-Timestamp");
          String sig = ex.getRequestHeaders().getFirst("X-Conduit-Signature");
          int status;
          if (ts == null || sig == null || !sig.equals(hmac(ts + "." + body))) {
            badSignatures.incrementAndGet();
            status = 401;
          } else if (refusalsLeft.getAndDecrement() > 0) {
            status = 503;
          } else {
            verified.add(Map.of("timestamp", ts, "body", body));
            status = 204;
          }
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  /** The receiver's own check, written from the documented scheme, not from the sender's code. */
  private static String hmac(String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256="
          + HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String hookUrl() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  private PreparedConnection connection(int minIntervalMinutes) throws Exception {
    return PreparedConnection.prepare(
        ORG,
        new Connection(
            "wecom",
            "WeCom",
            null,
            null,
            "alice",
            new Connection.Notifications(true, minIntervalMinutes, hookUrl(), "hook_key"),
            List.of(),
            true,
            List.of(new Connection.Parameter("hook_key", false, KEY, null)),
            new Auth.None(),
            null,
            List.of(),
            List.of()),
        null,
        PrivateNetworkRule.only(ORG));
  }

  private final class Setup {
    final Alerts alerts;
    final Deliveries deliveries;

    Setup(DataSource ds, PreparedConnection c, int smtpPort) {
      Alerts.Recipients recipients =
          new Alerts.Recipients() {
            @Override
            public Optional<String> email(String organizationId, String login) {
              return login.equals("alice") ? Optional.of("alice@acme.example") : Optional.empty();
            }

            @Override
            public Optional<String> webhookUrl(String organizationId, String connectionId) {
              return Optional.of(c.connection().notifications().webhookUrl());
            }
          };
      alerts = new Alerts(ds, clock, recipients);
      deliveries =
          new Deliveries(
              ds,
              clock,
              new Mailer(
                  new Mailer.Settings(
                      "127.0.0.1", smtpPort, "conduit@acme.example", null, null, false, 5000)),
              new WebhookSender(Duration.ofSeconds(5)),
              (o, id) ->
                  Optional.of(
                      new Deliveries.WebhookTarget(
                          c.connection().notifications().webhookUrl(),
                          c.webhookSigningKey().getBytes(StandardCharsets.UTF_8),
                          true)),
              new Deliveries.Retry(3, 60_000, 600_000));
    }
  }

  private static Outcome.Failure upstreamDown() {
    return new Outcome.Failure(
        ErrorCode.UPSTREAM_ERROR, "the upstream answered 503", List.of(), Exchange.NONE);
  }

  private void advance(Duration d) {
    now.updateAndGet(t -> t.plus(d));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void ownerGetsMailAndSignedWebhookThenSuppressedCountThenRecovered(String db) throws Exception {
    PreparedConnection c = connection(30);
    Setup s = new Setup(Databases.open(db, dir), c, MAIL.getSmtp().getPort());

    assertTrue(s.alerts.onFailure(c, "send", "invoke", upstreamDown(), "req-1"));
    for (int i = 0; i < 3; i++) {
      assertFalse(s.alerts.onFailure(c, "send", "test", upstreamDown(), "req-x" + i));
    }
    assertEquals(2, s.deliveries.deliverDue(), "one mail and one webhook post");

    MimeMessage[] mails = MAIL.getReceivedMessages();
    assertEquals(1, mails.length);
    assertEquals("alice@acme.example", mails[0].getAllRecipients()[0].toString());
    assertEquals("[Conduit] wecom: UPSTREAM_ERROR", mails[0].getSubject());
    String text = mails[0].getContent().toString();
    assertTrue(text.contains("API wecom/send failed: the upstream answered 503"), text);
    assertTrue(text.contains("Request log: req-1"), text);

    assertEquals(0, badSignatures.get());
    assertEquals(1, verified.size());
    String body = verified.getFirst().get("body");
    assertTrue(body.contains("\"errorClass\":\"UPSTREAM_ERROR\""), body);
    assertTrue(body.contains("\"organization\":\"" + ORG + "\""), body);
    assertEquals(now.get().getEpochSecond(), Long.parseLong(verified.getFirst().get("timestamp")));

    // past the minimum interval, the next failure alerts again with the three held back
    advance(Duration.ofMinutes(31));
    assertTrue(s.alerts.onFailure(c, "send", "auth-values", upstreamDown(), "req-5"));
    var latest = s.alerts.list(ORG, "wecom", 10).getFirst();
    assertEquals(3, latest.suppressed());
    assertTrue(latest.message().contains("3 more failures of this kind"), latest.message());
    assertEquals(2, s.deliveries.deliverDue());
    assertEquals(2, MAIL.getReceivedMessages().length);
    assertTrue(verified.get(1).get("body").contains("\"suppressed\":3"));

    // the first success after the alert says "recovered", once
    assertTrue(s.alerts.mayRecover(ORG, "wecom"));
    assertTrue(s.alerts.onSuccess(c));
    assertFalse(s.alerts.onSuccess(c), "recovered is sent once");
    assertEquals(2, s.deliveries.deliverDue());
    MimeMessage recovered = MAIL.getReceivedMessages()[2];
    assertEquals("[Conduit] wecom recovered", recovered.getSubject());
    assertTrue(verified.get(2).get("body").contains("\"kind\":\"recovered\""));
    assertEquals(List.of(), s.deliveries.undelivered(ORG, 10));
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void refusingSmtpAndFailingWebhookAreRecordedRetriedThenDeadLettered(String db) throws Exception {
    try (RefusingSmtp refusing = new RefusingSmtp()) {
      PreparedConnection c = connection(30);
      Setup s = new Setup(Databases.open(db, dir), c, refusing.port());
      refusalsLeft.set(1); // the webhook answers 503 once, then takes it

      assertTrue(s.alerts.onFailure(c, "send", "invoke", upstreamDown(), "req-1"));
      assertEquals(0, s.deliveries.deliverDue(), "nothing got through on the first attempt");
      var pending = s.deliveries.undelivered(ORG, 10);
      assertEquals(2, pending.size());
      for (var d : pending) {
        assertEquals("pending", d.state());
        assertEquals(1, d.attempts());
        assertNotNull(d.lastError());
      }
      assertTrue(
          pending.stream().anyMatch(d -> d.lastError().contains("HTTP 503")), pending.toString());

      assertEquals(0, s.deliveries.deliverDue(), "not due again before the backoff");
      advance(Duration.ofSeconds(61));
      assertEquals(1, s.deliveries.deliverDue(), "the webhook gets through on its retry");
      assertEquals(1, verified.size());

      advance(Duration.ofSeconds(121)); // second backoff: doubled
      assertEquals(0, s.deliveries.deliverDue());
      advance(Duration.ofMinutes(10));
      assertEquals(0, s.deliveries.deliverDue());
      var dead = s.deliveries.undelivered(ORG, 10);
      assertEquals(1, dead.size());
      assertEquals("dead", dead.getFirst().state());
      assertEquals("email", dead.getFirst().channel());
      assertEquals(3, dead.getFirst().attempts());
      assertTrue(refusing.sessions.get() >= 3, "every attempt reached the SMTP server");

      // the alert itself stays readable in the inbox, and the owner can acknowledge it
      var alert = s.alerts.list(ORG, "wecom", 10).getFirst();
      assertTrue(s.alerts.acknowledge(ORG, alert.id(), "alice"));
      var acked = s.alerts.get(ORG, alert.id()).orElseThrow();
      assertEquals("alice", acked.acknowledgedBy());
      assertNotNull(acked.readAtMillis());
    }
  }

  /** An SMTP server that answers every session with 554 (service refused) and hangs up. */
  private static final class RefusingSmtp implements AutoCloseable {
    final ServerSocket socket;
    final AtomicInteger sessions = new AtomicInteger();

    RefusingSmtp() throws IOException {
      socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
      Thread t =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (Socket s = socket.accept()) {
                    sessions.incrementAndGet();
                    OutputStream out = s.getOutputStream();
                    out.write(
                        "554 5.7.1 no mail accepted here\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = s.getInputStream();
                    s.setSoTimeout(500);
                    try {
                      in.read(); // let the client say QUIT or hang up
                    } catch (IOException ignored) {
                      // the client went away: the session is over
                    }
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
