package dev.conduit.compiler.library;

import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostics;
import dev.conduit.compiler.model.ConnectionFile;
import dev.conduit.compiler.model.Located;
import dev.conduit.compiler.model.ModelBinder;
import dev.conduit.compiler.model.RepositoryModel;
import dev.conduit.compiler.model.RepositoryModel.Folder;
import dev.conduit.compiler.parse.JsonFiles;
import dev.conduit.compiler.parse.ParsedFile;
import dev.conduit.compiler.schema.SchemaCheck;
import dev.conduit.compiler.source.FileKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Brings the public library entries a repository installs into its model, parsed, validated and
 * bound by the same phases as the repository's own files. Only installed versions are read, so a
 * repository that installs a few entries does not pay for the whole library.
 */
public final class PublicEntries {

  private PublicEntries() {}

  /** Adds {@code entry@version} folders to {@link RepositoryModel#publicLibrary}. */
  public static void attach(
      RepositoryModel model,
      Optional<PublicLibrary> library,
      SchemaCheck schemas,
      Diagnostics out) {
    for (Folder folder : model.connections.values()) {
      if (folder.connection == null || folder.connection.value().installedFrom() == null) {
        continue;
      }
      ConnectionFile.InstalledFrom from = folder.connection.value().installedFrom();
      if (!"public".equals(from.libraryOrDefault())) {
        continue;
      }
      String key = RepositoryModel.publicKey(from.entry(), from.version());
      if (model.publicLibrary.containsKey(key)) {
        continue;
      }
      ParsedFile file = folder.connection.file();
      if (library.isEmpty()) {
        out.at(
            file,
            "/installedFrom/library",
            Code.C223,
            "this compiler has no public library (run it as bin/conduit, or set -D"
                + PublicLibrary.PROPERTY
                + "=DIR)",
            null);
        continue;
      }
      PublicLibrary lib = library.get();
      Optional<Path> dir = lib.folder(from.entry(), from.version());
      if (dir.isEmpty()) {
        List<String> versions = lib.versions(from.entry());
        if (versions.isEmpty()) {
          out.at(
              file,
              "/installedFrom/entry",
              Code.C223,
              "the public library has no entry \"" + from.entry() + "\"",
              "list them: conduit library search TEXT");
        } else {
          out.at(
              file,
              "/installedFrom/version",
              Code.C223,
              "the public library entry \"" + from.entry() + "\" has no version " + from.version(),
              "its versions: " + String.join(", ", versions));
        }
        continue;
      }
      load(model, key, from.entry(), dir.get(), schemas, out)
          .ifPresent(f -> model.publicLibrary.put(key, f));
    }
  }

  /** One entry version's folder, or empty when one of its files does not parse or validate. */
  private static Optional<Folder> load(
      RepositoryModel model,
      String key,
      String entry,
      Path dir,
      SchemaCheck schemas,
      Diagnostics out) {
    Folder folder = new Folder(entry, "public:" + key);
    boolean ok = true;
    // FOLLOW_LINKS: a version folder that is a link (a shared checkout) must not read as empty,
    // which
    // would drop its installs from the bundle without a word
    try (Stream<Path> files = Files.walk(dir, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        FileKind kind = FileKind.of("library/" + entry + "/" + rel);
        if (kind == null) {
          continue; // a logo or another asset
        }
        String text = Files.readString(p);
        if (kind == FileKind.CODE) {
          model.code.put(folder.path + "/" + rel, text);
          continue;
        }
        String shown = "public library " + entry + "/" + dir.getFileName() + "/" + rel;
        Optional<ParsedFile> parsed = JsonFiles.parse(shown, kind, text, out::add);
        if (parsed.isEmpty() || !schemas.check(parsed.get(), out)) {
          ok = false;
          continue;
        }
        Located<?> bound = ModelBinder.record(parsed.get());
        switch (kind) {
          case CONNECTION -> folder.connection = cast(bound);
          case LIBRARY -> folder.manifest = cast(bound);
          case API -> folder.apis.put(kind.idFromPath("library/" + entry + "/" + rel), cast(bound));
          default -> {}
        }
      }
    } catch (IOException e) {
      out.atLine(
          "public library " + key,
          0,
          0,
          Code.C223,
          "cannot read the public library entry: " + e.getMessage(),
          null);
      return Optional.empty();
    }
    return ok && folder.manifest != null && folder.connection != null
        ? Optional.of(folder)
        : Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private static <T> Located<T> cast(Located<?> bound) {
    return (Located<T>) bound;
  }
}
