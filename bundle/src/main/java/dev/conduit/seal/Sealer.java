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

  /** Every sealed value starts with this; the rest is base64url without padding. */
  public static final String PREFIX = "sealed:v1:";

  private final HybridEncrypt encrypt;
  private final int primaryKeyId;

  public Sealer(String publicKeyBase64) throws SealException {
    SealingKeys.keyIdOf(publicKeyBase64); // loads Tink's registrations and checks base64
    try {
      KeysetHandle handle = TinkProtoKeysetFormat.parseKeysetWithoutSecret(
          Base64.getDecoder().decode(publicKeyBase64));
      this.encrypt = handle.getPrimitive(RegistryConfiguration.get(), HybridEncrypt.class);
      this.primaryKeyId = handle.getPrimary().getId();
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SealException("the organization's sealing public key is not a valid Tink hybrid public keyset");
    }
  }

  /**
   * Whether a sealed value was sealed to this public key. Tink prefixes each ciphertext with
   * 0x01 and the 4-byte id of the key, so this needs no private key: the compiler uses it to
   * catch values sealed to another organization's or an old key.
   */
  public boolean isSealedToThisKey(String sealed) {
    if (sealed == null || !sealed.startsWith(PREFIX)) {
      return false;
    }
    try {
      byte[] c = Base64.getUrlDecoder().decode(sealed.substring(PREFIX.length()));
      if (c.length < 5 || c[0] != 1) {
        return false;
      }
      int id = ((c[1] & 0xff) << 24) | ((c[2] & 0xff) << 16) | ((c[3] & 0xff) << 8) | (c[4] & 0xff);
      return id == primaryKeyId;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public String seal(String plaintext, SealContext context) {
    try {
      byte[] ciphertext = encrypt.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context.bytes());
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(ciphertext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing failed: " + e.getMessage(), e);
    }
  }
}
