package dev.conduit.compiler.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.TestRepos;
import dev.conduit.compiler.cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * conduit library search/show/install/upgrade on a real repository and a public library with two
 * versions of one entry (the shipped adafruit 1.0.0, and a 1.1.0 that drops an API and adds a
 * parameter), with the compiler checking each step.
 */
class LibraryCommandsTest {

  static final Path SHIPPED = Path.of("..", "library").toAbsolutePath().normalize();

  @TempDir Path temp;
  Path library;
  Path repo;

  @BeforeEach
  void libraryWithTwoVersions() throws Exception {
    library = temp.resolve("library");
    Path v1 = library.resolve("entries/adafruit/1.0.0");
    copy(SHIPPED.resolve("entries/adafruit/1.0.0"), v1);
    Path v2 = library.resolve("entries/adafruit/1.1.0");
    copy(v1, v2);
    Files.delete(v2.resolve("apis/all-feeds.json"));
    ObjectNode manifest =
        (ObjectNode) TestRepos.mapper().readTree(Files.readString(v2.resolve("library.json")));
    Files.writeString(
        v2.resolve("library.json"), manifest.put("version", "1.1.0").toPrettyString());
    repo = TestRepos.copyExample(temp.resolve("repo"));
    System.setProperty(PublicLibrary.PROPERTY, library.toString());
  }

  @AfterEach
  void forgetLibrary() {
    System.clearProperty(PublicLibrary.PROPERTY);
  }

  @Test
  void searchShowInstallSealValidate() throws Exception {
    Run search = Run.conduit("library", "search", "ADAFRUIT", "--format", "json");
    assertEquals(0, search.exit(), search.err());
    JsonNode found = TestRepos.mapper().readTree(search.out()).get("entries");
    assertEquals(1, found.size());
    assertEquals("1.1.0", found.get(0).get("version").asString(), "the newest version is listed");
    assertEquals("[\"1.0.0\",\"1.1.0\"]", found.get(0).get("versions").toString());

    Run show = Run.conduit("library", "show", "adafruit@1.0.0");
    assertTrue(
        show.out().contains("all-feeds") && show.out().contains("api_key (hidden) (required)"),
        show.out());

    Run install =
        Run.conduit(
            "library",
            "install",
            "adafruit@1.0.0",
            "--as",
            "io",
            "--apis",
            "all-feeds,current-user",
            repo.toString());
    assertEquals(0, install.exit(), install.err());
    assertTrue(
        install.out().contains("conduit seal --connection io --parameter api_key"), install.out());
    JsonNode written =
        TestRepos.mapper()
            .readTree(Files.readString(repo.resolve("connections/io/connection.json")));
    assertEquals(
        "{\"entry\":\"adafruit\",\"version\":\"1.0.0\",\"library\":\"public\"}",
        written.get("installedFrom").toString());
    assertFalse(written.has("auth"), "the template's auth stays in the library");

    Run unsealed = Run.conduit("validate", repo.toString());
    assertEquals(1, unsealed.exit());
    assertTrue(
        unsealed.out().contains("error[C225]") && unsealed.out().contains("\"api_key\""),
        unsealed.out());

    assertEquals(
        0,
        Run.withInput(
                "aio-key", "seal", repo.toString(), "--connection", "io", "--parameter", "api_key")
            .exit());
    Run clean = Run.conduit("validate", repo.toString());
    assertEquals(0, clean.exit(), "1.0.0 stays installable next to 1.1.0: " + clean.out());
  }

  @Test
  void upgradeReportsAConflictAndWritesNothingThenMergesKeepingTheSealedValue() throws Exception {
    Run.conduit(
        "library",
        "install",
        "adafruit@1.0.0",
        "--as",
        "io",
        "--apis",
        "all-feeds,current-user",
        repo.toString());
    Run.withInput(
        "aio-key", "seal", repo.toString(), "--connection", "io", "--parameter", "api_key");
    Path file = repo.resolve("connections/io/connection.json");
    String before = Files.readString(file);

    Run conflict = Run.conduit("library", "upgrade", "io", repo.toString());
    assertEquals(1, conflict.exit());
    assertTrue(conflict.out().contains("API removed: all-feeds"), conflict.out());
    assertTrue(conflict.err().contains("conflict: API all-feeds is gone in 1.1.0"), conflict.err());
    assertEquals(before, Files.readString(file), "a conflict writes nothing");

    ObjectNode c = (ObjectNode) TestRepos.mapper().readTree(before);
    c.putArray("enabledApis").add("current-user");
    Files.writeString(file, c.toPrettyString());
    String sealed = c.get("parameters").get(0).get("sealed").asString();
    Run upgrade = Run.conduit("library", "upgrade", "io", repo.toString());
    assertEquals(0, upgrade.exit(), upgrade.err());
    JsonNode after = TestRepos.mapper().readTree(Files.readString(file));
    assertEquals("1.1.0", after.get("installedFrom").get("version").asString());
    assertEquals(
        sealed,
        after.get("parameters").get(0).get("sealed").asString(),
        "the sealed value is kept");
    assertEquals(0, Run.conduit("validate", repo.toString()).exit());
  }

