package dev.conduit.bundle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The credential hash format, in one place: an application's or third-party app's secret is stored
 * as {@code sha256:<hex>} of its UTF-8 bytes ({@code conduit credential} writes it, the runtime
 * checks a presented secret against it). Secrets are 256 random bits, so a fast hash is enough.
 */
public final class CredentialHash {
  private CredentialHash() {}

  /** The prefix naming the algorithm in a stored hash. */
  public static final String PREFIX = "sha256:";

  /** What a repository file stores for a secret: {@code sha256:<hex>}. */
  public static String of(String secret) {
    return PREFIX + hex(secret);
  }

  /** The bare hex SHA-256 of a value's UTF-8 bytes. */
  public static String hex(String value) {
    return HexFormat.of()
        .formatHex(BundleCodec.sha256Digest().digest(value.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Whether {@code secret} hashes to {@code stored} ({@code sha256:<hex>} or bare hex), in time
   * that does not depend on where they differ.
   */
  public static boolean matches(String secret, String stored) {
    if (secret == null || stored == null) {
      return false;
    }
    String expected = stored.startsWith(PREFIX) ? stored.substring(PREFIX.length()) : stored;
    return MessageDigest.isEqual(
        hex(secret).getBytes(StandardCharsets.US_ASCII),
        expected.getBytes(StandardCharsets.US_ASCII));
  }
}
