package dev.conduit.compiler.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.BundleCodec;
import dev.conduit.compiler.TestRepos;
import dev.conduit.seal.Opener;
import dev.conduit.seal.SealContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** keys init, seal and credential: secrets go in sealed or hashed, never in plaintext. */
class SecretsCommandsTest {

  @TempDir Path temp;

  @Test
  void keysInitThenSealThenTheRuntimeKeyOpensIt() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Path key = temp.resolve("keys/runtime.private.json");

    Run refused = Run.conduit("keys", "init", repo.toString(), "--private-key", key.toString());
    assertEquals(2, refused.exit(), "an existing key is not replaced silently");
    assertTrue(refused.err().contains("--force"), refused.err());

    Run init =
        Run.conduit("keys", "init", repo.toString(), "--private-key", key.toString(), "--force");
    assertEquals(0, init.exit(), init.err());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));

    // after a key change every sealed value is reported, with the way out
    Run stale = Run.conduit("validate", repo.toString());
    assertEquals(1, stale.exit());
    assertTrue(stale.out().contains("error[C221]"), stale.out());

    Run seal =
        Run.withInput(
            "s3cr3t-value\n",
            "seal",
            repo.toString(),
            "--connection",
            "wecom",
            "--parameter",
            "corpsecret");
    assertEquals(0, seal.exit(), seal.err());
    String file = Files.readString(repo.resolve("connections/wecom/connection.json"));
    assertFalse(file.contains("s3cr3t-value"), "the plaintext never reaches the file");
    JsonNode param = TestRepos.mapper().readTree(file).get("parameters").get(1);
    assertEquals("corpsecret", param.get("name").asString());
    Opener opener = new Opener(Files.readString(key));
    String org =
        TestRepos.mapper()
            .readTree(Files.readString(repo.resolve("organization.json")))
            .get("id")
            .asString();
    assertEquals(
        "s3cr3t-value",
        opener.open(param.get("sealed").asString(), new SealContext(org, "wecom", "corpsecret")));
  }

  @Test
  void aSealedValueDoesNotOpenInAnotherParameter() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Run seal =
        Run.withInput(
            "x",
            "seal",
            repo.toString(),
            "--connection",
            "wecom",
            "--parameter",
            "corpsecret",
            "--print");
    assertEquals(0, seal.exit());
    Opener opener =
        new Opener(
            Files.readString(TestRepos.EXAMPLE.resolve("demo-keys/runtime-key.DEMO-ONLY.json")));
    String org = "f0dc6a74-854a-46cb-ab8c-909b7846d34c";
    assertEquals("x", opener.open(seal.out().strip(), new SealContext(org, "wecom", "corpsecret")));
    var e =
        assertThrows(
            dev.conduit.seal.SealException.class,
            () -> opener.open(seal.out().strip(), new SealContext(org, "jira", "api_token")));
    assertFalse(e.getMessage().contains("x\""), e.getMessage());
  }

  /** A sealed:v1 value of the demo key, sealed for the example's wecom/corpsecret. */
  static final String V1_WECOM_CORPSECRET =
      "sealed:v1:ASmwnBMEIib3Vv-p1Kf4ELUSLFG9qdp3tCum8DLND9bHTtPcC7RQcG1KOBezqUCDxFG6g8inGpVoy-QE5ugGeuZ43zevHuavhiM2ygIdrZ9PaTE";

  @Test
  void resealUpgradesFirstFormatValuesInPlaceAndLeavesMisplacedOnesForAHuman() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Path key = TestRepos.EXAMPLE.resolve("demo-keys/runtime-key.DEMO-ONLY.json");
    Path wecom = repo.resolve("connections/wecom/connection.json");
    Path jira = repo.resolve("connections/jira/connection.json");
    JsonNode before = TestRepos.mapper().readTree(Files.readString(jira)).get("parameters");
    String jiraSealed = before.findValue("sealed").asString();
    Files.writeString(
        wecom, Files.readString(wecom).replaceAll("sealed:v2:[^\"]+", V1_WECOM_CORPSECRET));
    Files.writeString(
        jira, Files.readString(jira).replace(jiraSealed, V1_WECOM_CORPSECRET)); // copied: misplaced
    Opener opener = new Opener(Files.readString(key));
    String org = "f0dc6a74-854a-46cb-ab8c-909b7846d34c";
    String secret = opener.open(V1_WECOM_CORPSECRET, new SealContext(org, "wecom", "corpsecret"));

    Run wrongKey =
        Run.conduit("keys", "reseal", repo.toString(), "--private-key", writeOtherKey().toString());
    assertEquals(2, wrongKey.exit(), wrongKey.err());
    assertTrue(
        wrongKey.err().contains("organization.json's public key is key 1a59828ae3a65798"),
        wrongKey.err());

    Run run = Run.conduit("keys", "reseal", repo.toString(), "--private-key", key.toString());
    assertEquals(1, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("resealed 1 value"), run.out());
    assertTrue(
        run.err().contains("connections/jira/connection.json")
            && run.err().contains("left unchanged"),
        run.err());
    assertFalse((run.out() + run.err()).contains(secret), "the opened value is never printed");
    String upgraded =
        TestRepos.mapper()
            .readTree(Files.readString(wecom))
            .get("parameters")
            .get(1)
            .get("sealed")
            .asString();
    assertTrue(upgraded.startsWith("sealed:v2:" + org + "/wecom/corpsecret:"), upgraded);
    assertEquals(secret, opener.open(upgraded, new SealContext(org, "wecom", "corpsecret")));
    assertTrue(
        Files.readString(jira).contains(V1_WECOM_CORPSECRET),
        "a value that does not open where it stands stays");

    Run validate = Run.conduit("validate", repo.toString());
    assertEquals(0, validate.exit(), validate.out());
    assertTrue(
        validate.out().contains("connections/jira/connection.json")
            && validate.out().contains("warning[C238]"),
        validate.out());
    assertFalse(validate.out().contains("connections/wecom/connection.json"), validate.out());
  }

  private Path writeOtherKey() throws Exception {
    Path other = temp.resolve("other.private.json");
    Files.writeString(other, dev.conduit.seal.SealingKeys.generate().privateKeyset());
    return other;
  }

  @Test
  void sealingNothingIsRefused() {
    Run run =
        Run.withInput(
            "",
            "seal",
            TestRepos.EXAMPLE.toString(),
            "--connection",
            "wecom",
            "--parameter",
            "corpsecret",
            "--print");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("standard input was empty"), run.err());
  }

  @Test
  void credentialPrintsTheSecretOnceAndStoresItsHash() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Run run = Run.conduit("credential", "application", "sales-crm", "--repo", repo.toString());
    assertEquals(0, run.exit(), run.err());
    String secret =
        run.out()
            .lines()
            .filter(l -> l.startsWith("secret: "))
            .findFirst()
            .orElseThrow()
            .substring(8)
            .strip();
    assertTrue(secret.length() >= 43, "at least 256 bits, base64url");
    String file = Files.readString(repo.resolve("applications/sales-crm.json"));
    assertFalse(file.contains(secret));
    assertTrue(file.contains(BundleCodec.sha256(secret.getBytes(StandardCharsets.UTF_8))));
    assertEquals(0, Run.conduit("validate", repo.toString()).exit());

    Run tp = Run.conduit("credential", "third-party-app", "hr-portal", "--repo", repo.toString());
    assertEquals(0, tp.exit(), tp.err());
    assertTrue(tp.out().contains("app_key:    441139F6ADFA"), tp.out());
  }
}
