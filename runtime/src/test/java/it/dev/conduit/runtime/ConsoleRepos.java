package it.dev.conduit.runtime;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.conduit.compiler.library.Catalog;
import dev.conduit.compiler.library.Installer;
import dev.conduit.compiler.library.PublicLibrary;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.console.changes.ChangeBranches;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.Sealer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;
import tools.jackson.databind.node.ObjectNode;

/**
 * What ConsoleLibraryIT needs on the test server (written by ItFixtures): Initech, a small
 * organization served from Git with a connection installed from tianyancha@1.0.0 of the public
 * library and one from its 1.1.0 (ConsoleDowngradeIT), another installed from archive-search@1.0.0
 * exactly as the console installs it (so the same install again changes nothing), and an entry of
 * its own library (initech-directory); and a public library folder where tianyancha also has a
 * 1.1.0 without the shareholders API (every other entry is the real one, linked).
 */
final class ConsoleRepos {
  private ConsoleRepos() {}

  static final String INITECH = "7a1e5c0d-3b2f-4c8e-9d6a-5e4f3a2b1c0d";

  /**
   * @param library the public library (its archive-search entry is installed)
   * @param example the example organization (its own library's tianyancha is copied)
   */
  static Path initech(Path repo, String publicKey, Path library, Path example) throws Exception {
    Files.writeString(
        repo.resolve("organization.json"),
        """
        {
          "$schema": "../schemas/organization.schema.json",
          "id": "%s",
          "name": "Initech",
          "description": "A test organization served from Git (ConsoleLibraryIT).",
          "admins": ["alice"],
          "sealing": { "publicKey": "%s" }
        }
        """
            .formatted(INITECH, publicKey));
    Files.writeString(
        repo.resolve("members.json"),
        """
        {
          "$schema": "../schemas/members.schema.json",
          "members": [
            { "login": "alice", "accountId": "acc-7d1c2e9a", "userId": "u-ini-001", "full_name": "Alice Chen" },
            { "login": "bob", "accountId": "acc-1b2f9e40", "userId": "u-ini-002", "full_name": "Bob Martin" },
            { "login": "dave", "accountId": "acc-4e8d1f06", "userId": "u-ini-004", "full_name": "Dave Okafor" }
          ]
        }
        """);
    tianyancha(repo, publicKey, "tyc", "Tianyancha", "1.0.0");
    // installed from the newest version: ConsoleDowngradeIT asks for the older one
    tianyancha(repo, publicKey, "tyc-next", "Tianyancha (newest)", "1.1.0");
    // installed by alice as the console's install form writes it: every API, no parameters
    Catalog.Entry archive = new Catalog(PublicLibrary.at(library)).show("archive-search@1.0.0");
    ObjectNode installed = Installer.connection(archive, "archive", List.of());
    installed.put("owner", "alice");
    Path archiveDir = Files.createDirectories(repo.resolve("connections/archive"));
    Files.write(archiveDir.resolve("connection.json"), ChangeBranches.text(installed));
    // Initech's own library: an entry of Acme's example under another id, so that each
    // organization's own entries can be told apart
    Path own =
        Fixtures.copy(
            example.resolve("library/tianyancha"),
            Files.createDirectories(repo.resolve("library/initech-directory")));
    for (String file : List.of("library.json", "connection.json")) {
      Path f = own.resolve(file);
      Files.writeString(
          f,
          Files.readString(f)
              .replace("\"id\": \"tianyancha\"", "\"id\": \"initech-directory\"")
              .replace("\"name\": \"Tianyancha\"", "\"name\": \"Initech Directory\""));
    }
    return repo;
  }

  /** A connection installed from tianyancha at this version, owned by bob, its token sealed. */
  private static void tianyancha(
      Path repo, String publicKey, String id, String name, String version) throws Exception {
    Path dir = Files.createDirectories(repo.resolve("connections").resolve(id));
    Files.writeString(
        dir.resolve("connection.json"),
        """
        {
          "$schema": "../../../schemas/connection.schema.json",
          "id": "%s",
          "name": "%s",
          "owner": "bob",
          "installedFrom": { "entry": "tianyancha", "version": "%s", "library": "public" },
          "parameters": [ { "name": "token", "hidden": true, "sealed": "%s" } ],
          "enabledApis": ["search-companies"]
        }
        """
            .formatted(
                id,
                name,
                version,
                new Sealer(publicKey)
                    .seal("initech-" + id + "-token", new SealContext(INITECH, id, "token"))));
  }

  /** Every branch of a remote, console branches included, by name. */
  static List<String> branches(Path remote) throws Exception {
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      return repo.getRefDatabase().getRefsByPrefix("refs/heads/").stream()
          .map(Ref::getName)
          .sorted()
          .toList();
    }
  }

  /** A file of a branch of a remote, read from the branch's commit (no checkout). */
  static String file(Path remote, String branch, String path) throws Exception {
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      var head = repo.resolve("refs/heads/" + branch);
      assertNotNull(head, "the branch is on the remote: " + branch);
      try (TreeWalk walk = TreeWalk.forPath(repo, path, repo.parseCommit(head).getTree())) {
        assertNotNull(walk, path + " on " + branch);
        return new String(repo.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  /** The real library's entries linked, and tianyancha 1.1.0 next to its 1.0.0. */
  static Path library(Path real, Path into) throws Exception {
    Path entries = Files.createDirectories(into.resolve("entries"));
    Files.createSymbolicLink(
        into.resolve("index.json"), real.resolve("index.json").toAbsolutePath());
    try (Stream<Path> all = Files.list(real.resolve("entries"))) {
      for (Path e : all.toList()) {
        if (!e.getFileName().toString().equals("tianyancha")) {
          Files.createSymbolicLink(entries.resolve(e.getFileName()), e.toAbsolutePath());
        }
      }
    }
    // copies, not links: the compiler does not follow a version folder that is a link (it reads
    // the entry as empty and the install compiles to nothing)
    Path tianyancha = Files.createDirectories(entries.resolve("tianyancha"));
    Path v1 =
        Fixtures.copy(
            real.resolve("entries/tianyancha/1.0.0"),
            Files.createDirectories(tianyancha.resolve("1.0.0")));
    Path v2 = Fixtures.copy(v1, Files.createDirectories(tianyancha.resolve("1.1.0")));
    Path manifest = v2.resolve("library.json");
    Files.writeString(manifest, Files.readString(manifest).replace("\"1.0.0\"", "\"1.1.0\""));
    Files.delete(v2.resolve("apis/company-shareholders.json"));
    return into;
  }
}
