package dev.conduit.compiler.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The public API library shipped with Conduit: {@code library/entries/<entry>/<version>/}, each
 * version a complete entry (library.json, connection.json, apis/, logo). Versions coexist: an
 * install pins one, and publishing a new version leaves the old folder (and its installs) alone.
 */
public final class PublicLibrary {

  /** The system property naming the library folder; {@code bin/conduit} sets it. */
  public static final String PROPERTY = "conduit.library";

  private final Path root;

  private PublicLibrary(Path root) {
    this.root = root;
  }

  /** The library at {@code root} (the folder holding {@code entries/}). */
  public static PublicLibrary at(Path root) {
    return new PublicLibrary(root);
  }

  /** The library named by {@link #PROPERTY}, when set. */
  public static Optional<PublicLibrary> configured() {
    String dir = System.getProperty(PROPERTY);
    return dir == null || dir.isBlank() ? Optional.empty() : Optional.of(at(Path.of(dir)));
  }

  public Path root() {
    return root;
  }

  /** Every entry id, sorted. */
  public List<String> entries() {
    return list(root.resolve("entries"));
  }

  /** An entry's versions, oldest first (empty for an unknown entry). */
  public List<String> versions(String entry) {
    if (!Names.isId(entry)) {
      return List.of();
    }
    return list(root.resolve("entries").resolve(entry)).stream()
        .filter(Names::isVersion)
        .sorted(Versions.ORDER)
        .toList();
  }

  /** The newest version of an entry. */
  public Optional<String> latest(String entry) {
    List<String> v = versions(entry);
    return v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
  }

  /** The folder of one version of an entry, when it exists. */
  public Optional<Path> folder(String entry, String version) {
    if (!Names.isId(entry) || !Names.isVersion(version)) {
      return Optional.empty();
    }
    Path dir = root.resolve("entries").resolve(entry).resolve(version);
    return Files.isRegularFile(dir.resolve("library.json")) ? Optional.of(dir) : Optional.empty();
  }

  private static List<String> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted(Comparator.naturalOrder())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
