package dev.conduit.compiler.cli;

import dev.conduit.compiler.portable.PortableConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conduit export CONNECTION -o FILE}: a connection as one portable file, secrets left
 * behind.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a connection (its settings, APIs and code) as one portable file.",
      "Sealed values never leave: they are dropped and listed, to be sealed again where the file is imported.",
      "Grants and the owner stay behind (they belong to this organization)."
    })
final class ExportCommand extends Conduit.Base implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CONNECTION", description = "The connection id.")
  String connection;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DIR",
      description = "The organization repository. Default: the current directory.")
  Path directory;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      required = true,
      description = "The file to write.")
  Path output;

  @Override
  public Integer call() throws Exception {
    PortableConnection.Exported e;
    try {
      e = PortableConnection.export(directory == null ? Path.of(".") : directory, connection);
    } catch (IllegalArgumentException ex) {
      throw new UsageProblem(ex.getMessage());
    }
    Path tmp = Files.createTempFile(output.toAbsolutePath().getParent(), ".export", ".json");
    JsonFileEdit.write(tmp, e.file());
    Files.move(
        tmp,
        output,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    out.println("exported " + connection + " to " + output);
    for (String p : e.dropped()) {
      out.println("  the sealed value of " + p + " stayed behind: seal it again after import");
    }
    return Conduit.OK;
  }
}
