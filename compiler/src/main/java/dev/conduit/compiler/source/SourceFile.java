package dev.conduit.compiler.source;

/** A repository file the layout gives a kind to, read and decoded to text. */
public record SourceFile(String path, FileKind kind, String text) {}
