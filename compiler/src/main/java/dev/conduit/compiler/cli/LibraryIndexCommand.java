package dev.conduit.compiler.cli;

import dev.conduit.compiler.library.IndexBuilder;
import dev.conduit.compiler.library.PublicLibrary;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code conduit library index}: writes library/index.json from the entries. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Write the public library's index (library/index.json: each entry's newest version, its",
      "categories, APIs and logo) from its entries. Run it after adding or changing an entry:",
      "search and the runtime's library endpoints read the index."
    })
final class LibraryIndexCommand extends Conduit.Base implements Callable<Integer> {

  @Mixin LibraryOptions options;

  @Override
  public Integer call() throws Exception {
    PublicLibrary library = options.catalog().library();
    Path file = IndexBuilder.write(library);
    out.println("wrote " + file + " (" + library.entries().size() + " entries)");
    return Conduit.OK;
  }
}
