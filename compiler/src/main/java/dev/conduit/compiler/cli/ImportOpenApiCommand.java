package dev.conduit.compiler.cli;

import dev.conduit.compiler.portable.ConnectionFolder;
import dev.conduit.compiler.portable.OpenApiImport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conduit import openapi FILE --as ID [--apis ...]}: a connection from an OpenAPI 3 file.
 */
@Command(
    name = "openapi",
    mixinStandardHelpOptions = true,
    description = {
      "Make a connection and its APIs from an OpenAPI 3 definition (a local JSON or YAML file).",
      "The security scheme becomes the auth and the parameters to fill: API key, bearer, basic,",
      "OAuth 2.0 client credentials or authorization code (client_id, client_secret to seal);",
      "each operation an API: path and query parameters and the JSON body's fields as inputs, the",
      "success response's fields as outputs (the library generator's rules)."
    })
final class ImportOpenApiCommand extends Conduit.Base implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The OpenAPI 3 definition.")
  Path file;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DIR",
      description = "The organization repository. Default: the current directory.")
  Path directory;

  @Option(names = "--as", paramLabel = "ID", required = true, description = "The connection id.")
  String as;

  @Option(
      names = "--apis",
      paramLabel = "'METHOD /path,...'",
      description =
          "Only these operations, e.g. 'GET /items,POST /items'. Default: every operation.")
  String apis;

  @Option(
      names = "--flow",
      paramLabel = "FLOW",
      description =
          "The OAuth 2.0 flow when the scheme offers several: clientCredentials (the connection's"
              + " own token) or authorizationCode (each member's account). Default: the first of"
              + " these the definition has.")
  String flow;

  @Override
  public Integer call() throws Exception {
    Path repo = ImportedConnection.repository(directory);
    List<String> picks =
        apis == null
            ? List.of()
            : Arrays.stream(apis.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    ConnectionFolder.Draft d;
    try {
      ConnectionFolder.target(repo, as);
      d = OpenApiImport.parse(ImportedConnection.read(file), as, picks, flow);
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(file + ": " + e.getMessage());
    }
    return ImportedConnection.write(out, repo, as, d);
  }
}
