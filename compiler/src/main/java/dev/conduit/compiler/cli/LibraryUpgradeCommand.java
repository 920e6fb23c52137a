package dev.conduit.compiler.cli;

import dev.conduit.compiler.library.Catalog;
import dev.conduit.compiler.library.Upgrade;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code conduit library upgrade CONNECTION [--to VERSION] [--allow-downgrade]}: a three-way merge
 * of the installed version, the new one and the connection's own settings; conflicts write nothing,
 * and an older {@code --to} is refused unless {@code --allow-downgrade} says it is meant.
 */
@Command(
    name = "upgrade",
    mixinStandardHelpOptions = true,
    description = {
      "Upgrade an installed connection to another version of its public library entry.",
      "Parameter values, visibility and enabled APIs are kept; the changes are shown;",
      "a conflict (a removed API still enabled, a value that would be lost) is reported and nothing is written.",
      "A --to older than the installed version is refused unless --allow-downgrade is given."
    })
final class LibraryUpgradeCommand extends Conduit.Base implements Callable<Integer> {

  @Mixin LibraryOptions library;

  @Parameters(
      index = "0",
      paramLabel = "CONNECTION",
      description = "The installed connection's id.")
  String connection;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DIR",
      description = "The organization repository. Default: the current directory.")
  Path directory;

  @Option(
      names = "--to",
      paramLabel = "VERSION",
      description = "The version to upgrade to. Default: the newest.")
  String to;

  @Option(
      names = "--allow-downgrade",
      description = "Go to a --to older than the installed version (refused without it).")
  boolean allowDowngrade;

  @Override
  public Integer call() throws Exception {
    Path repo = directory == null ? Path.of(".") : directory;
    Path file = repo.resolve("connections").resolve(connection).resolve("connection.json");
    ObjectNode ours = JsonFileEdit.read(file);
    var from = ours.path("installedFrom");
    if (!"public".equals(from.path("library").asString(""))) {
      throw new UsageProblem(
          "connections/"
              + connection
              + " is not installed from the public library (no installedFrom.library \"public\")");
    }
    String entry = from.path("entry").asString();
    Catalog catalog = library.catalog();
    Catalog.Entry base;
    Catalog.Entry theirs;
    try {
      base = catalog.show(entry + "@" + from.path("version").asString());
      theirs = catalog.show(to == null ? entry : entry + "@" + to);
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(e.getMessage());
    }
    if (base.version().equals(theirs.version())) {
      out.println(connection + " is at " + entry + "@" + base.version() + " already");
      return Conduit.OK;
    }
    Upgrade.Result r;
    try {
      r = Upgrade.merge(ours, base, theirs, allowDowngrade);
    } catch (Upgrade.DowngradeRefused e) {
      throw new UsageProblem(
          "connections/"
              + connection
              + ": "
              + e.getMessage()
              + "; nothing written (--allow-downgrade to go back to it)");
    }
    out.println(entry + " " + base.version() + " -> " + theirs.version() + ":");
    r.diff().forEach(d -> out.println("  " + d));
    if (r.diff().isEmpty()) {
      out.println("  no change to parameters or APIs");
    }
    if (!r.conflicts().isEmpty()) {
      r.conflicts().forEach(c -> err.println(file + ": conflict: " + c));
      err.println("nothing written: resolve the conflicts and run the upgrade again");
      return Conduit.ERRORS;
    }
    JsonFileEdit.write(file, r.merged());
    out.println(
        (Upgrade.downgrade(base, theirs).isPresent() ? "downgraded" : "upgraded")
            + " connections/"
            + connection
            + " to "
            + entry
            + "@"
            + theirs.version());
    for (String p : r.toFill()) {
      out.println("  fill in the new parameter " + p);
    }
    return Conduit.OK;
  }
}
