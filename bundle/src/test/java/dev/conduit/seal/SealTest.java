package dev.conduit.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SealTest {

  static final SealingKeys KEYS = SealingKeys.generate();
  static final SealContext WHERE = new SealContext("org-1", "wecom", "corpsecret");

  @Test
  void onlyThePrivateKeyOpensWhatThePublicKeySealed() throws Exception {
    String sealed = new Sealer(KEYS.publicKey()).seal("top secret", WHERE);
    assertTrue(sealed.startsWith(Sealer.PREFIX));
    assertFalse(sealed.contains("top secret"));
    assertEquals("top secret", new Opener(KEYS.privateKeyset()).open(sealed, WHERE));
    SealException e = assertThrows(SealException.class,
        () -> new Opener(SealingKeys.generate().privateKeyset()).open(sealed, WHERE));
    assertTrue(e.getMessage().contains("sealed to another key"), e.getMessage());
  }

  @Test
  void aValueIsBoundToItsOrganizationConnectionAndParameter() throws Exception {
    String sealed = new Sealer(KEYS.publicKey()).seal("v", WHERE);
    Opener opener = new Opener(KEYS.privateKeyset());
    assertThrows(SealException.class, () -> opener.open(sealed, new SealContext("org-2", "wecom", "corpsecret")));
    assertThrows(SealException.class, () -> opener.open(sealed, new SealContext("org-1", "jira", "corpsecret")));
    assertThrows(SealException.class, () -> opener.open(sealed, new SealContext("org-1", "wecom", "corpid")));
  }

  @Test
  void sealingIsRandomizedAndTheKeyIdIsVisibleWithoutThePrivateKey() throws Exception {
    Sealer sealer = new Sealer(KEYS.publicKey());
    String a = sealer.seal("same", WHERE);
    String b = sealer.seal("same", WHERE);
    assertNotEquals(a, b, "equal secrets do not give equal ciphertexts");
    assertTrue(sealer.isSealedToThisKey(a));
    assertFalse(new Sealer(SealingKeys.generate().publicKey()).isSealedToThisKey(a));
    assertEquals(KEYS.keyId(), new Opener(KEYS.privateKeyset()).keyId());
    assertEquals(KEYS.keyId(), SealingKeys.keyIdOf(KEYS.publicKey()));
  }

  @Test
  void garbageIsRefusedWithoutEchoingIt() {
    assertThrows(SealException.class, () -> new Sealer("not-a-key"));
    assertThrows(SealException.class, () -> new Opener("{}"));
    SealException e = assertThrows(SealException.class,
        () -> new Opener(KEYS.privateKeyset()).open("plaintext-password", WHERE));
    assertFalse(e.getMessage().contains("plaintext-password"), e.getMessage());
  }
}
