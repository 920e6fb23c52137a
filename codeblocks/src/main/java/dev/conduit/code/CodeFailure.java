package dev.conduit.code;

/**
 * A code block that did not return a result. The message names the block's file, the line when
 * known, and what happened; it never shows a host stack trace or a host path.
 */
public final class CodeFailure extends Exception {

  /** What kind of failure. */
  public enum Kind {
    /** The code does not parse. */
    SYNTAX,
    /** The code raised an error. */
    ERROR,
    /** The code ran past its time limit and was stopped. */
    TIMEOUT,
    /** The code used more memory than allowed and was stopped. */
    MEMORY,
    /**
     * The code tried something forbidden (a host class, a file, a module outside the allow-list).
     */
    DENIED,
    /** main did not return plain data (or there is no main). */
    BAD_RESULT,
    /**
     * The block's language cannot run on this server: turned off, or what it needs is missing
     * (Python without the operating-system confinement fails closed). Not the block's fault.
     */
    UNAVAILABLE
  }

  private final Kind kind;
  private final String file;
  private final int line;

  public CodeFailure(Kind kind, String file, int line, String message) {
    super(file + (line > 0 ? ":" + line : "") + ": " + message);
    this.kind = kind;
    this.file = file;
    this.line = line;
  }

  public Kind kind() {
    return kind;
  }

  public String file() {
    return file;
  }

  /** The line in the code file, or 0 when unknown. */
  public int line() {
    return line;
  }
}
