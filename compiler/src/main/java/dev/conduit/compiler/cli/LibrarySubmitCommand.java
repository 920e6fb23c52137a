package dev.conduit.compiler.cli;

import dev.conduit.compiler.library.Submission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code conduit library submit CONNECTION}: prepares library/CONNECTION/ (an organization library
 * entry) from a connection, values stripped, and holds it to the submission guidelines.
 */
@Command(
    name = "submit",
    // not mixinStandardHelpOptions: its -V/--version would clash with the entry's --version, and
    // picocli then drops the whole mixin, --help with it
    description = {
      "Prepare an organization library entry (library/ID/) from a connection: values stripped, the"
          + " guide filled in.",
      "The submission guidelines are errors here (logo, basic information, descriptions, API names"
          + " and descriptions, no placeholder names, the guide's three sections); a contact is"
          + " recommended. Nothing is written while an error remains. Review is the pull request"
          + " that adds the folder."
    })
final class LibrarySubmitCommand extends Conduit.Base implements Callable<Integer> {

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Parameters(index = "0", paramLabel = "CONNECTION", description = "The connection to publish.")
  String connection;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DIR",
      description = "The organization repository. Default: the current directory.")
  Path directory;

  @Option(
      names = "--version",
      paramLabel = "VERSION",
      defaultValue = "1.0.0",
      description = "The entry version. Default: ${DEFAULT-VALUE}.")
  String version;

  @Option(
      names = "--summary",
      paramLabel = "TEXT",
      description = "One line for the library list. Default: the connection description.")
  String summary;

  @Option(
      names = "--intro",
      paramLabel = "TEXT",
      description = "Product introduction. Default: the connection description.")
  String intro;

  @Option(names = "--website", paramLabel = "URL", description = "The product's official website.")
  String website;

  @Option(
      names = "--overview",
      paramLabel = "TEXT",
      description = "Integration overview: how to get credentials and use the APIs.")
  String overview;

  @Option(
      names = "--docs",
      paramLabel = "URL",
      description = "The API documentation link (optional).")
  String docs;

  @Option(
      names = "--contact",
      paramLabel = "TEXT",
      description = "How users reach you about errors (recommended).")
  String contact;

  @Option(names = "--category", paramLabel = "NAME", description = "A category (repeatable).")
  List<String> categories = List.of();

  @Option(names = "--publisher", paramLabel = "LOGIN", description = "Your login (members.json).")
  String login;

  @Override
  public Integer call() throws Exception {
    Path repo = directory == null ? Path.of(".") : directory;
    Submission.Result r;
    try {
      r =
          Submission.prepare(
              repo,
              connection,
              version,
              new Submission.Guide(summary, intro, website, overview, docs, contact, categories),
              login);
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(e.getMessage());
    }
    Path folder = repo.resolve("library").resolve(connection);
    r.errors().forEach(e -> err.println("connections/" + connection + ": error: " + e));
    r.warnings().forEach(w -> err.println("connections/" + connection + ": warning: " + w));
    if (!r.errors().isEmpty()) {
      err.println(
          "not submitted: "
              + r.errors().size()
              + " of the submission guidelines are not met; nothing written");
      return Conduit.ERRORS;
    }
    if (Files.isDirectory(folder)) {
      // a new version replaces the entry: files the connection no longer has must not linger
      try (var old = Files.walk(folder)) {
        for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    for (Map.Entry<String, JsonNode> f : r.files().entrySet()) {
      Path target = folder.resolve(f.getKey());
      Files.createDirectories(target.getParent());
      JsonFileEdit.write(target, (ObjectNode) f.getValue());
    }
    for (Map.Entry<String, String> f : r.code().entrySet()) {
      Path target = folder.resolve(f.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, f.getValue());
    }
    String logo = r.files().get("connection.json").path("logo").asString("");
    if (!logo.startsWith("https://")) {
      Files.copy(
          repo.resolve("connections").resolve(connection).resolve(logo), folder.resolve(logo));
    }
    out.println("prepared library/" + connection + "/ (" + connection + "@" + version + ")");
    out.println(
        "check it: conduit validate "
            + repo
            + "; then open a pull request adding library/"
            + connection
            + "/ (its diff names the entry and version)");
    return Conduit.OK;
  }
}
