package it.dev.conduit.runtime;

import dev.conduit.compiler.library.Catalog;
import dev.conduit.compiler.library.Installer;
import dev.conduit.compiler.library.PublicLibrary;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.console.changes.ChangeBranches;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.Sealer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.node.ObjectNode;

/**
 * What ConsoleLibraryIT needs on the test server (written by ItFixtures): Initech, a small
 * organization served from Git with a connection installed from tianyancha@1.0.0 of the public
 * library, another installed from archive-search@1.0.0 exactly as the console installs it (so the
 * same install again changes nothing), and an entry of its own library (initech-directory); and a
 * public library folder where tianyancha also has a 1.1.0 without the shareholders API (every other
 * entry is the real one, linked).
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
    Path tyc = Files.createDirectories(repo.resolve("connections/tyc"));
    Files.writeString(
        tyc.resolve("connection.json"),
        """
        {
          "$schema": "../../../schemas/connection.schema.json",
          "id": "tyc",
          "name": "Tianyancha",
          "owner": "bob",
          "installedFrom": { "entry": "tianyancha", "version": "1.0.0", "library": "public" },
          "parameters": [ { "name": "token", "hidden": true, "sealed": "%s" } ],
          "enabledApis": ["search-companies"]
        }
        """
            .formatted(
                new Sealer(publicKey)
                    .seal("initech-tyc-token", new SealContext(INITECH, "tyc", "token"))));
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
