package dev.conduit.compiler.portable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.TestRepos;
import dev.conduit.compiler.cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conduit export / import between two organizations: settings travel, sealed values do not. */
class ExportImportTest {

  @TempDir Path temp;

  @Test
  void exportDropsSealedValuesAndImportAsksToSealThemAgain() throws Exception {
    Path from = TestRepos.copyExample(temp.resolve("acme"));
    Path to = TestRepos.copyExample(temp.resolve("other"));
    Path file = temp.resolve("wecom.json");
    String sealed =
        TestRepos.mapper()
            .readTree(Files.readString(from.resolve("connections/wecom/connection.json")))
            .get("parameters")
            .get(1)
            .get("sealed")
            .asString();

    Run export = Run.conduit("export", "wecom", from.toString(), "-o", file.toString());
    assertEquals(0, export.exit(), export.err());
    assertTrue(export.out().contains("the sealed value of corpsecret stayed behind"), export.out());
    String text = Files.readString(file);
    assertFalse(text.contains(sealed) || text.contains("sealed:v"), "no sealed value leaves");
    assertTrue(text.contains("\"apis\"") && text.contains("send-app-message"), "the APIs travel");

    Run imported = Run.conduit("import", file.toString(), to.toString(), "--as", "wecom-copy");
    assertEquals(0, imported.exit(), imported.err());
    assertTrue(
        imported.out().contains("conduit seal --connection wecom-copy --parameter corpsecret"),
        imported.out());
    Run validate = Run.conduit("validate", to.toString());
    assertTrue(
        validate.out().contains("connections/wecom-copy/connection.json")
            && validate.out().contains("C219"),
        "the value to seal is reported: " + validate.out());
    assertFalse(validate.out().contains("error["), validate.out());
  }

  @Test
  void aBadFileOrATakenIdIsOneErrorAndWritesNothing() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Path bad = temp.resolve("bad.json");
    Files.writeString(bad, "{\"connection\": {}}");
    Run r = Run.conduit("import", bad.toString(), repo.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("not a Conduit connection export"), r.err());

