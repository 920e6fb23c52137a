package it.dev.conduit.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static it.dev.conduit.runtime.ItSupport.ACME;
import static it.dev.conduit.runtime.ItSupport.FIXTURE;
import static it.dev.conduit.runtime.ItSupport.basic;
import static it.dev.conduit.runtime.ItSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import it.dev.conduit.runtime.ItSupport.Resp;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.util.Arrays;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Alerts inside the running server (docs/alerts.md): the server's SMTP settings (its server.env,
 * written by ItFixtures) point at this test's GreenMail; a failing upstream of the fixture's {@code
 * alerting} connection sends its owner's alert to the address members.json gives bob, and the
 * inbox's read and acknowledge endpoints answer 200, 401, 403 and 404 to the right callers.
 */
class AlertsIT {

  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(
          new ServerSetup(
              ItFixtures.smtpPort(URI.create(ItSupport.BASE).getPort()), "127.0.0.1", "smtp"));

  static final String APP_ONE = basic("app-one-key", "app-one-secret");
  static final String ALICE = basic("alice", "alice-demo-pw"); // admin of the fixture org
  static final String BOB = basic("bob", "bob-demo-pw"); // owner of "alerting"
  static final String DAVE = basic("dave", "dave-demo-pw"); // a member, owner of nothing
  static final String CAROL = basic("carol", "carol-demo-pw"); // not a member
  static final String ALERTS = "/api/v1/organizations/" + FIXTURE + "/alerts";

  @Test
  void anUpstreamFailureMailsTheOwnerAndTheInboxAnswersOnlyTheRightPeople() throws Exception {
    StubMapping down =
        ItSupport.upstream()
            .stubFor(
                get(urlEqualTo("/alerting/status"))
                    .willReturn(aResponse().withStatus(500).withBody("down")));
    String requestId;
    try {
      Resp failed = postJson("/api/v1/connections/alerting/apis/status/invoke", APP_ONE, "{}");
      assertEquals(502, failed.status(), failed.body());
      requestId = failed.json().get("requestId").asString();
    } finally {
      ItSupport.upstream().removeStub(down);
    }

    // the mail: to bob's address from members.json, naming the connection and the error class
    MimeMessage mail = awaitMailTo("bob@fixture.test");
    String text = GreenMailUtil.getBody(mail);
    assertTrue(mail.getSubject().contains("alerting"), mail.getSubject());
    assertTrue(text.contains("UPSTREAM_ERROR"), text);
    assertTrue(text.contains(requestId), "the mail names the request log: " + text);
    assertFalse(text.contains("app-one-secret"), text);
    // and the delivery is counted where the operator looks (docs/metrics.md)
    assertTrue(
        MetricsIT.scrape(MetricsIT.READER)
                .value(
                    "conduit_alert_deliveries_total",
                    java.util.Map.of("channel", "email", "result", "sent"))
            >= 1,
        "the sent mail in conduit_alert_deliveries_total");

    // the inbox: the owner reads his connection's alerts; the alert names the failed call's log
    JsonNode alert = awaitAlert(requestId);
    String id = alert.get("id").asString();
    assertEquals("error", alert.get("kind").asString());
    assertEquals("UPSTREAM_ERROR", alert.get("errorType").asString());
    assertTrue(alert.get("readAtMillis").isNull());

    // who may list: owner and admin yes; a member, a stranger, no one: not
    assertEquals(200, ItSupport.get(ALERTS, ALICE).status());
    assertEquals(403, ItSupport.get(ALERTS, BOB).status(), "all alerts: admins only");
    assertEquals(403, ItSupport.get(ALERTS + "?connection=alerting", DAVE).status());
    assertEquals(403, ItSupport.get(ALERTS + "?connection=alerting", CAROL).status());
    assertEquals(401, ItSupport.get(ALERTS + "?connection=alerting", null).status());
    assertEquals(
        401, ItSupport.get(ALERTS + "?connection=alerting", basic("bob", "wrong")).status());

    // read and acknowledge: 401 without credentials, 403 for a member, 404 for no such alert
    String one = ALERTS + "/" + id;
    assertEquals(401, ItSupport.send("POST", one + "/read", null, null, null).status());
    assertEquals(403, ItSupport.send("POST", one + "/acknowledge", DAVE, null, null).status());
    assertEquals(403, ItSupport.send("POST", one + "/read", CAROL, null, null).status());
    assertEquals(
        404, ItSupport.send("POST", ALERTS + "/no-such-alert/read", BOB, null, null).status());
    // another organization's admin, with this alert's id under her own organization: not found
    Resp elsewhere =
        ItSupport.send(
            "POST",
            "/api/v1/organizations/" + ACME + "/alerts/" + id + "/acknowledge",
            ALICE,
            null,
            null);
    assertEquals(404, elsewhere.status(), elsewhere.body());

    Resp read = ItSupport.send("POST", one + "/read", BOB, null, null);
    assertEquals(200, read.status(), read.body());
    assertFalse(read.json().at("/data/readAtMillis").isNull(), read.body());
    assertTrue(read.json().at("/data/acknowledgedBy").isNull(), read.body());
    Resp ack = ItSupport.send("POST", one + "/acknowledge", BOB, null, null);
    assertEquals(200, ack.status(), ack.body());
    assertEquals("bob", ack.json().at("/data/acknowledgedBy").asString());
    // the first acknowledgement stays: the admin's later one does not replace it
    Resp again = ItSupport.send("POST", one + "/acknowledge", ALICE, null, null);
    assertEquals(200, again.status(), again.body());
    assertEquals("bob", again.json().at("/data/acknowledgedBy").asString());
    assertEquals(
        "bob", alertWithRequest(requestId).get("acknowledgedBy").asString(), "and so it lists");
  }

  /** Alert mail arrives on the server's delivery timer: wait for one to this address. */
  private static MimeMessage awaitMailTo(String address) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (MimeMessage m : MAIL.getReceivedMessages()) {
        if (Arrays.stream(m.getRecipients(Message.RecipientType.TO))
            .anyMatch(a -> a.toString().contains(address))) {
          return m;
        }
      }
      MAIL.waitForIncomingEmail(1000, MAIL.getReceivedMessages().length + 1);
    }
    throw new AssertionError(
        "no alert mail to "
            + address
            + " within 60 s; received: "
            + MAIL.getReceivedMessages().length);
  }

  /** The alert is written on the server's background thread: it may lag the answer a little. */
  private static JsonNode awaitAlert(String requestId) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      JsonNode a = alertWithRequest(requestId);
      if (a != null) {
        return a;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no alert for request " + requestId);
  }

  private static JsonNode alertWithRequest(String requestId) {
    Resp r = ItSupport.get(ALERTS + "?connection=alerting", BOB);
    assertEquals(200, r.status(), r.body());
    JsonNode data = r.json().get("data");
    assertNotNull(data, r.body());
    return StreamSupport.stream(data.spliterator(), false)
        .filter(a -> requestId.equals(a.get("requestId").asString()))
        .findFirst()
        .orElse(null);
  }
}
