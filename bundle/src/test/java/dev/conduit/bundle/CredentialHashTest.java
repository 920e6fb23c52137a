package dev.conduit.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The stored form of a credential and the check of a presented secret agree. */
class CredentialHashTest {

  @Test
  void theStoredFormIsSha256OfTheUtf8Bytes() {
    // sha256("abc"), a published test vector (FIPS 180-2)
    String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assertEquals("sha256:" + abc, CredentialHash.of("abc"));
    assertEquals(abc, CredentialHash.hex("abc"));
    assertEquals(
        BundleCodec.sha256("päss".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        CredentialHash.of("päss"));
  }

  @Test
  void aSecretMatchesItsHashWithOrWithoutThePrefix() {
    String stored = CredentialHash.of("s3cret");
    assertTrue(CredentialHash.matches("s3cret", stored));
    assertTrue(CredentialHash.matches("s3cret", stored.substring("sha256:".length())));
    assertFalse(CredentialHash.matches("s3cret!", stored));
    assertFalse(CredentialHash.matches(null, stored));
    assertFalse(CredentialHash.matches("s3cret", null));
  }
}
