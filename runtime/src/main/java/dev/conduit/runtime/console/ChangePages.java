package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.runtime.console.changes.ChangeBranches;

/**
 * What a change came to once it validated: the branch pushed, the compiler's validation of it
 * (warnings included) and the {@code conduit diff}. A change with errors never gets here: its form
 * comes back with each problem beside its field.
 */
final class ChangePages {
  private ChangePages() {}

  /** The edit pages when the runtime does not know the organization's repository. */
  static String noRepository(View v) {
    return Frame.page(
        v,
        Frame.Section.CONNECTIONS,
        "Propose a change",
        "<h1>Propose a change</h1><p id=\"no-repository\">Changes are pull requests to the"
            + " organization's repository; the console makes them when the runtime knows that"
            + " repository (conduit.git settings, docs/console.md).</p>");
  }

  /** A form posted with nothing changed: no commit, no branch, and not an error. */
  static String unchanged(View v, String what, String back) {
    return Frame.page(
        v,
        Frame.Section.CONNECTIONS,
        "No changes",
        "<h1>No changes</h1><p class=\"sub\">"
            + esc(what)
            + "</p><div class=\"notice\" role=\"status\" id=\"no-changes\">The form is as the"
            + " repository has it: no commit and no branch were made.</div><p><a href=\""
            + esc(back)
            + "\">Back</a></p>");
  }

  static String result(View v, String what, String back, ChangeBranches.Proposal p) {
    StringBuilder b =
        new StringBuilder("<h1>Change proposed</h1><p class=\"sub\">")
            .append(esc(what))
            .append("</p><dl class=\"facts\"><dt>Branch</dt><dd><code id=\"branch\">")
            .append(esc(p.branch()))
            .append("</code></dd><dt>Commit</dt><dd><code>")
            .append(esc(p.commit()))
            .append("</code></dd><dt>On</dt><dd><code>")
            .append(esc(p.baseCommit()))
            .append("</code></dd></dl>");
    b.append(
        "<div class=\"notice\" role=\"status\" id=\"validation\">The branch validates: no error.");
    if (!p.problems().isEmpty()) {
      b.append("<ul>");
      for (String problem : p.problems()) {
        b.append("<li><code>").append(esc(problem)).append("</code></li>");
      }
      b.append("</ul>");
    }
    b.append("</div><h2>conduit diff</h2><pre id=\"diff\"><code>")
        .append(esc(p.diff()))
        .append("</code></pre><p>Open a pull request from <code>")
        .append(esc(p.branch()))
        .append("</code> to have it reviewed and merged. <a href=\"")
        .append(esc(back))
        .append("\">Back</a></p>");
    return Frame.page(v, Frame.Section.CONNECTIONS, "Change proposed", b.toString());
  }
}
