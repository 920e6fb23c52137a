package dev.conduit.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.HybridEncrypt;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
    SealException e =
        assertThrows(
            SealException.class,
            () -> new Opener(SealingKeys.generate().privateKeyset()).open(sealed, WHERE));
    assertTrue(e.getMessage().contains("sealed to another key"), e.getMessage());
  }

  @Test
  void aValueIsBoundToItsOrganizationConnectionAndParameter() throws Exception {
    String sealed = new Sealer(KEYS.publicKey()).seal("v", WHERE);
    Opener opener = new Opener(KEYS.privateKeyset());
    assertThrows(
        SealException.class,
        () -> opener.open(sealed, new SealContext("org-2", "wecom", "corpsecret")));
    assertThrows(
        SealException.class,
        () -> opener.open(sealed, new SealContext("org-1", "jira", "corpsecret")));
    assertThrows(
        SealException.class,
        () -> opener.open(sealed, new SealContext("org-1", "wecom", "corpid")));
  }

  @Test
  void aValueShowsWhereItBelongsWithoutAnyKey() throws Exception {
    SealedValue v = SealedValue.parse(new Sealer(KEYS.publicKey()).seal("v", WHERE));
    assertEquals(WHERE, v.binding());
    assertTrue(
        new Sealer(KEYS.publicKey())
            .seal("v", WHERE)
            .startsWith("sealed:v2:org-1/wecom/corpsecret:"));
  }

  @Test
  void aValueCopiedElsewhereIsRefusedNamingWhereItWasSealedFor() throws Exception {
    String sealed = new Sealer(KEYS.publicKey()).seal("v", WHERE);
    SealException e =
        assertThrows(
            SealException.class,
            () ->
                new Opener(KEYS.privateKeyset())
                    .open(sealed, new SealContext("org-1", "jira", "token")));
    assertTrue(
        e.getMessage().contains("sealed for connection \"wecom\" parameter \"corpsecret\""),
        e.getMessage());
    e =
        assertThrows(
            SealException.class,
            () ->
                new Opener(KEYS.privateKeyset())
                    .open(sealed, new SealContext("org-2", "wecom", "corpsecret")));
    assertTrue(e.getMessage().contains("of organization org-1"), e.getMessage());
  }

  @Test
  void editingTheShownPlaceToMatchMakesTheValueFailToOpen() throws Exception {
    String sealed = new Sealer(KEYS.publicKey()).seal("v", WHERE);
    String moved = sealed.replace("org-1/wecom/corpsecret:", "org-1/jira/corpsecret:");
    SealException e =
        assertThrows(
            SealException.class,
            () ->
                new Opener(KEYS.privateKeyset())
                    .open(moved, new SealContext("org-1", "jira", "corpsecret")));
    assertTrue(e.getMessage().contains("cannot open"), e.getMessage());
  }

  @Test
  void aValueOfTheFirstFormatStillOpensInItsPlaceOnly() throws Exception {
    HybridEncrypt v1 =
        TinkProtoKeysetFormat.parseKeysetWithoutSecret(
                Base64.getDecoder().decode(KEYS.publicKey()), RegistryConfiguration.get())
            .getPrimitive(RegistryConfiguration.get(), HybridEncrypt.class);
    String sealed =
        SealedValue.V1
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    v1.encrypt("old".getBytes(StandardCharsets.UTF_8), WHERE.v1Bytes()));
    assertFalse(SealedValue.parse(sealed).showsBinding());
    assertTrue(new Sealer(KEYS.publicKey()).isSealedToThisKey(sealed));
    Opener opener = new Opener(KEYS.privateKeyset());
    assertEquals("old", opener.open(sealed, WHERE));
    assertThrows(
        SealException.class,
        () -> opener.open(sealed, new SealContext("org-1", "wecom", "corpid")));
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
    SealException e =
        assertThrows(
            SealException.class,
            () -> new Opener(KEYS.privateKeyset()).open("plaintext-password", WHERE));
    assertFalse(e.getMessage().contains("plaintext-password"), e.getMessage());
    for (String bad :
        new String[] {
          "sealed:v2:AQID", "sealed:v2:org-1/wecom:AQID", "sealed:v2:org-1/wecom/p:not base64!"
        }) {
      assertThrows(SealException.class, () -> SealedValue.parse(bad), bad);
    }
  }

  /** The compiler reads a signing key's length from its sealed form (C241): exact, every length. */
  @Test
  void thePlaintextLengthShowsInTheCiphertextWithoutOpeningIt() throws Exception {
    Sealer sealer = new Sealer(KEYS.publicKey());
    for (String value : new String[] {"", "a", "x".repeat(31), "y".repeat(32), "zé".repeat(40)}) {
      SealedValue v = SealedValue.parse(sealer.seal(value, WHERE));
      assertEquals(
          value.getBytes(StandardCharsets.UTF_8).length, v.plaintextBytes().orElseThrow(), value);
    }
  }
}
