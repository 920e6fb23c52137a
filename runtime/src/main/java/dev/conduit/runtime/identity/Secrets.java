package dev.conduit.runtime.identity;

import dev.conduit.bundle.CredentialHash;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random values and their hashes. Codes and tokens are 256 random bits, so a fast hash (SHA-256) is
 * what they are stored as; a slow password hash would add nothing but latency.
 */
public final class Secrets {
  /**
   * One generator per thread: the default (NativePRNG) serializes every caller on two process-wide
   * locks, which under load on two cores became a queue of token requests. Each DRBG instance is
   * seeded from the system's entropy source on its own.
   */
  private static final ThreadLocal<SecureRandom> RANDOM =
      ThreadLocal.withInitial(Secrets::newGenerator);

  private Secrets() {}

  private static SecureRandom newGenerator() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  /** 64 random bits from this thread's generator (request ids: no lock shared with others). */
  public static long randomLong() {
    return RANDOM.get().nextLong();
  }

  /** 256 random bits, base64url without padding (43 characters). */
  public static String random() {
    byte[] bytes = new byte[32];
    RANDOM.get().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Hex SHA-256 of a value (what the store keeps instead of the value). */
  public static String hash(String value) {
    return CredentialHash.hex(value);
  }

  /**
   * Whether {@code secret} hashes to {@code expected} ("sha256:&lt;hex&gt;" or bare hex), in time
   * that does not depend on where they differ.
   */
  public static boolean matches(String secret, String expected) {
    return CredentialHash.matches(secret, expected);
  }
}
