package dev.conduit.compiler;

/**
 * Told as each phase of {@link Compiler#compile} ends, in pipeline order, on the compiling thread:
 * how the bench times the real pipeline phase by phase instead of a copy of it. {@link #NONE} is
 * what a plain compile uses.
 */
@FunctionalInterface
public interface PhaseHook {

  /** The phases compile reports, in order. Emit is the caller's ({@code emit.BundleFile}). */
  enum Phase {
    /** Each path classified, the code engines started. */
    LIST,
    /** The listed files read and decoded. */
    LOAD,
    /**
     * One parallel pass: each JSON file parsed, checked against its schema and bound; then the
     * repository model grouped and the public library entries it installs attached.
     */
    PARSE_VALIDATE_BIND,
    /** The bundle model. */
    RESOLVE,
    /** The rules beyond the schemas (waiting for code checks not done yet). */
    CHECK
  }

  PhaseHook NONE = phase -> {};

  void ended(Phase phase);
}
