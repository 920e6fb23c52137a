package dev.conduit.runtime.console.changes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.library.Catalog;
import dev.conduit.compiler.library.Installer;
import dev.conduit.compiler.library.PublicLibrary;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.gitops.GitSettings;
import dev.conduit.runtime.library.OrganizationLibrary;
import dev.conduit.seal.Opener;
import dev.conduit.seal.SealContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An install and an upgrade from the console are the CLI's (Installer, Upgrade) committed on a
 * branch of a real bare remote: a preview pushes nothing and hands back the hidden value sealed,
 * the branch then carries only that ciphertext, which opens to what was typed in its place only; a
 * value sealed for another place, an id the repository has, and an upgrade that would lose an
 * enabled API are refused with nothing pushed; a clean upgrade keeps the organization's own part.
 * An entry of the organization's own library installs at the version its repository has; the same
 * install again changes nothing; the check's diff counts the APIs the install enables.
 */
class LibraryChangesTest {

  static final String ACME = ExampleRemote.ACME;
  static final Path EXAMPLE = ExampleRemote.EXAMPLE;

  @TempDir Path tmp;
  Path remote;
  GitSettings.Source source;
  ChangeBranches changes;
  Catalog catalog;

  @BeforeEach
  void remoteAndALibraryWithTwoVersions() throws Exception {
    ExampleRemote example = ExampleRemote.in(tmp);
    remote = example.remote;
    source = example.source;
    Path library = tmp.resolve("library");
    Path v1 =
        Fixtures.copy(
            Path.of("..", "library", "entries", "tianyancha", "1.0.0"),
            library.resolve("entries/tianyancha/1.0.0"));
    Path v2 = Fixtures.copy(v1, library.resolve("entries/tianyancha/1.1.0"));
    Path manifest = v2.resolve("library.json");
    Files.writeString(manifest, Files.readString(manifest).replace("\"1.0.0\"", "\"1.1.0\""));
    Files.delete(v2.resolve("apis/company-shareholders.json"));
    PublicLibrary lib = PublicLibrary.at(library);
    catalog = new Catalog(lib);
    changes =
        new ChangeBranches(
            new Compiler(CodeSyntaxes.engines(), Optional.of(lib)), ExampleRemote.CLOCK);
  }

  private LibraryInstall install(
      String id, List<String> apis, Map<String, String> hidden, Map<String, String> sealed) {
    return install("tianyancha@1.0.0", id, apis, hidden, sealed);
  }

  /** Bob installs {@code entry} (ENTRY@VERSION) as the console's form would, no grants. */
  private LibraryInstall install(
      String entry,
      String id,
      List<String> apis,
      Map<String, String> hidden,
      Map<String, String> sealed) {
    return new LibraryInstall(
        ACME, catalog.show(entry), id, apis, List.of(), "bob", Map.of(), hidden, sealed);
  }

  @Test
  void theApplicationsChosenAtInstallAreGrantedInTheGrantsFileTheCompilerReads() throws Exception {
    String base = changes.head(source);
    LibraryInstall granted =
        new LibraryInstall(
            ACME,
            catalog.show("tianyancha@1.0.0"),
            "tyc",
            List.of("search-companies"),
            List.of("demo-app"),
            "bob",
            Map.of(),
            Map.of("token", "tyc-t0ken"),
            Map.of());
    ChangeBranches.Proposal made =
        changes.change(source, ACME, "bob", "Bob Li", base, granted.change(), true);
    assertTrue(made.valid(), made.problems().toString());
    assertTrue(made.diff().contains("demo-app"), made.diff());
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      var commit = repo.parseCommit(repo.resolve("refs/heads/" + made.branch()));
      String grants = file(repo, commit, "connections/tyc/grants.json");
      assertTrue(grants.contains("\"application\": \"demo-app\""), grants);
      assertTrue(grants.contains("\"grantedBy\": \"bob\""), grants);
      assertTrue(commit.getFullMessage().contains("granted to demo-app"));
    }

