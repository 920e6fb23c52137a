package dev.conduit.code;

/**
 * A problem the compiler reports in a code file, at the file's own line and column (1-based).
 *
 * @param missingMain whether the problem is a missing main(input) rather than a syntax error
 */
public record CodeProblem(String file, int line, int column, String message, boolean missingMain) {}
