package dev.conduit.runtime.invoke;

import dev.conduit.bundle.Api;

/**
 * Runs code blocks (JavaScript on GraalJS, Python in confined Jython workers): the engine gives a
 * block plain data and takes plain data back. The runtime adapts {@code
 * dev.conduit.code.languages.CodeRunner} to this; tests use stand-ins.
 */
public interface CodeBlocks {

  /**
   * A block that failed (syntax, error, time or memory limit, denied access, a result that is not
   * plain data). The message names the block's file and line, e.g. {@code code/sign.js:4:
   * TypeError: x is undefined}.
   */
  final class Failure extends Exception {
    private final int line;
    private final String kind;

    public Failure(String message) {
      this(message, 0, null);
    }

    /**
     * @param line the line in the block's file, 0 when unknown
     * @param kind what went wrong, e.g. SYNTAX, ERROR, TIMEOUT, MEMORY, DENIED, BAD_RESULT, {@link
     *     CodeBlocks#UNAVAILABLE}
     */
    public Failure(String message, int line, String kind) {
      super(message);
      this.line = line;
      this.kind = kind;
    }

    public int line() {
      return line;
    }

    /** Null when the runner did not say. */
    public String kind() {
      return kind;
    }
  }

  /**
   * The kind of failure when the block's language cannot run on this server (not the block's
   * fault).
   */
  String UNAVAILABLE = "UNAVAILABLE";

  /**
   * Runs the block's {@code main} with {@code input} (plain data: maps, lists, strings, numbers,
   * booleans, null) and returns what it returned, as plain data.
   *
   * @param connection whose block it is: its organization and id keep what one connection's blocks
   *     leave behind away from every other connection's (issue 11)
   */
  Object run(PreparedConnection connection, Api.CodeBlock block, Object input) throws Failure;

  /**
   * The same within {@code limit}: the block's own limit or, when less is left, what is left of the
   * call's time. A block stopped by it fails with kind TIMEOUT. Runners that cannot be told a limit
   * run with the block's own.
   */
  default Object run(
      PreparedConnection connection, Api.CodeBlock block, Object input, java.time.Duration limit)
      throws Failure {
    return run(connection, block, input);
  }
}
