package it.dev.conduit.runtime;

import dev.conduit.runtime.Fixtures;
import dev.conduit.seal.SealContext;
import dev.conduit.seal.Sealer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What ConsoleLibraryIT needs on the test server (written by ItFixtures): Initech, a small
 * organization served from Git with a connection installed from tianyancha@1.0.0 of the public
 * library, and a public library folder where tianyancha also has a 1.1.0 without the shareholders
 * API (every other entry is the real one, linked).
 */
final class ConsoleRepos {
  private ConsoleRepos() {}

  static final String INITECH = "7a1e5c0d-3b2f-4c8e-9d6a-5e4f3a2b1c0d";

  static Path initech(Path repo, String publicKey) throws Exception {
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
