package dev.conduit.compiler.source;

import dev.conduit.compiler.parse.FileKind;

/** A repository file the layout gives a kind to, read and decoded to text. */
public record SourceFile(String path, FileKind kind, String text) {}
