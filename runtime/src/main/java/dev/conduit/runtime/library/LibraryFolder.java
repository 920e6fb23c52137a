package dev.conduit.runtime.library;

import dev.conduit.compiler.library.Catalog;
import dev.conduit.compiler.library.PublicLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The public library's entries in full (library.json, connection.json, apis/ of every version),
 * from the folder {@code conduit.library} names: what installs compile against (GitOps) and what
 * the console installs and upgrades from. The packaged index ({@link PublicLibraryCatalog}) lists
 * and searches; only this folder has the guides, the APIs' inputs and outputs and every version.
 */
public final class LibraryFolder {
  private LibraryFolder() {}

  /** The configured folder, when it is set and holds entries (read on each use: no restart). */
  public static Optional<PublicLibrary> configured() {
    return ConfigProvider.getConfig()
        .getOptionalValue(PublicLibrary.PROPERTY, String.class)
        .filter(d -> !d.isBlank())
        .map(Path::of)
        .filter(d -> Files.isDirectory(d.resolve("entries")))
        .map(PublicLibrary::at);
  }

  /** The compiler's catalog over the configured folder (the CLI's conduit library show). */
  public static Optional<Catalog> catalog() {
    return configured().map(Catalog::new);
  }
}
