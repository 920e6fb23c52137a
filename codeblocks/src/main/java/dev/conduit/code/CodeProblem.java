package dev.conduit.code;

/**
 * A problem the compiler reports in a code file, at the file's own line and column (1-based).
 *
 * @param file the repository-relative path of the code file
 * @param missingMain whether the problem is a missing main(input) rather than a syntax error or a
 *     forbidden construct (the compiler gives the two different diagnostic codes)
 */
public record CodeProblem(String file, int line, int column, String message, boolean missingMain) {

  public CodeProblem(String file, int line, int column, String message) {
    this(file, line, column, message, false);
  }

  /** {@code file:line:column: message}. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + message;
  }
}
