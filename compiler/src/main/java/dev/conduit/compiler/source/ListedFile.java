package dev.conduit.compiler.source;

/**
 * A path of the tree that the layout gives a kind, classified once when the tree is listed ({@link
 * SourceReader#list}); every later phase takes the kind from here (or from the {@link SourceFile}
 * read from it) instead of matching the path again.
 */
public record ListedFile(String path, FileKind kind) {}
