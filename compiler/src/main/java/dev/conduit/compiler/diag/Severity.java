package dev.conduit.compiler.diag;

/** How bad a diagnostic is. Only errors make {@code conduit validate} exit with 1. */
public enum Severity {
  ERROR,
  WARNING,
  NOTE;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
