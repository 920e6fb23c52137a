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
}
