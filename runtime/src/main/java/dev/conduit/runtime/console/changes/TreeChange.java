package dev.conduit.runtime.console.changes;

import java.util.Map;

/**
 * A change the console makes to an organization's repository: the files it writes, worked out from
 * the commit the page was made from ({@link ChangeBranches#change}). Nothing it returns may hold a
 * hidden value in plaintext.
 */
public interface TreeChange {

  /**
   * Path (from the repository's root) to the file's new bytes; a null value removes the file (a
   * code file no block uses any more).
   */
  Map<String, byte[]> files(BaseTree base) throws ChangeBranches.Refused;

  /** The commit message: what changes, never a hidden value. */
  String message();
}
