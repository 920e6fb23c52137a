package dev.conduit.runtime.store;

import com.google.crypto.tink.subtle.Hkdf;
import dev.conduit.seal.Opener;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.SealException;
import dev.conduit.seal.Sealer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one way the runtime keeps a secret of its own in its database (connection tokens, account
 * tokens, PKCE verifiers): sealed to the runtime's own public key with the machinery that seals
 * hidden parameters, bound to the place it belongs ({@link SealContext}), so a value copied to
 * another row does not open there and the database alone reveals nothing.
 *
 * <p>Accounts wrote {@code gcm:v1:} values before (AES-256-GCM under a key derived with HKDF-SHA256
 * from the private keyset's text, the account id as associated data). Those still open here, so
 * existing rows keep working; each is sealed again at its next write (a refresh or a
 * re-authorization). Nothing writes that format any more.
 */
public final class SecretsAtRest {

  /** The organization part of an account value's place: accounts are found by id alone. */
  private static final String ACCOUNTS = "accounts";

  private static final String LEGACY_PREFIX = "gcm:v1:";
  private static final byte[] LEGACY_INFO =
      "conduit accounts data-encryption key v1".getBytes(StandardCharsets.UTF_8);
  private static final int LEGACY_IV_BYTES = 12;

  private final Sealer sealer;
  private final Opener opener;
  private final SecretKeySpec legacyKey;

  private SecretsAtRest(Sealer sealer, Opener opener, SecretKeySpec legacyKey) {
    this.sealer = sealer;
    this.opener = opener;
    this.legacyKey = legacyKey;
  }

  /** Seals and opens with the runtime's key pair; no values of the earlier account format. */
  public static SecretsAtRest of(Sealer sealer, Opener opener) {
    return new SecretsAtRest(sealer, opener, null);
  }

  /**
   * Seals and opens with the key pair of this private keyset (its file's text), and opens the
   * account values written before under the key derived from the same text.
   */
  public static SecretsAtRest of(String privateKeyset) {
    try {
      Opener opener = new Opener(privateKeyset);
      return new SecretsAtRest(
          new Sealer(opener.publicKey()),
          opener,
          new SecretKeySpec(
              Hkdf.computeHkdf(
                  "HMACSHA256",
                  privateKeyset.strip().getBytes(StandardCharsets.UTF_8),
                  new byte[0],
                  LEGACY_INFO,
                  32),
              "AES"));
    } catch (SealException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the private sealing key is not usable: " + e.getMessage());
    }
  }

  /**
   * The place of one of an account's values: the account's id and the column (the earlier format
   * was bound to the id alone).
   */
  public static SealContext account(String accountId, String column) {
    return new SealContext(ACCOUNTS, accountId, column);
  }

  /** The sealed text of a value for one place; null stays null. */
  public String seal(String value, SealContext place) {
    return value == null ? null : sealer.seal(value, place);
  }

  /**
   * The value kept at this place, or null when there is none or it does not open (sealed by another
   * key, or for another place): the caller then fetches or asks for a new one.
   */
  public String open(String stored, SealContext place) {
    if (stored == null) {
      return null;
    }
    if (stored.startsWith(LEGACY_PREFIX)) {
      return legacyKey == null || !place.organizationId().equals(ACCOUNTS)
          ? null
          : openLegacy(stored, place.connectionId());
    }
    try {
      return opener.open(stored, place);
    } catch (SealException e) {
      return null;
    }
  }

  /** A value of the earlier account format, whose associated data was the account id. */
  private String openLegacy(String stored, String accountId) {
    try {
      byte[] all = Base64.getUrlDecoder().decode(stored.substring(LEGACY_PREFIX.length()));
      if (all.length <= LEGACY_IV_BYTES) {
        return null;
      }
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, legacyKey, new GCMParameterSpec(128, all, 0, LEGACY_IV_BYTES));
      c.updateAAD(accountId.getBytes(StandardCharsets.UTF_8));
      return new String(
          c.doFinal(all, LEGACY_IV_BYTES, all.length - LEGACY_IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return null;
    }
  }
}
