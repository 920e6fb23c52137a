package dev.conduit.compiler.diag;

/** A 1-based line and column in a file; 0/0 when unknown. */
public record Position(int line, int column) {}
