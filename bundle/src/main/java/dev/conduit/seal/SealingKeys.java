package dev.conduit.seal;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyTemplates;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.hybrid.HybridConfig;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A runtime's sealing key pair.
 *
 * @param privateKeyset the private keyset as Tink JSON: secret, never in Git
 * @param publicKey the public keyset, base64 (what organization.json carries)
 * @param keyId a short fingerprint of the public key
 */
public record SealingKeys(String privateKeyset, String publicKey, String keyId) {

  static final String TEMPLATE = "DHKEM_X25519_HKDF_SHA256_HKDF_SHA256_AES_256_GCM";

  static {
    try {
      HybridConfig.register();
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Makes a new key pair. */
  public static SealingKeys generate() {
    try {
      KeysetHandle privateHandle =
          KeysetHandle.generateNew(
              KeyTemplates.get(TEMPLATE).toParameters(), RegistryConfiguration.get());
      String privateJson =
          TinkJsonProtoKeysetFormat.serializeKeyset(
              privateHandle, RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
      byte[] publicBytes =
          TinkProtoKeysetFormat.serializeKeysetWithoutSecret(
              privateHandle.getPublicKeysetHandle(), RegistryConfiguration.get());
      return new SealingKeys(
          privateJson, Base64.getEncoder().encodeToString(publicBytes), keyId(publicBytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a sealing key pair: " + e.getMessage(), e);
    }
  }

  /** The fingerprint of a public key given as base64: 16 hex digits of its SHA-256. */
  public static String keyIdOf(String publicKeyBase64) throws SealException {
    try {
      return keyId(Base64.getDecoder().decode(publicKeyBase64));
    } catch (IllegalArgumentException e) {
      throw new SealException("the public key is not base64");
    }
  }

  static String keyId(byte[] publicBytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicBytes);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