    Path file = temp.resolve("wecom.json");
    Run.conduit("export", "wecom", repo.toString(), "-o", file.toString());
    Run taken = Run.conduit("import", file.toString(), repo.toString());
    assertEquals(2, taken.exit());
    assertTrue(taken.err().contains("connections/wecom exists already"), taken.err());
    try (var s = Files.list(repo.resolve("connections"))) {
      assertFalse(
          s.anyMatch(p -> p.getFileName().toString().startsWith(".import")),
          "no staging folder left");
    }
  }

  @Test
  void importUpgradeBringsTheFilesChangesAndKeepsThisOrganizationsValues() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Path file = temp.resolve("wecom.json");
    Path connection = repo.resolve("connections/wecom/connection.json");
    String sealedBefore =
        Files.readString(connection).replaceAll("(?s).*(sealed:v2:[^\"]+).*", "$1");
    String grants = Files.readString(repo.resolve("connections/wecom/grants.json"));
    Run.conduit("export", "wecom", repo.toString(), "-o", file.toString());
    // the file's newer settings: a changed API description and a new API
    tools.jackson.databind.node.ObjectNode export =
        (tools.jackson.databind.node.ObjectNode)
            TestRepos.mapper().readTree(Files.readString(file));
    ((tools.jackson.databind.node.ObjectNode) export.at("/apis/get-member"))
        .put("description", "Reads one member's profile by user id.");
    export.withObject("/apis").set("get-member-copy", export.at("/apis/get-member").deepCopy());
    ((tools.jackson.databind.node.ObjectNode) export.at("/apis/get-member-copy"))
        .put("id", "get-member-copy");
    Files.writeString(file, export.toPrettyString());

    Run up = Run.conduit("import", file.toString(), repo.toString(), "--upgrade", "wecom");
    assertEquals(0, up.exit(), up.out() + up.err());
    assertTrue(up.out().contains("API changed: get-member (description)"), up.out());
    assertTrue(up.out().contains("API added: get-member-copy"), up.out());
    assertFalse(up.out().contains("conduit seal"), "the sealed value is kept: " + up.out());
    assertTrue(Files.readString(connection).contains(sealedBefore), "sealed value kept");
    assertEquals(
        "alice",
        TestRepos.mapper().readTree(Files.readString(connection)).path("owner").asString(),
        "owner kept");
    assertEquals(grants, Files.readString(repo.resolve("connections/wecom/grants.json")));
    assertTrue(Files.exists(repo.resolve("connections/wecom/apis/get-member-copy.json")));
    Run validate = Run.conduit("validate", repo.toString());
    assertFalse(validate.out().contains("error["), validate.out());

    // a file without an API this connection has: a conflict, and nothing is written
    export.withObject("/apis").remove("send-app-message");
    Files.writeString(file, export.toPrettyString());
    String before = Files.readString(connection);
    Run conflict = Run.conduit("import", file.toString(), repo.toString(), "--upgrade", "wecom");
    assertEquals(1, conflict.exit(), conflict.out());
    assertTrue(
        conflict.err().contains("conflict: API send-app-message is not in the file")
            && conflict.err().contains("nothing written"),
        conflict.err());
    assertEquals(before, Files.readString(connection));
    assertTrue(Files.exists(repo.resolve("connections/wecom/apis/send-app-message.json")));
  }

  @Test
  void exportToKeySealsHiddenValuesForTheTargetOrganizationSoTheyTravel() throws Exception {
    Path from = TestRepos.copyExample(temp.resolve("acme"));
    Path to = TestRepos.copyExample(temp.resolve("other"));
    Path sourceKey = TestRepos.EXAMPLE.resolve("demo-keys/runtime-key.DEMO-ONLY.json");
    Path targetKey = temp.resolve("other.private.json");
    assertEquals(
        0,
        Run.conduit("keys", "init", to.toString(), "--private-key", targetKey.toString(), "--force")
            .exit());
    String otherOrg = "0b6a5b3e-1111-4222-8333-944455556666";
    Path orgFile = to.resolve("organization.json");
    Files.writeString(
        orgFile,
        Files.readString(orgFile).replace("f0dc6a74-854a-46cb-ab8c-909b7846d34c", otherOrg));
    String targetPublic =
        TestRepos.mapper().readTree(Files.readString(orgFile)).at("/sealing/publicKey").asString();
    Path file = temp.resolve("wecom.json");

    Run missing =
        Run.conduit(
            "export", "wecom", from.toString(), "-o", file.toString(), "--to-key", targetPublic);
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("--to-key needs --to-organization"), missing.err());

    Run export =
        Run.conduit(
            "export",
            "wecom",
            from.toString(),
            "-o",
            file.toString(),
            "--to-key",
            targetPublic,
            "--to-organization",
            otherOrg,
            "--private-key",
            sourceKey.toString());
    assertEquals(0, export.exit(), export.err());
    String text = Files.readString(file);
    assertTrue(text.contains("sealed:v2:" + otherOrg + "/wecom/corpsecret:"), text);

    deleteTree(to.resolve("connections/wecom"));
    Run imported = Run.conduit("import", file.toString(), to.toString());
    assertEquals(0, imported.exit(), imported.err());
    assertFalse(
        imported.out().contains("--parameter corpsecret"), "nothing to seal: " + imported.out());
    String sealed =
        TestRepos.mapper()
            .readTree(Files.readString(to.resolve("connections/wecom/connection.json")))
            .at("/parameters/1/sealed")
            .asString();
    String original =
        TestRepos.mapper()
            .readTree(Files.readString(from.resolve("connections/wecom/connection.json")))
            .at("/parameters/1/sealed")
            .asString();
    String there =
        new dev.conduit.seal.Opener(Files.readString(targetKey))
            .open(sealed, new dev.conduit.seal.SealContext(otherOrg, "wecom", "corpsecret"));
    String here =
        new dev.conduit.seal.Opener(Files.readString(sourceKey))
            .open(
                original,
                new dev.conduit.seal.SealContext(
                    "f0dc6a74-854a-46cb-ab8c-909b7846d34c", "wecom", "corpsecret"));
    assertEquals(here, there, "the target's runtime opens the same secret");
    assertFalse(text.contains(here), "never in plaintext in the file");
  }

  private static void deleteTree(Path dir) throws Exception {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
