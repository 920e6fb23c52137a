package dev.conduit.compiler.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A repository as a plain directory. Hidden folders (.git, .github, ...) are not read. */
public final class DirectorySource implements SourceTree {

  private final Path root;
  private final List<String> paths;

  private DirectorySource(Path root, List<String> paths) {
    this.root = root;
    this.paths = paths;
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
    // inside the repository stay unfollowed, so no file outside it is read.
    try (Stream<Path> walk = Files.walk(root.toRealPath())) {
      Path real = root.toRealPath();
      List<String> paths =
          walk.filter(Files::isRegularFile)
              .map(p -> real.relativize(p).toString().replace('\\', '/'))
              .filter(p -> !isHidden(p))
              .sorted()
              .toList();
      return new DirectorySource(root, paths);
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
    return Files.size(root.resolve(path));
  }

  @Override
  public byte[] read(String path) throws IOException {
    return Files.readAllBytes(root.resolve(path));
  }
}
