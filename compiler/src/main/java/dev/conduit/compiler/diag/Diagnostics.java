package dev.conduit.compiler.diag;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects diagnostics during one compilation. Every phase reports here and carries on, so a single
 * run reports every problem (one bad file never hides another's).
 */
public final class Diagnostics {

  private final List<Diagnostic> list = new ArrayList<>();

  /** Reports a problem at a JSON pointer of a parsed file; line and column come from the file. */
  public void at(PointerPositions file, String pointer, Code code, String message) {
    at(file, pointer, code, message, null);
  }

  public void at(PointerPositions file, String pointer, Code code, String message, String hint) {
    Position pos = file.positionOf(pointer);
    add(
        new Diagnostic(
            code,
            code.defaultSeverity(),
            file.path(),
            pos.line(),
            pos.column(),
            pointer,
            message,
            hint));
  }

  /** Reports a problem at a line and column of a file (e.g. a code file). */
  public void atLine(String path, int line, int column, Code code, String message, String hint) {
    add(new Diagnostic(code, code.defaultSeverity(), path, line, column, null, message, hint));
  }

  /** Adds a diagnostic; safe to call from the parallel phases. */
  public synchronized void add(Diagnostic d) {
    list.add(d);
  }

  public synchronized boolean hasErrors() {
    return list.stream().anyMatch(Diagnostic::isError);
  }

  /** Everything reported so far, in report order, without duplicates. */
  public synchronized List<Diagnostic> sorted() {
    return list.stream().distinct().sorted(Diagnostic.ORDER).toList();
  }
}
