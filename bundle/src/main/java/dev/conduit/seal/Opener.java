package dev.conduit.seal;

import com.google.crypto.tink.HybridDecrypt;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Opens sealed values with the runtime's private key. Opened values live only in memory; this class
 * never logs or stores them.
 */
public final class Opener {

  private final HybridDecrypt decrypt;
  private final String keyId;
  private final String publicKey;

  public Opener(String privateKeysetJson) throws SealException {
    try {
      SealingKeys.keyId(new byte[0]); // loads Tink's registrations
      KeysetHandle handle =
          TinkJsonProtoKeysetFormat.parseKeyset(
              privateKeysetJson, RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
      this.decrypt = handle.getPrimitive(RegistryConfiguration.get(), HybridDecrypt.class);
      byte[] publicBytes =
          TinkProtoKeysetFormat.serializeKeysetWithoutSecret(
              handle.getPublicKeysetHandle(), RegistryConfiguration.get());
      this.keyId = SealingKeys.keyId(publicBytes);
      this.publicKey = java.util.Base64.getEncoder().encodeToString(publicBytes);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new SealException("the private sealing key is not a valid Tink hybrid private keyset");
    }
  }

  /** The fingerprint of the matching public key: compare with organization.json's keyId. */
  public String keyId() {
    return keyId;
  }

  /** The matching public key (base64), so the runtime can seal values for itself. */
  public String publicKey() {
    return publicKey;
  }

  /**
   * Opens a value that belongs at {@code context}. A v2 value that shows another place is refused
   * before decryption (the message names both places); one whose shown place was edited to match
   * does not decrypt, because the place is the ciphertext's context info.
   */
  public String open(String sealed, SealContext context) throws SealException {
    SealedValue value;
    try {
      value = SealedValue.parse(sealed);
    } catch (SealException e) {
      throw new SealException(context + " is " + e.getMessage());
    }
    if (value.showsBinding() && !value.binding().equals(context)) {
      throw new SealException(
          "the value of "
              + context
              + " was sealed for "
              + (value.binding().organizationId().equals(context.organizationId())
                  ? value.binding().toString()
                  : value.binding().describe())
              + "; seal it again for this place with conduit seal");
    }
    try {
      return new String(
          decrypt.decrypt(value.ciphertext(), value.contextInfo(context)), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new SealException(
          "cannot open the sealed value of "
              + context
              + ": it was sealed to another key or for another place, or it was edited; seal it again with conduit seal");
    }
  }
}
