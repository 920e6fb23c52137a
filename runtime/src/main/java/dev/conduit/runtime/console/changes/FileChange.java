package dev.conduit.runtime.console.changes;

import java.util.Map;

/**
 * One change a person makes in the console, as the files it writes: read from the commit the page
 * was rendered from, computed whole before anything is committed (nothing half-written).
 */
public interface FileChange {

  /** The commit the page showed; the change is refused when the branch moved on since. */
  String baseCommit();

  /**
   * The files to write (repository path to content), computed from the base commit.
   *
   * @throws ChangeBranches.Refused when the change does not apply to that commit (the connection
   *     already exists, the API is not there): nothing is written
   */
  Map<String, byte[]> files(BaseTree base) throws ChangeBranches.Refused;

  /** The commit message's first line: what changed, never a value of a hidden parameter. */
  String summary();
}
