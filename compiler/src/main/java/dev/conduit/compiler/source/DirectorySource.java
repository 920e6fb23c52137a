package dev.conduit.compiler.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A repository as a plain directory. Hidden folders (.git, .github, ...) are not read. */
public final class DirectorySource implements SourceTree {

  private final Path root;

  /** The root with its links resolved: every file read must be inside it. */
  private final Path real;

  private final List<String> paths;

  /** Each listed file's size, as the walk saw it: reading a file then needs no second stat. */
  private final Map<String, Long> sizes;

  private DirectorySource(Path root, Path real, List<String> paths, Map<String, Long> sizes) {
    this.root = root;
    this.real = real;
    this.paths = paths;
    this.sizes = sizes;
  }

  /**
   * Lists a directory.
   *
   * @throws SourceException when it does not exist or is not a directory
   */
  public static DirectorySource open(Path root) throws SourceException {
    if (!Files.isDirectory(root)) {
      throw new SourceException(root + " is not a directory");
    }
    // The root itself may be a link (a checkout linked into place): walk what it names. Links
    // to folders inside the repository stay unfollowed, so no folder outside it is read. One walk
    // with each entry's attributes read once (the walk's own): hidden folders (.git) are not
    // entered at all, and the sizes are kept for read (12,700 files: two stats per file saved).
    try {
      Path real = root.toRealPath();
      Map<String, Long> sizes = new HashMap<>();
      Files.walkFileTree(
          real,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return dir.equals(real) || !isHidden(dir.getFileName().toString())
                  ? FileVisitResult.CONTINUE
                  : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              String relative = real.relativize(file).toString().replace('\\', '/');
              if (isHidden(file.getFileName().toString())) {
                return FileVisitResult.CONTINUE;
              }
              if (attrs.isRegularFile()) {
                sizes.put(relative, attrs.size());
              } else if (attrs.isSymbolicLink() && Files.isRegularFile(file)) {
                // a link to a file is listed as the file it names, its size read then; one that
                // leads outside the repository is refused when read (inside)
                sizes.put(relative, -1L);
              }
              return FileVisitResult.CONTINUE;
            }
          });
      List<String> paths = sizes.keySet().stream().sorted().toList();
      return new DirectorySource(root, real, paths, sizes);
    } catch (IOException | UncheckedIOException e) {
      throw new SourceException("cannot list " + root + ": " + e.getMessage());
    }
  }

  static boolean isHidden(String relative) {
    for (String part : relative.split("/")) {
      if (part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String origin() {
    return root.toString();
  }

  @Override
  public Optional<String> commit() {
    return Optional.empty();
  }

  @Override
  public List<String> paths() {
    return paths;
  }

  @Override
  public long size(String path) throws IOException {
    Long listed = sizes.get(path);
    return listed != null && listed >= 0 ? listed : Files.size(inside(path));
  }

  @Override
  public byte[] read(String path) throws IOException {
    // a file the walk saw as a file is inside (the walk enters no linked folder); a link is checked
    Long listed = sizes.get(path);
    return Files.readAllBytes(listed != null && listed >= 0 ? real.resolve(path) : inside(path));
  }

  /**
   * The file {@code path} names, refused when a link takes it outside the repository: a checkout of
   * someone's pull request could otherwise put a file of the machine that builds it (a CI token, a
   * key) into the bundle and the report.
   */
  private Path inside(String path) throws IOException {
    Path file = real.resolve(path).toRealPath();
    if (!file.startsWith(real)) {
      throw new IOException("it is a link to a file outside the repository");
    }
    return file;
  }
}
