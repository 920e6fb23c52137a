package dev.conduit.seal;

import java.util.Base64;

/**
 * The text form of a sealed value, read without any key.
 *
 * <ul>
 *   <li>{@code sealed:v2:ORGANIZATION/CONNECTION/PARAMETER:CIPHERTEXT} carries its binding in
 *       clear, so the compiler sees where a value belongs. The binding is also the HPKE context
 *       info the ciphertext was sealed with, so editing it makes the value fail to open.
 *   <li>{@code sealed:v1:CIPHERTEXT} (the first format) is bound the same way but does not show its
 *       binding: it still opens, and the compiler asks for it to be sealed again.
 * </ul>
 *
 * @param binding where the value says it belongs; null for a v1 value
 * @param ciphertext Tink's ciphertext (0x01, the 4-byte key id, then the HPKE payload)
 */
public record SealedValue(SealContext binding, byte[] ciphertext) {

  public static final String V1 = "sealed:v1:";
  public static final String V2 = "sealed:v2:";

  /** Reads a sealed value's text; the message names the problem, never the text. */
  public static SealedValue parse(String text) throws SealException {
    if (text == null || !(text.startsWith(V1) || text.startsWith(V2))) {
      throw new SealException("not a sealed value (it must start with " + V2 + ")");
    }
    SealContext binding = null;
    String body = text.substring(V2.length());
    if (text.startsWith(V2)) {
      // the ciphertext (base64url) has no colon; the organization and connection ids no slash
      int colon = body.lastIndexOf(':');
      String[] place = colon < 0 ? new String[0] : body.substring(0, colon).split("/", 3);
      if (place.length != 3 || place[0].isEmpty() || place[1].isEmpty() || place[2].isEmpty()) {
        throw new SealException(
            "a " + V2 + " value must read " + V2 + "ORGANIZATION/CONNECTION/PARAMETER:CIPHERTEXT");
      }
      binding = new SealContext(place[0], place[1], place[2]);
      body = body.substring(colon + 1);
    }
    try {
      return new SealedValue(binding, Base64.getUrlDecoder().decode(body));
    } catch (IllegalArgumentException e) {
      throw new SealException("the ciphertext of a sealed value is not base64url");
    }
  }

  /** The text of a value sealed for {@code binding}. */
  static String format(SealContext binding, byte[] ciphertext) {
    return V2
        + binding.organizationId()
        + "/"
        + binding.connectionId()
        + "/"
        + binding.parameterName()
        + ":"
        + Base64.getUrlEncoder().withoutPadding().encodeToString(ciphertext);
  }

  /** Whether the value shows its binding (v2); a v1 value is bound too, but invisibly. */
  public boolean showsBinding() {
    return binding != null;
  }

  /** The HPKE context info this value was sealed with, if it belongs at {@code where}. */
  byte[] contextInfo(SealContext where) {
    return binding == null ? where.v1Bytes() : where.v2Bytes();
  }

  /**
   * What sealing adds to a value with the organization's key template ({@link
   * SealingKeys#TEMPLATE}): Tink's 5-byte prefix, the 32-byte X25519 encapsulated key and the
   * 16-byte AES-GCM tag. HPKE derives its nonce, so the rest is the plaintext, byte for byte.
   */
  static final int OVERHEAD = 5 + 32 + 16;

  /**
   * How many bytes the sealed plaintext has, read from the ciphertext's length without opening it
   * (the compiler has no private key): how a too-short signing key is caught before it is served.
   * Empty for a ciphertext that is not Tink's (too short, no prefix).
   */
  public java.util.OptionalInt plaintextBytes() {
    if (keyId().isEmpty() || ciphertext.length < OVERHEAD) {
      return java.util.OptionalInt.empty();
    }
    return java.util.OptionalInt.of(ciphertext.length - OVERHEAD);
  }

  /** The id of the Tink key it was sealed to (from the ciphertext's prefix), or empty. */
  java.util.OptionalInt keyId() {
    byte[] c = ciphertext;
    if (c.length < 5 || c[0] != 1) {
      return java.util.OptionalInt.empty();
    }
    return java.util.OptionalInt.of(
        ((c[1] & 0xff) << 24) | ((c[2] & 0xff) << 16) | ((c[3] & 0xff) << 8) | (c[4] & 0xff));
  }
}
