package dev.conduit.runtime.accounts;

import com.google.crypto.tink.subtle.Hkdf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts account tokens for the database: AES-256-GCM under a data-encryption key derived
 * (HKDF-SHA256) from the runtime's private sealing key, with the account id as associated data, so
 * a ciphertext copied to another account's row does not open. The sealing key itself is never used
 * for data: a separate derived key, so the two uses cannot be confused.
 */
public final class AccountCipher {

  static final String PREFIX = "gcm:v1:";
  private static final byte[] INFO =
      "conduit accounts data-encryption key v1".getBytes(StandardCharsets.UTF_8);
  private static final int IV_BYTES = 12;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec key;

  private AccountCipher(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** The cipher whose key derives from the runtime's private keyset (its file's text). */
  public static AccountCipher derivedFrom(String privateKeyset) {
    return new AccountCipher(hkdf(privateKeyset.strip().getBytes(StandardCharsets.UTF_8), INFO));
  }

  /** The ciphertext of a value for one account; null stays null. */
  public String encrypt(String value, String accountId) {
    if (value == null) {
      return null;
    }
    try {
      byte[] iv = new byte[IV_BYTES];
      RANDOM.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      c.updateAAD(accountId.getBytes(StandardCharsets.UTF_8));
      byte[] ct = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return PREFIX
          + Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }

  /**
   * The value, or null when there is none or it does not open (another key, another account): the
   * caller then treats the account as needing re-authorization.
   */
  public String decrypt(String ciphertext, String accountId) {
    if (ciphertext == null || !ciphertext.startsWith(PREFIX)) {
      return null;
    }
    try {
      byte[] all = Base64.getUrlDecoder().decode(ciphertext.substring(PREFIX.length()));
      if (all.length <= IV_BYTES) {
        return null;
      }
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, IV_BYTES));
      c.updateAAD(accountId.getBytes(StandardCharsets.UTF_8));
      return new String(c.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * HKDF-SHA256 (RFC 5869) with an empty salt, 32 bytes of output: Tink's, which sealing already
   * uses.
   */
  static byte[] hkdf(byte[] inputKey, byte[] info) {
    try {
      return Hkdf.computeHkdf("HMACSHA256", inputKey, new byte[0], info, 32);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
    }
  }
}