  @Test
  void anOlderToIsRefusedNamingBothVersionsUnlessTheDowngradeIsAskedFor() throws Exception {
    Run.conduit(
        "library",
        "install",
        "adafruit@1.1.0",
        "--as",
        "io",
        "--apis",
        "current-user",
        repo.toString());
    Path file = repo.resolve("connections/io/connection.json");
    String before = Files.readString(file);

    Run refused = Run.conduit("library", "upgrade", "io", "--to", "1.0.0", repo.toString());
    assertEquals(2, refused.exit(), refused.err());
    assertTrue(
        refused.err().contains("adafruit@1.0.0 is older than the installed 1.1.0"), refused.err());
    assertTrue(refused.err().contains("--allow-downgrade"), refused.err());
    assertEquals(before, Files.readString(file), "a refused downgrade writes nothing");

    Run asked =
        Run.conduit(
            "library", "upgrade", "io", "--to", "1.0.0", "--allow-downgrade", repo.toString());
    assertEquals(0, asked.exit(), asked.err());
    assertTrue(asked.out().contains("downgraded connections/io to adafruit@1.0.0"), asked.out());
    JsonNode after = TestRepos.mapper().readTree(Files.readString(file));
    assertEquals("1.0.0", after.get("installedFrom").get("version").asString());
    assertEquals("[\"current-user\"]", after.get("enabledApis").toString(), "kept");
  }

  @Test
  void unknownEntryVersionOrApiIsOneClearErrorAndNothingIsWritten() {
    Run entry = Run.conduit("library", "install", "no-such-api", "--as", "x", repo.toString());
    assertEquals(2, entry.exit());
    assertTrue(
        entry.err().contains("the public library has no entry \"no-such-api\""), entry.err());
    Run version = Run.conduit("library", "install", "adafruit@9.9.9", "--as", "x", repo.toString());
    assertTrue(
        version.err().contains("has no version 9.9.9 (versions: 1.0.0, 1.1.0)"), version.err());
    Run api =
        Run.conduit(
            "library", "install", "adafruit", "--as", "x", "--apis", "nope", repo.toString());
    assertTrue(api.err().contains("has no API nope"), api.err());
    assertFalse(Files.exists(repo.resolve("connections/x")));
  }

  @Test
  void aVersionFolderThatIsALinkIsReadNotDroppedSilently() throws Exception {
    // a shared checkout links its version folders; the install must still reach the bundle
    Path real = temp.resolve("elsewhere/adafruit-1.0.0");
    copy(library.resolve("entries/adafruit/1.0.0"), real);
    Path v1 = library.resolve("entries/adafruit/1.0.0");
    try (Stream<Path> files = Files.walk(v1)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Files.createSymbolicLink(v1, real);
    assertEquals(
        0,
        Run.conduit(
                "library",
                "install",
                "adafruit@1.0.0",
                "--as",
                "io",
                "--apis",
                "all-feeds",
                repo.toString())
            .exit());
    Run.withInput(
        "aio-key", "seal", repo.toString(), "--connection", "io", "--parameter", "api_key");
    Path bundle = temp.resolve("bundle.json");
    Run compile = Run.conduit("compile", repo.toString(), "-o", bundle.toString());
    assertEquals(0, compile.exit(), compile.err() + compile.out());
    assertTrue(
        Files.readString(bundle).contains("all-feeds"),
        "the linked version's API is in the bundle");
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        Files.createDirectories(target.getParent());
        Files.copy(p, target);
      }
    }
  }
}
