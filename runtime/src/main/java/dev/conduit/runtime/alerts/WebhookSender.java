package dev.conduit.runtime.alerts;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs an alert to a connection's webhook, signed so the receiver can tell it came from this
 * runtime and is fresh: X-Conduit-Signature is {@code sha256=HEX(HMAC-SHA256(key, TIMESTAMP + "." +
 * BODY))} with TIMESTAMP the X-Conduit-Timestamp header (Unix seconds). A receiver recomputes it
 * and refuses old timestamps, so a captured request cannot be replayed later.
 */
public final class WebhookSender {

  public static final String SIGNATURE_HEADER = "X-Conduit-Signature";
  public static final String TIMESTAMP_HEADER = "X-Conduit-Timestamp";
  public static final String DELIVERY_HEADER = "X-Conduit-Delivery";

  private final HttpClient http;
  private final Duration timeout;

  public WebhookSender(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
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
   * Delivers one body; throws with a reason a person can act on when the receiver cannot be reached
   * or answers anything but 2xx.
   *
   * @param allowPrivateNetwork whether the URL may point at loopback or private addresses (the
   *     connection's own allowPrivateNetwork: a webhook is no way around the SSRF guard)
   */
  public void post(
      String url,
      byte[] key,
      String deliveryId,
      String body,
      long epochSeconds,
      boolean allowPrivateNetwork)
      throws IOException {
    URI uri = URI.create(url);
    if (!allowPrivateNetwork) {
      refusePrivate(uri.getHost());
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header(TIMESTAMP_HEADER, Long.toString(epochSeconds))
            .header(SIGNATURE_HEADER, signature(key, epochSeconds, body))
            .header(DELIVERY_HEADER, deliveryId)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    HttpResponse<Void> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while posting to the webhook");
    }
    if (response.statusCode() / 100 != 2) {
      throw new IOException("the webhook answered HTTP " + response.statusCode());
    }
  }

  private static void refusePrivate(String host) throws IOException {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (a.isLoopbackAddress()
            || a.isAnyLocalAddress()
            || a.isLinkLocalAddress()
            || a.isSiteLocalAddress()) {
          throw new IOException(
              "the webhook host "
                  + host
                  + " is a private address and the connection does not set allowPrivateNetwork");
        }
      }
    } catch (UnknownHostException e) {
      throw new IOException("the webhook host " + host + " does not resolve");
    }
  }
}
