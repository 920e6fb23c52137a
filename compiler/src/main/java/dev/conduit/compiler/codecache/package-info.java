/**
 * A content-addressed cache of code-block checks on disk: a code file whose text, path and checker
 * are unchanged since a run that checked it gets the same answer without GraalJS or Jython being
 * started (seconds of CPU: {@code docs/benchmarks.md#compiler-goals}). Used by the CLI only; the
 * runtime and the benchmarks of the engines check every file.
 */
package dev.conduit.compiler.codecache;
