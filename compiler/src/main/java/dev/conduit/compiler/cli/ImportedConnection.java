package dev.conduit.compiler.cli;

import dev.conduit.compiler.portable.ConnectionFolder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** What the definition importers (openapi, postman) share: reading, writing, what to do next. */
final class ImportedConnection {
  private ImportedConnection() {}

  static Path repository(Path directory) throws UsageProblem {
    Path repo = directory == null ? Path.of(".") : directory;
    if (!Files.isRegularFile(repo.resolve("organization.json"))) {
      throw new UsageProblem(repo + " is not an organization repository (no organization.json)");
    }
    return repo;
  }

  static String read(Path file) throws IOException, UsageProblem {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new UsageProblem(file + " does not exist");
    }
  }

  /** Writes the connection folder in one move and prints the seal lines. */
  static int write(PrintStream out, Path repo, String id, ConnectionFolder.Draft d)
      throws IOException {
    Path folder = ConnectionFolder.write(repo, id, d);
    out.println(
        "imported connections/"
            + id
            + " with "
            + d.apis().size()
            + " API"
            + (d.apis().size() == 1 ? "" : "s")
            + ": "
            + String.join(", ", d.apis().keySet()));
    for (String p : d.toSeal()) {
      out.println(
          "  printf '%s' 'VALUE' | conduit seal --connection "
              + id
              + " --parameter "
              + p
              + " "
              + repo);
    }
    for (var p : d.connection().path("parameters")) {
      if (!p.path("hidden").asBoolean(false) && p.path("value").asString("x").isEmpty()) {
        out.println(
            "  fill \"value\" of parameter "
                + p.path("name").asString()
                + " in "
                + repo.relativize(folder.resolve("connection.json")));
      }
    }
    out.println(
        "then grant applications ("
            + repo.relativize(folder.resolve("grants.json"))
            + ") and check it: conduit validate "
            + repo);
    return Conduit.OK;
  }
}
