package dev.conduit.runtime.gitops;

import java.time.Instant;

/**
 * One line of an organization's deployment history: a commit of the branch compiled, a pin or an
 * unpin.
 *
 * @param source the Git source's label (conduit.git.organizations)
 * @param actor the admin who pinned or unpinned; null for commits of the branch
 * @param diagnosticsCount every diagnostic the compiler reported (warnings too)
 * @param diagnostics the first 500 of them as a JSON array, or null
 */
public record Deployment(
    String id,
    String source,
    String organizationId,
    String commit,
    String author,
    String subject,
    Instant committedAt,
    Instant deployedAt,
    String actor,
    Result result,
    int diagnosticsCount,
    String diagnostics) {

  /** What a deployment was. */
  public enum Result {
    /** a commit of the branch compiled clean and is served */
    DEPLOYED,
    /** a commit of the branch compiled clean while the organization is pinned: served on unpin */
    HELD,
    /** a commit of the branch did not compile: the last good one keeps serving */
    REFUSED,
    /** an admin pinned the organization to an earlier good commit */
    PINNED,
    /** an admin unpinned it: the newest good commit of the branch serves again */
    UNPINNED;

    public String text() {
      return name().toLowerCase();
    }
  }
}
