package dev.conduit.seal;

import com.google.crypto.tink.HybridDecrypt;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Opens sealed values with the runtime's private key. Opened values live only in memory; this
 * class never logs or stores them.
 */
public final class Opener {

  private final HybridDecrypt decrypt;
  private final String keyId;
  private final String publicKey;

  public Opener(String privateKeysetJson) throws SealException {
    try {
      SealingKeys.keyId(new byte[0]); // loads Tink's registrations
      KeysetHandle handle =
          TinkJsonProtoKeysetFormat.parseKeyset(privateKeysetJson, InsecureSecretKeyAccess.get());
      this.decrypt = handle.getPrimitive(RegistryConfiguration.get(), HybridDecrypt.class);
      byte[] publicBytes =
          TinkProtoKeysetFormat.serializeKeysetWithoutSecret(handle.getPublicKeysetHandle());
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

  public String open(String sealed, SealContext context) throws SealException {
    if (sealed == null || !sealed.startsWith(Sealer.PREFIX)) {
      throw new SealException(context + " is not a sealed value (it must start with " + Sealer.PREFIX + ")");
    }
    try {
      byte[] ciphertext = Base64.getUrlDecoder().decode(sealed.substring(Sealer.PREFIX.length()));
      return new String(decrypt.decrypt(ciphertext, context.bytes()), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SealException("cannot open the sealed value of " + context
          + ": it was sealed to another key or for another parameter; seal it again with conduit seal");
    }
  }
}
