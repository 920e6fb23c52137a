package dev.conduit.compiler.cli;

import dev.conduit.compiler.portable.ConnectionFolder;
import dev.conduit.compiler.portable.PostmanImport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conduit import postman FILE --as ID}: a connection from a Postman collection. */
@Command(
    name = "postman",
    mixinStandardHelpOptions = true,
    description = {
      "Make a connection and its APIs from a Postman collection (v2.0 or v2.1, exported as JSON).",
      "Each request becomes an API as import curl makes one (query and JSON body values as inputs).",
      "Collection variables are filled in; those named like a key, token, secret or password, and the",
      "collection's auth, become hidden parameters, not written: the conduit seal line for each is printed."
    })
final class ImportPostmanCommand extends Conduit.Base implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The collection file.")
  Path file;

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
    Path repo = ImportedConnection.repository(directory);
    ConnectionFolder.Draft d;
    try {
      ConnectionFolder.target(repo, as);
      d = PostmanImport.parse(ImportedConnection.read(file), as);
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(file + ": " + e.getMessage());
    }
    return ImportedConnection.write(out, repo, as, d);
  }
}
