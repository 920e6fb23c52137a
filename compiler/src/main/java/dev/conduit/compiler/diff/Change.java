package dev.conduit.compiler.diff;

import java.util.List;

/**
 * One semantic change between two versions of a repository.
 *
 * @param area connections, apis, grants, applications, third-party-apps, members, organization,
 *     library
 * @param subject what changed, e.g. "wecom/send-app-message"
 * @param details human-readable lines ("input touser: now required"); sealed values say only
 *     "changed"
 * @param breaking why this breaks a consumer, or null
 * @param usedBy the applications' declared uses of the subject (for breaking API changes)
 */
public record Change(
    Kind kind,
    String area,
    String subject,
    List<String> details,
    String breaking,
    List<String> usedBy) {

  public enum Kind {
    added,
    removed,
    changed
  }

  public boolean isBreaking() {
    return breaking != null;
  }
}
