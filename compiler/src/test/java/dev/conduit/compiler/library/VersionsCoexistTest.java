package dev.conduit.compiler.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.TestRepos;
import dev.conduit.compiler.cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions coexist: the versions anything installs are kept (library versions says which may go),
 * and a pull request that edits a library entry names the installs it reaches.
 */
class VersionsCoexistTest {

  @TempDir Path temp;

  @Test
  void libraryVersionsKeepsTheNewestAndEveryInstalledVersionAndNamesThePrunable() throws Exception {
    Path library = temp.resolve("library");
    Path adafruit = Path.of("..", "library", "entries", "adafruit", "1.0.0");
    for (String v : new String[] {"1.0.0", "1.1.0", "1.2.0"}) {
      copy(adafruit, library.resolve("entries/adafruit").resolve(v));
      Path manifest = library.resolve("entries/adafruit").resolve(v).resolve("library.json");
      Files.writeString(
          manifest,
          Files.readString(manifest)
              .replace("\"version\": \"1.0.0\"", "\"version\": \"" + v + "\""));
    }
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    Run install =
        Run.conduit(
            "library",
            "install",
            "adafruit@1.0.0",
            "--as",
            "io",
            repo.toString(),
            "--library",
            library.toString());
    assertEquals(0, install.exit(), install.err());

    Run r = Run.conduit("library", "versions", repo.toString(), "--library", library.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(
        r.out().contains("adafruit@1.0.0: keep (installed by " + repo + "/connections/io)"),
        r.out());
    assertTrue(r.out().contains("adafruit@1.1.0: may be pruned"), r.out());
    assertTrue(r.out().contains("adafruit@1.2.0: keep (newest)"), r.out());
    assertTrue(r.out().contains("3 versions of 1 entries; 1 may be pruned"), r.out());

    // pruning an installed version is caught: the install names what the library lacks
    deleteTree(library.resolve("entries/adafruit/1.0.0"));
    Run pruned =
        Run.conduit("library", "versions", repo.toString(), "--library", library.toString());
    assertEquals(1, pruned.exit(), pruned.out());
    assertTrue(
        pruned
            .err()
            .contains("connections/io installs adafruit@1.0.0, which the library does not have"),
        pruned.err());
  }

  @Test
  void aDiffThatEditsALibraryEntryNamesTheInstallsItReaches() throws Exception {
    Path work = TestRepos.copyExample(temp.resolve("org"));
    PersonIdent who = new PersonIdent("Alice", "alice@acme.example");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("base").setAuthor(who).setCommitter(who).call();
      TestRepos.apply(
          work,
          TestRepos.mapper()
              .readTree(
                  "{\"file\":\"library/tianyancha/apis/search-companies.json\",\"pointer\":\"/description\",\"value\":\"Searches companies by name or keyword.\"}"));
      git.add().addFilepattern(".").call();
      git.commit().setMessage("entry edit").setAuthor(who).setCommitter(who).call();
    }
    Run r = Run.conduit("diff", "--git", work.toString(), "--base", "HEAD~1", "--head", "HEAD");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("### Organization library entries"), r.out());
    assertTrue(
        r.out().contains("`tianyancha`")
            && r.out().contains("installed by connections/tianyancha (tianyancha@1.0.0)"),
        r.out());
    Run json =
        Run.conduit(
            "diff",
            "--git",
            work.toString(),
            "--base",
            "HEAD~1",
            "--head",
            "HEAD",
            "--format",
            "json");
    assertTrue(json.out().contains("\"area\" : \"library\""), json.out());
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

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
