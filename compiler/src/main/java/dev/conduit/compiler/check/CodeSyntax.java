package dev.conduit.compiler.check;

import java.util.List;

/**
 * Parses code blocks with the real engines (GraalJS, Jython). An interface so the checks do not
 * depend on how the engines are set up, and so tests of other checks need not start them.
 */
public interface CodeSyntax {

  /** A problem in a code file, at its own line and column (1-based). */
  record Problem(int line, int column, String message, boolean missingMain) {}

  /**
   * @param language "javascript" or "python" ({@code FileKind.languageOf})
   */
  List<Problem> check(String file, String language, String source);

  /**
   * Starts the language's engine, so that the first {@link #check} does not pay for it. Starting an
   * engine takes a second or more, which the compiler spends on a thread of its own while it reads
   * the files (see {@link CodeChecksAhead}).
   */
  default void prepare(String language) {}

  /** Accepts everything: for callers that skip code checks. */
  CodeSyntax NONE = (file, language, source) -> List.of();
}
