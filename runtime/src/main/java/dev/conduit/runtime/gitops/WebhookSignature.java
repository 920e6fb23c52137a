package dev.conduit.runtime.gitops;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a push webhook against {@code conduit.git.webhook-secret}, in constant time: either an
 * HMAC-SHA256 of the body ({@code X-Hub-Signature-256: sha256=HEX}, as GitHub, Gitea and Forgejo
 * send) or the secret itself in a header ({@code X-Gitlab-Token}, or {@code X-Conduit-Token} for a
 * plain {@code curl}).
 */
final class WebhookSignature {

  private WebhookSignature() {}

  /**
   * @param signature the X-Hub-Signature-256 header, or null
   * @param token the X-Gitlab-Token or X-Conduit-Token header, or null
   */
  static boolean valid(String secret, byte[] body, String signature, String token) {
    if (signature != null) {
      return equal(signature.strip().getBytes(StandardCharsets.UTF_8), expected(secret, body));
    }
    if (token != null) {
      // both sides hashed first: equal lengths, so the comparison says nothing about the length
      return equal(sha256(token.strip()), sha256(secret));
    }
    return false;
  }

  /** The header a sender computes: "sha256=" and the HMAC's lower-case hex. */
  static String sign(String secret, byte[] body) {
    return new String(expected(secret, body), StandardCharsets.UTF_8);
  }

  private static byte[] expected(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return ("sha256=" + HexFormat.of().formatHex(mac.doFinal(body)))
          .getBytes(StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static boolean equal(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b); // constant time for equal lengths
  }
}
