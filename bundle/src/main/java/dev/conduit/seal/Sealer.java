package dev.conduit.seal;

import com.google.crypto.tink.HybridEncrypt;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/** Seals values to an organization's public key. Anyone with the public key can seal. */
public final class Sealer {

  /** Every value sealed now starts with this: the format is {@link SealedValue}. */
  public static final String PREFIX = SealedValue.V2;

  private final HybridEncrypt encrypt;
  private final int primaryKeyId;

  public Sealer(String publicKeyBase64) throws SealException {
    SealingKeys.keyIdOf(publicKeyBase64); // loads Tink's registrations and checks base64
    try {
      KeysetHandle handle =
          TinkProtoKeysetFormat.parseKeysetWithoutSecret(
              Base64.getDecoder().decode(publicKeyBase64), RegistryConfiguration.get());
      this.encrypt = handle.getPrimitive(RegistryConfiguration.get(), HybridEncrypt.class);
      this.primaryKeyId = handle.getPrimary().getId();
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SealException(
          "the organization's sealing public key is not a valid Tink hybrid public keyset");
    }
  }

  /**
   * Whether a sealed value was sealed to this public key. Tink prefixes each ciphertext with 0x01
   * and the 4-byte id of the key, so this needs no private key: the compiler uses it to catch
   * values sealed to another organization's or an old key.
   */
  public boolean isSealedToThisKey(String sealed) {
    try {
      return SealedValue.parse(sealed).keyId().orElse(~primaryKeyId) == primaryKeyId;
    } catch (SealException e) {
      return false;
    }
  }

  /** Seals a value for one place: the text shows the place, and the value opens only there. */
  public String seal(String plaintext, SealContext context) {
    try {
      byte[] ciphertext =
          encrypt.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context.v2Bytes());
      return SealedValue.format(context, ciphertext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing failed: " + e.getMessage(), e);
    }
  }
}
