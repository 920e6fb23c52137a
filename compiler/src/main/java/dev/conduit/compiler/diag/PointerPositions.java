package dev.conduit.compiler.diag;

/**
 * A file whose JSON pointers have positions: what {@link Diagnostics#at} reports against. Parsed
 * files implement it, so diagnostics need not know how a file is parsed (parse depends on diag,
 * never the other way).
 */
public interface PointerPositions {

  /** The file's path relative to the repository root. */
  String path();

  /** Where the pointer stands in the file; the nearest enclosing node when it does not exist. */
  Position positionOf(String pointer);
}
