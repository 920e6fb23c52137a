package dev.conduit.compiler.cli;

import dev.conduit.compiler.portable.PortableConnection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conduit import FILE [--as ID]}: a connection from an export file, with the seal commands
 * to run.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import a connection exported with conduit export into this repository.",
      "Visibility is kept; every hidden value must be sealed again here (a sealed value copied from",
      "another organization or connection would not open): the conduit seal line for each is printed."
    })
final class ImportCommand extends Conduit.Base implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The export file.")
  Path file;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DIR",
      description = "The organization repository. Default: the current directory.")
  Path directory;

  @Option(
      names = "--as",
      paramLabel = "ID",
      description = "The connection id here. Default: the exported one.")
  String as;

  @Option(
      names = "--upgrade",
      paramLabel = "CONNECTION",
      description = {
        "Bring this existing connection to the file's settings, APIs and code instead, keeping its own",
        "parameter values, sealed values, name, owner, notifications and grants; the changes are printed,",
        "and a conflict (a value or an API that would be lost) is reported and nothing is written."
      })
  String upgrade;

  @Override
  public Integer call() throws Exception {
    if (file == null) {
      throw new UsageProblem(
          "give the export FILE (conduit export), or import from a curl command: conduit import curl 'CURL COMMAND' --as ID");
    }
    Path repo = directory == null ? Path.of(".") : directory;
    if (!Files.isRegularFile(repo.resolve("organization.json"))) {
      throw new UsageProblem(repo + " is not an organization repository (no organization.json)");
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new UsageProblem(file + " does not exist");
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new UsageProblem(file + ": not a JSON file (not UTF-8 text)");
    } catch (java.io.IOException e) {
      throw new UsageProblem("cannot read " + file + ": " + e.getMessage());
    }
    if (upgrade != null) {
      return upgrade(repo, text);
    }
    PortableConnection.Imported r;
    try {
      r = PortableConnection.importInto(repo, text, as);
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(file + ": " + e.getMessage());
    }
    String id = r.folder().getFileName().toString();
    out.println("imported " + id + " into " + r.folder());
    for (String p : r.toSeal()) {
      out.println(
          "  printf '%s' 'VALUE' | conduit seal --connection "
              + id
              + " --parameter "
              + p
              + " "
              + repo);
    }
    out.println(
        "then grant applications (connections/"
            + id
            + "/grants.json) and run: conduit validate "
            + repo);
    return Conduit.OK;
  }

  private int upgrade(Path repo, String text) throws Exception {
    if (as != null) {
      throw new UsageProblem(
          "--as and --upgrade do not go together: --upgrade names the connection");
    }
    PortableConnection.Upgraded u;
    try {
      u = PortableConnection.upgrade(repo, text, upgrade);
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(file + ": " + e.getMessage());
    }
    u.diff().forEach(d -> out.println("  " + d));
    if (!u.conflicts().isEmpty()) {
      for (String c : u.conflicts()) {
        err.println("connections/" + upgrade + ": conflict: " + c);
      }
      err.println(
          u.conflicts().size()
              + " conflict"
              + (u.conflicts().size() == 1 ? "" : "s")
              + ": nothing written");
      return Conduit.ERRORS;
    }
    out.println(
        "upgraded connections/"
            + upgrade
            + " from "
            + file
            + (u.diff().isEmpty() ? " (no change)" : ""));
    for (String p : u.toSeal()) {
      out.println(
          "  printf '%s' 'VALUE' | conduit seal --connection "
              + upgrade
              + " --parameter "
              + p
              + " "
              + repo);
    }
    return Conduit.OK;
  }
}