    // an application the organization does not have: the compiler refuses, nothing pushed
    LibraryInstall unknown =
        new LibraryInstall(
            ACME,
            catalog.show("tianyancha@1.0.0"),
            "tyc2",
            List.of("search-companies"),
            List.of("no-such-app"),
            "bob",
            Map.of(),
            Map.of("token", "tyc-t0ken"),
            Map.of());
    assertFalse(
        changes.change(source, ACME, "bob", "Bob Li", base, unknown.change(), false).valid());
  }

  @Test
  void aPreviewPushesNothingThenTheBranchCarriesOnlyTheSealedValue() throws Exception {
    String base = changes.head(source);
    LibraryInstall preview =
        install("tyc", List.of("search-companies"), Map.of("token", "tyc-t0ken"), Map.of());
    ChangeBranches.Proposal p =
        changes.change(source, ACME, "bob", "Bob Li", base, preview.change(), false);
    assertTrue(p.valid(), p.problems().toString());
    assertTrue(p.diff().contains("tyc"), p.diff());
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      assertEquals(
          1,
          repo.getRefDatabase().getRefsByPrefix("refs/heads/").size(),
          "only main: nothing pushed");
    }
    String sealed = preview.sealed().get("token");
    assertTrue(sealed.startsWith("sealed:v2:" + ACME + "/tyc/token:"), sealed);

    // the confirmation posts the sealed value, never the plaintext
    LibraryInstall confirmed =
        install("tyc", List.of("search-companies"), Map.of(), Map.of("token", sealed));
    ChangeBranches.Proposal made =
        changes.change(source, ACME, "bob", "Bob Li", base, confirmed.change(), true);
    assertEquals("console/bob-20261202-113000-" + made.commit().substring(0, 8), made.branch());
    assertTrue(made.valid(), made.problems().toString());
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      var commit = repo.parseCommit(repo.resolve("refs/heads/" + made.branch()));
      String connection = file(repo, commit, "connections/tyc/connection.json");
      assertTrue(connection.contains("\"entry\": \"tianyancha\""), connection);
      assertTrue(connection.contains("\"library\": \"public\""), connection);
      assertTrue(connection.contains("\"owner\": \"bob\""), connection);
      assertTrue(connection.contains("\"search-companies\""), connection);
      assertFalse(connection.contains("company-basic-info"), "only the API chosen: " + connection);
      assertFalse(connection.contains("tyc-t0ken"), "never in plaintext");
      assertFalse(commit.getFullMessage().contains("tyc-t0ken"));
      assertTrue(commit.getFullMessage().startsWith("tyc: install tianyancha@1.0.0"));
      Opener opener =
          new Opener(Files.readString(EXAMPLE.resolve("demo-keys/runtime-key.DEMO-ONLY.json")));
      assertEquals("tyc-t0ken", opener.open(sealed, new SealContext(ACME, "tyc", "token")));
      assertEquals(base, repo.resolve("refs/heads/main").name(), "main is left alone");
    }
  }

  @Test
  void aValueSealedForAnotherPlaceAndATakenIdAreRefusedWithNothingPushed() throws Exception {
    String base = changes.head(source);
    LibraryInstall other = install("tyc", List.of(), Map.of("token", "x"), Map.of());
    changes.change(source, ACME, "bob", null, base, other.change(), false);
    String sealedForTyc = other.sealed().get("token");

    var moved = install("tyc2", List.of(), Map.of(), Map.of("token", sealedForTyc));
    var refused =
        assertThrows(
            ChangeBranches.Refused.class,
            () -> changes.change(source, ACME, "bob", null, base, moved.change(), true));
    assertTrue(refused.getMessage().contains("not bound to this install"), refused.getMessage());

    var taken = install("demo", List.of(), Map.of("token", "x"), Map.of());
    refused =
        assertThrows(
            ChangeBranches.Refused.class,
            () -> changes.change(source, ACME, "bob", null, base, taken.change(), true));
    assertTrue(refused.getMessage().contains("exists already"), refused.getMessage());
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      assertEquals(
          1, repo.getRefDatabase().getRefsByPrefix("refs/heads/").size(), "nothing pushed");
    }
  }

  @Test
  void anUpgradeKeepsTheOrganizationsPartAndRefusesToLoseAnEnabledApi() throws Exception {
    // tyc@1.0.0 with every API, merged into main
    LibraryInstall everything = install("tyc", List.of(), Map.of("token", "t"), Map.of());
    var made =
        changes.change(source, ACME, "bob", null, changes.head(source), everything.change(), true);
    moveMain(made.commit());
    Catalog.Entry v1 = catalog.show("tianyancha@1.0.0");
    Catalog.Entry v2 = catalog.show("tianyancha@1.1.0");

    LibraryUpgrade lossy = new LibraryUpgrade("tyc", v1, v2, "alice", false);
    var refused =
        assertThrows(
            ChangeBranches.Refused.class,
            () -> changes.change(source, ACME, "alice", null, made.commit(), lossy, false));
    assertTrue(refused.getMessage().contains("1 conflicts"), refused.getMessage());
    assertTrue(
        lossy.result().conflicts().getFirst().contains("company-shareholders"),
        lossy.result().conflicts().toString());
    assertNull(lossy.result().merged());
    assertTrue(lossy.localChanges().contains("parameter token: a sealed value"));
    assertTrue(lossy.localChanges().contains("owner bob"));

    // with only the APIs that stay enabled, the same upgrade is clean
    LibraryInstall two =
        install("tyc2", List.of("search-companies"), Map.of("token", "t"), Map.of());
    var second = changes.change(source, ACME, "bob", null, made.commit(), two.change(), true);
    moveMain(second.commit());
    LibraryUpgrade clean = new LibraryUpgrade("tyc2", v1, v2, "alice", false);
    var p = changes.change(source, ACME, "alice", "Alice Chen", second.commit(), clean, true);
    assertTrue(p.valid(), p.problems().toString());
    assertTrue(clean.result().diff().contains("API removed: company-shareholders"));
    assertTrue(clean.localChanges().contains("APIs enabled: search-companies (of 3)"));
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      var commit = repo.parseCommit(repo.resolve("refs/heads/" + p.branch()));
      String connection = file(repo, commit, "connections/tyc2/connection.json");
      assertTrue(connection.contains("\"version\": \"1.1.0\""), connection);
      assertTrue(connection.contains("sealed:v2:" + ACME + "/tyc2/token:"), "kept: " + connection);
      assertTrue(connection.contains("\"owner\": \"bob\""), connection);
      assertTrue(commit.getFullMessage().startsWith("tyc2: upgrade tianyancha 1.0.0 -> 1.1.0"));
    }
  }

  @Test
  void anOlderVersionIsRefusedNamingBothUnlessTheDowngradeIsConfirmed() throws Exception {
    // tyc@1.1.0 merged into main; then 1.0.0 typed by hand (?to=1.0.0)
    LibraryInstall newest =
        install(
            "tianyancha@1.1.0", "tyc", List.of("search-companies"), Map.of("token", "t"), Map.of());
    var made =
        changes.change(source, ACME, "bob", null, changes.head(source), newest.change(), true);
    moveMain(made.commit());
    Catalog.Entry v1 = catalog.show("tianyancha@1.0.0");
    Catalog.Entry v2 = catalog.show("tianyancha@1.1.0");

    LibraryUpgrade unasked = new LibraryUpgrade("tyc", v2, v1, "alice", false);
    var refused =
        assertThrows(
            ChangeBranches.Refused.class,
            () -> changes.change(source, ACME, "alice", null, made.commit(), unasked, true));
    assertTrue(
        refused.getMessage().contains("tianyancha@1.0.0 is older than the installed 1.1.0"),
        refused.getMessage());
    assertFalse(refused.stale());
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      assertEquals(
          2, repo.getRefDatabase().getRefsByPrefix("refs/heads/").size(), "nothing more pushed");
    }

    LibraryUpgrade asked = new LibraryUpgrade("tyc", v2, v1, "alice", true);
    var p = changes.change(source, ACME, "alice", null, made.commit(), asked, true);
    assertTrue(p.valid(), p.problems().toString());
    assertTrue(
        asked.result().diff().stream()
            .anyMatch(d -> d.startsWith("API added: company-shareholders")),
        asked.result().diff().toString());
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      var commit = repo.parseCommit(repo.resolve("refs/heads/" + p.branch()));
      String connection = file(repo, commit, "connections/tyc/connection.json");
      assertTrue(connection.contains("\"version\": \"1.0.0\""), connection);
      assertTrue(connection.contains("sealed:v2:" + ACME + "/tyc/token:"), "kept: " + connection);
      assertTrue(commit.getFullMessage().startsWith("tyc: downgrade tianyancha 1.1.0 -> 1.0.0"));
    }
  }

  @Test
  void theCheckPageCountsTheApisTheInstallEnablesNotEveryApiOfTheEntry() throws Exception {
    // issue 15: two APIs of three chosen, the diff said "(none, 3 APIs)"
    LibraryInstall two =
        install(
            "tyc",
            List.of("search-companies", "company-basic-info"),
            Map.of("token", "t"),
            Map.of());
    var p = changes.change(source, ACME, "bob", null, changes.head(source), two.change(), false);
    assertTrue(p.diff().contains("Tianyancha (auth none, 2 of 3 APIs enabled)"), p.diff());
    assertFalse(p.diff().contains("3 APIs)"), p.diff());

    LibraryInstall all = install("tyc", List.of(), Map.of("token", "t"), Map.of());
    p = changes.change(source, ACME, "bob", null, changes.head(source), all.change(), false);
    assertTrue(p.diff().contains("Tianyancha (auth none, 3 APIs)"), p.diff());
  }

  @Test
  void anEntryOfTheOrganizationsOwnLibraryInstallsAtTheVersionItsRepositoryHas() throws Exception {
    var own = OrganizationLibrary.of(Fixtures.compile(EXAMPLE)).entry("tianyancha").orElseThrow();
    Catalog.Entry entry = OrganizationLibrary.installable(own);
    String base = changes.head(source);
    LibraryInstall install =
        new LibraryInstall(
            ACME,
            entry,
            "tyc-own",
            List.of("search-companies"),
            List.of(),
            "bob",
            Map.of(),
            Map.of("token", "own-t0ken"),
            Map.of(),
            Installer.ORGANIZATION);
    var made = changes.change(source, ACME, "bob", "Bob Li", base, install.change(), true);
    assertTrue(made.valid(), made.problems().toString());
    String connection = fileOn(made.branch(), "connections/tyc-own/connection.json");
    assertTrue(connection.contains("\"library\": \"organization\""), connection);
    assertTrue(connection.contains("\"version\": \"1.0.0\""), connection);
    assertFalse(connection.contains("own-t0ken"), "never in plaintext");

    // the page showed another version than the repository's library/tianyancha has: stale
    Catalog.Entry older =
        new Catalog.Entry(
            entry.id(),
            "0.9.0",
            List.of("0.9.0"),
            entry.name(),
            entry.summary(),
            entry.categories(),
            entry.authKind(),
            entry.parameters(),
            entry.apis(),
            null,
            null,
            null);
    var stale =
        new LibraryInstall(
            ACME,
            older,
            "tyc-old",
            List.of(),
            List.of(),
            "bob",
            Map.of(),
            Map.of(),
            Map.of(),
            Installer.ORGANIZATION);
    var refused =
        assertThrows(
            ChangeBranches.Refused.class,
            () -> changes.change(source, ACME, "bob", null, base, stale.change(), false));
    assertTrue(refused.stale(), refused.getMessage());
    assertTrue(refused.getMessage().contains("at 1.0.0 now"), refused.getMessage());
  }

  @Test
  void theSameInstallAgainChangesNothingAndAnotherInstallOnItsIdIsRefusedBesideTheId()
      throws Exception {
    LibraryInstall once = install("tyc", List.of("search-companies"), Map.of(), Map.of());
    var made = changes.change(source, ACME, "bob", null, changes.head(source), once.change(), true);
    moveMain(made.commit());

    LibraryInstall again = install("tyc", List.of("search-companies"), Map.of(), Map.of());
    assertThrows(
        ChangeBranches.Unchanged.class,
        () -> changes.change(source, ACME, "bob", null, made.commit(), again.change(), true));

    LibraryInstall other =
        install("tyc", List.of("search-companies", "company-basic-info"), Map.of(), Map.of());
    var refused =
        assertThrows(
            ChangeBranches.Refused.class,
            () -> changes.change(source, ACME, "bob", null, made.commit(), other.change(), true));
    assertEquals("id", refused.field());
    assertTrue(refused.getMessage().contains("exists already"), refused.getMessage());
  }

  private String fileOn(String branch, String path) throws Exception {
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      return file(repo, repo.parseCommit(repo.resolve("refs/heads/" + branch)), path);
    }
  }

  /** A merged pull request: main moves to the commit. */
  private void moveMain(String commit) throws Exception {
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      RefUpdate u = repo.updateRef("refs/heads/main");
      u.setNewObjectId(repo.resolve(commit));
      u.setForceUpdate(true);
      assertNotNull(u.update());
    }
  }

  private static String file(
      Repository repo, org.eclipse.jgit.revwalk.RevCommit commit, String path) throws Exception {
    try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
      assertNotNull(walk, path);
      return new String(repo.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    }
  }
}
