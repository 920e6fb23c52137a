package dev.conduit.compiler.cli;

import dev.conduit.compiler.library.Catalog;
import dev.conduit.compiler.library.PublicLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the public library is: --library, else the one shipped next to bin/conduit. */
final class LibraryOptions {

  @Option(
      names = "--library",
      paramLabel = "DIR",
      description =
          "The public library folder (holding entries/). Default: the one shipped with Conduit.")
  Path library;

  Catalog catalog() throws UsageProblem {
    PublicLibrary lib =
        library != null
            ? PublicLibrary.at(library)
            : PublicLibrary.configured()
                .orElseThrow(
                    () ->
                        new UsageProblem(
                            "no public library: run conduit as bin/conduit, or pass --library DIR"));
    if (!Files.isDirectory(lib.root().resolve("entries"))) {
      throw new UsageProblem(lib.root() + " is not a public library (it has no entries/ folder)");
    }
    return new Catalog(lib);
  }
}
