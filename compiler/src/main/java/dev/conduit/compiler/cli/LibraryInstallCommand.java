package dev.conduit.compiler.cli;

import dev.conduit.compiler.library.Catalog;
import dev.conduit.compiler.library.Installer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conduit library install ENTRY[@VERSION] --as ID}: writes connections/ID/connection.json
 * with the installer's own part only, and prints what is left to fill.
 */
@Command(
    name = "install",
    mixinStandardHelpOptions = true,
    description = {
      "Install a public library entry as a connection of the repository.",
      "Writes only connections/ID/connection.json (installedFrom, parameters to fill, enabled APIs);",
      "the template's auth and requests stay read-only in the library."
    })
final class LibraryInstallCommand extends Conduit.Base implements Callable<Integer> {

  @Mixin LibraryOptions library;

  @Parameters(
      index = "0",
      paramLabel = "ENTRY[@VERSION]",
      description = "The entry, optionally a version (default: the newest).")
  String ref;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DIR",
      description = "The organization repository. Default: the current directory.")
  Path directory;

  @Option(
      names = "--as",
      paramLabel = "ID",
      description = "The connection id. Default: the entry id.")
  String id;

  @Option(
      names = "--apis",
      paramLabel = "a,b",
      split = ",",
      description = "The APIs to enable. Default: all of them.")
  List<String> apis = List.of();

  @Override
  public Integer call() throws Exception {
    Path repo = directory == null ? Path.of(".") : directory;
    if (!Files.isRegularFile(repo.resolve("organization.json"))) {
      throw new UsageProblem(repo + " is not an organization repository (no organization.json)");
    }
    Catalog.Entry entry;
    String as;
    var connection = (tools.jackson.databind.node.ObjectNode) null;
    try {
      entry = library.catalog().show(ref);
      as = id == null ? entry.id() : id;
      connection = Installer.connection(entry, as, apis);
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(e.getMessage());
    }
    Path folder = repo.resolve("connections").resolve(as);
    if (Files.exists(folder)) {
      throw new UsageProblem(
          "connections/"
              + as
              + " exists already: choose another id with --as, or upgrade it with conduit library upgrade "
              + as);
    }
    Files.createDirectories(folder);
    Path tmp = Files.createTempFile(folder, ".connection", ".json");
    JsonFileEdit.write(tmp, connection);
    Files.move(
        tmp, folder.resolve("connection.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    out.println(
        "installed "
            + entry.id()
            + "@"
            + entry.version()
            + " as connections/"
            + as
            + "/connection.json");
    List<String> todo = Installer.toFill(entry, as, repo.toString());
    if (!todo.isEmpty()) {
      out.println("then fill in its parameters:");
      todo.forEach(line -> out.println("  " + line));
    }
    out.println(
        "and grant applications in connections/"
            + as
            + "/grants.json; check with: conduit validate "
            + repo);
    return Conduit.OK;
  }
}
