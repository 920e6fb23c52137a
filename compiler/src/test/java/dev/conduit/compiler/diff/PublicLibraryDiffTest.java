package dev.conduit.compiler.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.TestRepos;
import dev.conduit.compiler.cli.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A pull request to Conduit's own repository that edits the public library (a version edited in
 * place, a new version, a version removed): {@code conduit diff} names the entry versions and, for
 * each, the installs it reaches and whether they are affected, both of the organization
 * repositories inside the checkout and of one given with {@code --installs}.
 */
class PublicLibraryDiffTest {

  private static final Path LIBRARY = Path.of("..", "library", "entries").toAbsolutePath();

  @TempDir static Path dir;
  static Path repo;
  static Path elsewhere;

  @BeforeAll
  static void pullRequest() throws Exception {
    repo = dir.resolve("conduit");
    copy(LIBRARY.resolve("adafruit/1.0.0"), repo.resolve("library/entries/adafruit/1.0.0"));
    copy(LIBRARY.resolve("amap/1.0.0"), repo.resolve("library/entries/amap/1.0.0"));
    Path acme = repo.resolve("examples/acme");
    Files.createDirectories(acme);
    Files.copy(TestRepos.EXAMPLE.resolve("organization.json"), acme.resolve("organization.json"));
    install(acme, "io", "adafruit", "1.0.0", "all-feeds");
    install(acme, "aio", "adafruit", "1.0.0", "current-user");
    install(acme, "maps", "amap", "1.0.0", "geocode");
    elsewhere = dir.resolve("globex");
    Files.createDirectories(elsewhere);
    Files.copy(
        TestRepos.EXAMPLE.resolve("organization.json"), elsewhere.resolve("organization.json"));
    install(elsewhere, "feeds", "adafruit", "1.0.0", "all-groups");

    PersonIdent who = new PersonIdent("Alice", "alice@conduit.example");
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("library").setAuthor(who).setCommitter(who).call();
      // in place: an API's description (io enables it, aio does not)
      TestRepos.apply(
          repo,
          TestRepos.mapper()
              .readTree(
                  "{\"file\":\"library/entries/adafruit/1.0.0/apis/all-feeds.json\","
                      + "\"pointer\":\"/description\",\"value\":\"Every feed of the user.\"}"));
      // a new version next to it
      copy(
          repo.resolve("library/entries/adafruit/1.0.0"),
          repo.resolve("library/entries/adafruit/1.1.0"));
      TestRepos.apply(
          repo,
          TestRepos.mapper()
              .readTree(
                  "{\"file\":\"library/entries/adafruit/1.1.0/library.json\","
                      + "\"pointer\":\"/version\",\"value\":\"1.1.0\"}"));
      // a version removed while maps installs it
      git.rm().addFilepattern("library/entries/amap").call();
      Files.writeString(repo.resolve("README.md"), "not a library file\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("adafruit 1.1.0").setAuthor(who).setCommitter(who).call();
    }
  }

  @Test
  void namesTheInstallsEachEntryVersionChangeReaches() throws Exception {
    Run run = diff("--installs", elsewhere.toString());
    assertEquals(0, run.exit(), run.err());
    String expected =
        Files.readString(
            Path.of("src/test/resources/golden/diff-public-library.md"), StandardCharsets.UTF_8);
    String actual =
        run.out()
            .replaceAll("\\(([0-9a-f]{10})\\)", "(COMMIT)")
            .replace(elsewhere.toString(), "GLOBEX");
    assertEquals(expected, actual);
  }

  @Test
  void breakingLibraryChangesFailTheCheckAndShowInJson() throws Exception {
    Run failing = diff("--fail-on-breaking");
    assertEquals(1, failing.exit(), failing.out());
    Run json = diff("--format", "json");
    JsonNode doc = TestRepos.mapper().readTree(json.out());
    assertEquals(2, doc.get("breaking").asInt());
    List<String> subjects =
        doc.get("changes").valueStream().map(c -> c.get("subject").asString()).toList();
    assertEquals(List.of("adafruit@1.0.0", "adafruit@1.1.0", "amap@1.0.0"), subjects);
    JsonNode edited = doc.get("changes").get(0);
    assertEquals("public-library", edited.get("area").asString());
    assertEquals(List.of("connections/io in examples/acme"), strings(edited.get("usedBy")));
    assertEquals(
        List.of("connections/maps in examples/acme"),
        strings(doc.get("changes").get(2).get("usedBy")));
  }

  @Test
  void refusesAnInstallsFolderThatIsNoOrganization() {
    Run run = diff("--installs", dir.toString());
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("is not an organization repository"), run.err());
  }

  private static Run diff(String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("diff", "--git", repo.toString(), "--base", "HEAD~1", "--head", "HEAD"));
    args.addAll(List.of(more));
    return Run.conduit(args.toArray(String[]::new));
  }

  private static List<String> strings(JsonNode array) {
    return array.valueStream().map(JsonNode::asString).toList();
  }

  private static void install(Path org, String id, String entry, String version, String api)
      throws IOException {
    Path file = org.resolve("connections/" + id + "/connection.json");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        """
        {"id": "%s", "installedFrom": {"entry": "%s", "version": "%s", "library": "public"},
         "parameters": [], "enabledApis": ["%s"]}
        """
            .formatted(id, entry, version, api));
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
