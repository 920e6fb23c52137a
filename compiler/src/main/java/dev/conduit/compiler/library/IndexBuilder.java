package dev.conduit.compiler.library;

import dev.conduit.catalog.LibraryIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Writes the public library's index (library/index.json) from its entries: the newest version of
 * each. The entries stay the one source of truth; the index is derived, and a test keeps the
 * committed one current.
 */
public final class IndexBuilder {
  /** The index file's name in the library folder. */
  public static final String FILE = "index.json";

  private IndexBuilder() {}

  public static LibraryIndex build(PublicLibrary library) {
    Catalog catalog = new Catalog(library);
    List<LibraryIndex.Entry> entries = new ArrayList<>();
    for (String id : library.entries()) {
      if (library.latest(id).isEmpty()) {
        continue;
      }
      Catalog.Entry e = catalog.show(id);
      JsonNode manifest = Catalog.read(e.folder().resolve("library.json"));
      String logo = Catalog.read(e.folder().resolve("connection.json")).path("logo").asString("");
      entries.add(line(e, logo, manifest.path("publisher").path("name").asString(null)));
    }
    return new LibraryIndex(LibraryIndex.FORMAT, entries);
  }

  /**
   * An entry's line in an index: the one mapping of a catalog entry to the index, for the public
   * library and an organization's own.
   *
   * @param logo its connection's logo: a file in the entry, an https URL, or "" for none
   */
  public static LibraryIndex.Entry line(Catalog.Entry e, String logo, String publisher) {
    return new LibraryIndex.Entry(
        e.id(),
        e.version(),
        e.versions(),
        e.name(),
        e.summary(),
        e.categories(),
        e.authKind(),
        logo.isEmpty() || logo.startsWith("https://") ? null : logo,
        logo.startsWith("https://") ? logo : null,
        publisher,
        e.apis().stream()
            .map(a -> new LibraryIndex.Api(a.id(), a.name(), cut(a.description())))
            .toList());
  }

  /** An index line, not the documentation: the API file has the whole description. */
  private static String cut(String s) {
    return s.length() <= 200 ? s : s.substring(0, 199).replaceAll("\\s+\\S*$", "") + "…";
  }

  /** Writes library/index.json in one move; returns the file. */
  public static Path write(PublicLibrary library) throws IOException {
    Path file = library.root().resolve(FILE);
    Path tmp = Files.createTempFile(library.root(), ".index", ".json");
    try {
      Files.writeString(tmp, build(library).toJson());
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return file;
  }
}
