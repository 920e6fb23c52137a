package dev.conduit.runtime.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A push webhook passes only with the shared secret: as an HMAC of the body or as a token. */
class WebhookSignatureTest {

  static final byte[] BODY = "{\"ref\":\"refs/heads/main\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void githubsSignatureOfTheBodyPasses() {
    // the value GitHub documents for its example secret and payload ("Validating webhook
    // deliveries"): HMAC-SHA256("It's a Secret to Everybody", "Hello, World!")
    byte[] hello = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    String github = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    assertEquals(github, WebhookSignature.sign("It's a Secret to Everybody", hello));
    assertTrue(WebhookSignature.valid("It's a Secret to Everybody", hello, github, null));
  }

  @Test
  void aSignatureOfAnotherBodyOrSecretFails() {
    String signed = WebhookSignature.sign("s3cret", BODY);
    assertTrue(WebhookSignature.valid("s3cret", BODY, signed, null));
    assertFalse(WebhookSignature.valid("other", BODY, signed, null));
    assertFalse(
        WebhookSignature.valid(
            "s3cret",
            "{\"ref\":\"refs/heads/evil\"}".getBytes(StandardCharsets.UTF_8),
            signed,
            null));
    assertFalse(WebhookSignature.valid("s3cret", BODY, signed.toUpperCase(), null));
    assertFalse(WebhookSignature.valid("s3cret", BODY, "sha256=", null));
  }

  @Test
  void aTokenMustBeTheSecretAndNoHeaderFails() {
    assertTrue(WebhookSignature.valid("s3cret", BODY, null, "s3cret"));
    assertFalse(WebhookSignature.valid("s3cret", BODY, null, "s3cre"));
    assertFalse(WebhookSignature.valid("s3cret", BODY, null, "s3cret2"));
    assertFalse(WebhookSignature.valid("s3cret", BODY, null, null));
  }
}
