package dev.conduit.compiler.model;

import dev.conduit.compiler.parse.ParsedFile;

/** A file's model together with the parsed file it came from (for diagnostics). */
public record Located<T>(ParsedFile file, T value) {}
