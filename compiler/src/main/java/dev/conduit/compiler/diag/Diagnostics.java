package dev.conduit.compiler.diag;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

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

  /**
   * Runs {@code task} on each item in parallel (on the common fork-join pool, the calling thread
   * included), each reporting into a collection of its own, then adds their reports here in the
   * items' order: exactly what a loop over the items would have reported, in its order, so that
   * diagnostics that tie in {@link Diagnostic#ORDER} still come out as a serial run gives them.
   *
   * @param task must touch nothing shared that is not safe across threads (the items are
   *     independent: connections, files)
   * @return the tasks' results, in the items' order (null results kept)
   */
  public <T, R> List<R> eachInParallel(List<T> items, BiFunction<T, Diagnostics, R> task) {
    record Outcome<R>(R result, Diagnostics reported) {}
    List<Outcome<R>> outcomes =
        items.parallelStream()
            .map(
                item -> {
                  Diagnostics own = new Diagnostics();
                  return new Outcome<>(task.apply(item, own), own);
                })
            .toList(); // encounter order, whichever thread ran what
    List<R> results = new ArrayList<>(outcomes.size());
    synchronized (this) {
      for (Outcome<R> o : outcomes) {
        list.addAll(o.reported.list); // no other thread has it any more
        results.add(o.result);
      }
    }
    return results;
  }

  public synchronized boolean hasErrors() {
    return list.stream().anyMatch(Diagnostic::isError);
  }

  /** Everything reported so far, in report order, without duplicates. */
  public synchronized List<Diagnostic> sorted() {
    return list.stream().distinct().sorted(Diagnostic.ORDER).toList();
  }
}
