package dev.conduit.runtime.console.changes;

import java.util.List;
import java.util.Map;

/**
 * What a person changes on a connection's page, to become a commit: new texts for visible
 * parameters, new values for hidden ones (plaintext here, sealed before anything is written), and
 * the applications granted.
 *
 * @param baseCommit the commit of the repository the page showed; the change is refused when the
 *     branch moved on since (a stale page)
 * @param visible parameter name to its new text (only those changed)
 * @param hidden parameter name to its new plaintext value (only those filled in)
 * @param grants the applications granted afterwards (all of them), or null to leave grants alone
 */
public record ConnectionEdit(
    String connectionId,
    String baseCommit,
    Map<String, String> visible,
    Map<String, String> hidden,
    List<String> grants) {

  public ConnectionEdit {
    visible = Map.copyOf(visible);
    hidden = Map.copyOf(hidden);
    grants = grants == null ? null : List.copyOf(grants);
  }

  /** Never prints a hidden value. */
  @Override
  public String toString() {
    return "ConnectionEdit["
        + connectionId
        + ", visible="
        + visible.keySet()
        + ", hidden="
        + hidden.keySet()
        + ", grants="
        + grants
        + "]";
  }
}
