package dev.conduit.compiler.diag;

import java.util.Comparator;

/**
 * One problem found in the repository: a value, never an exception.
 *
 * @param file path relative to the repository root, with "/" separators
 * @param line 1-based; 0 when the problem concerns the whole file or no file
 * @param column 1-based; 0 when unknown
 * @param pointer JSON pointer into the file ("" for the whole document); null for non-JSON files
 * @param hint what to do about it, or null
 */
public record Diagnostic(
    Code code,
    Severity severity,
    String file,
    int line,
    int column,
    String pointer,
    String message,
    String hint) {

  /** Stable report order: by file, position, then code. */
  public static final Comparator<Diagnostic> ORDER =
      Comparator.comparing(Diagnostic::file, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparingInt(Diagnostic::line)
          .thenComparingInt(Diagnostic::column)
          .thenComparing(Diagnostic::code)
          .thenComparing(Diagnostic::message);

  public boolean isError() {
    return severity == Severity.ERROR;
  }
}
