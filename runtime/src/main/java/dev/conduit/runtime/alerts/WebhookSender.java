package dev.conduit.runtime.alerts;

import dev.conduit.runtime.invoke.OutgoingRequest;
import dev.conduit.runtime.invoke.Upstream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs an alert to a connection's webhook, signed so the receiver can tell it came from this
 * runtime and is fresh: X-Conduit-Signature is {@code sha256=HEX(HMAC-SHA256(key, TIMESTAMP + "." +
 * BODY))} with TIMESTAMP the X-Conduit-Timestamp header (Unix seconds). A receiver recomputes it
 * and refuses old timestamps, so a captured request cannot be replayed later.
 *
 * <p>The post goes through the same {@link Upstream} client as API calls, so a webhook is no way
 * around the SSRF guard: every address the host resolves to is checked ({@code
 * Upstream.isInternal}, the one definition of "internal"), the connection is opened to an address
 * that was checked (no second lookup for DNS rebinding to answer), redirects are not followed, and
 * the whole attempt (connect, send, answer) has one deadline, conduit.alerts.timeout-ms.
 */
public final class WebhookSender implements AutoCloseable {

  public static final String SIGNATURE_HEADER = "X-Conduit-Signature";
  public static final String TIMESTAMP_HEADER = "X-Conduit-Timestamp";
  public static final String DELIVERY_HEADER = "X-Conduit-Delivery";

  /** A receiver's answer is discarded; more than this is not read. */
  private static final long MAX_ANSWER_BYTES = 64 * 1024;

  private final Upstream http;
  private final Duration timeout;

  public WebhookSender(Duration timeout) {
    this(timeout, InetAddress::getAllByName);
  }

  /** With a resolver of its own: tests use it to play hostile DNS. */
  public WebhookSender(Duration timeout, Upstream.Resolver resolver) {
    this.timeout = timeout;
    this.http = new Upstream(resolver, MAX_ANSWER_BYTES);
  }

  /** The signature header's value for a body sent at a time. */
  public static String signature(byte[] key, long epochSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] h = mac.doFinal((epochSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "sha256=" + HexFormat.of().formatHex(h);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /**
   * Delivers one body; throws with a reason a person can act on (it becomes the dead letter's last
   * error) when the receiver is refused, cannot be reached in time, or answers anything but 2xx.
   *
   * @param allowPrivateNetwork whether the URL may point at loopback or private addresses (the
   *     connection's own allowPrivateNetwork)
   */
  public void post(
      String url,
      byte[] key,
      String deliveryId,
      String body,
      long epochSeconds,
      boolean allowPrivateNetwork)
      throws IOException {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IOException("the webhook URL is not a URL: " + e.getMessage());
    }
    OutgoingRequest request =
        new OutgoingRequest(
            "POST",
            uri,
            Map.of(
                "Content-Type",
                List.of("application/json"),
                TIMESTAMP_HEADER,
                List.of(Long.toString(epochSeconds)),
                SIGNATURE_HEADER,
                List.of(signature(key, epochSeconds, body)),
                DELIVERY_HEADER,
                List.of(deliveryId)),
            body.getBytes(StandardCharsets.UTF_8),
            (int) Math.max(1, timeout.toSeconds()),
            false);
    Upstream.Response response;
    try {
      response = http.send(request, List.of(), allowPrivateNetwork, timeout.toNanos());
    } catch (Upstream.UpstreamException e) {
      throw new IOException("webhook not delivered (" + e.code() + "): " + e.getMessage(), e);
    }
    if (response.status() / 100 != 2) {
      throw new IOException("the webhook answered HTTP " + response.status());
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
