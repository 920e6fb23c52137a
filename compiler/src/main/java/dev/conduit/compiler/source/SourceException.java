package dev.conduit.compiler.source;

/** The repository itself cannot be opened (not a directory, not a Git repository, no such ref). */
public final class SourceException extends Exception {
  public SourceException(String message) {
    super(message);
  }
}
