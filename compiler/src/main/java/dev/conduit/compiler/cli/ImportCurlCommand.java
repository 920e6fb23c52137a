package dev.conduit.compiler.cli;

import dev.conduit.compiler.portable.CurlImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conduit import curl 'CURL COMMAND' --as ID}: a connection and one API from a curl line.
 */
@Command(
    name = "curl",
    mixinStandardHelpOptions = true,
    description = {
      "Make a connection and one API from a curl command (read as text, never run).",
      "Query and JSON body values become inputs; Authorization, key, token and secret values and -u passwords",
      "become hidden parameters, not written: the conduit seal line for each is printed."
    })
final class ImportCurlCommand extends Conduit.Base implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "'CURL COMMAND'",
      description = "The whole curl command, quoted as one argument.")
  String line;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DIR",
      description = "The organization repository. Default: the current directory.")
  Path directory;

  @Option(names = "--as", paramLabel = "ID", required = true, description = "The connection id.")
  String as;

  @Override
  public Integer call() throws Exception {
    Path repo = directory == null ? Path.of(".") : directory;
    if (!Files.isRegularFile(repo.resolve("organization.json"))) {
      throw new UsageProblem(repo + " is not an organization repository (no organization.json)");
    }
    if (!as.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new UsageProblem(
          "\"" + as + "\" cannot be a connection id: lower-case letters, digits and hyphens");
    }
    Path folder = repo.resolve("connections").resolve(as);
    if (Files.exists(folder)) {
      throw new UsageProblem("connections/" + as + " exists already: choose another id with --as");
    }
    CurlImport.Result r;
    try {
      r = CurlImport.parse(line, as);
    } catch (IllegalArgumentException e) {
      throw new UsageProblem("the curl command: " + e.getMessage());
    }
    Files.createDirectories(folder.resolve("apis"));
    JsonFileEdit.write(
        folder.resolve("apis").resolve(r.api().path("id").asString() + ".json"), r.api());
    JsonFileEdit.write(folder.resolve("connection.json"), r.connection());
    out.println("imported connections/" + as + " with the API " + r.api().path("id").asString());
    for (String p : r.toSeal()) {
      out.println(
          "  printf '%s' 'VALUE' | conduit seal --connection "
              + as
              + " --parameter "
              + p
              + " "
              + repo);
    }
    out.println("then check it: conduit validate " + repo);
    return Conduit.OK;
  }
}
