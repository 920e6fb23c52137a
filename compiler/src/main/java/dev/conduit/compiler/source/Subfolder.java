package dev.conduit.compiler.source;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A folder of a repository seen as the whole repository ({@code conduit.git.NAME.path}): one team's
 * organization kept beside other things in a larger repository. Closing it closes nothing: the tree
 * it views belongs to the caller.
 */
public final class Subfolder implements SourceTree {

  private final SourceTree whole;
  private final String prefix;

  public Subfolder(SourceTree whole, String folder) {
    this.whole = whole;
    this.prefix = folder + "/";
  }

  @Override
  public String origin() {
    return whole.origin() + ":" + prefix.substring(0, prefix.length() - 1);
  }

  @Override
  public Optional<String> commit() {
    return whole.commit();
  }

  @Override
  public List<String> paths() {
    return whole.paths().stream()
        .filter(p -> p.startsWith(prefix))
        .map(p -> p.substring(prefix.length()))
        .toList();
  }

  @Override
  public long size(String path) throws IOException {
    return whole.size(prefix + path);
  }

  @Override
  public byte[] read(String path) throws IOException {
    return whole.read(prefix + path);
  }
}
