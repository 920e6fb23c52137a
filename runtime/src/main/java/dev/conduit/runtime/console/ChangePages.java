package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.runtime.console.changes.ChangeBranches;

/**
 * What a change came to: no changes at all, or the branch pushed with the compiler's validation of
 * it (warnings included), the {@code conduit diff} and where to review it; the same view for the
 * edit forms, installs and upgrades. A change with errors never gets here: its form comes back with
 * each problem beside its field.
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
    return unchanged(v, Frame.Section.CONNECTIONS, what, back);
  }

  /** The same page in another section (a library install or upgrade that changes nothing). */
  static String unchanged(View v, Frame.Section section, String what, String back) {
    return Frame.page(
        v,
        section,
        "No changes",
        "<h1>No changes</h1><p class=\"sub\">"
            + esc(what)
            + "</p><div class=\"notice\" role=\"status\" id=\"no-changes\">The form is as the"
            + " repository has it: no commit and no branch were made.</div><p><a href=\""
            + esc(back)
            + "\">Back</a></p>");
  }

  /** The compiler's validation of the commit (warnings too) and its {@code conduit diff}. */
  static String validation(ChangeBranches.Proposal p) {
    StringBuilder b =
        new StringBuilder(
            p.valid()
                ? "<div class=\"notice\" role=\"status\" id=\"validation\">The branch validates:"
                    + " no error."
                : "<div class=\"error\" role=\"alert\" id=\"validation\">The branch has errors.");
    if (!p.problems().isEmpty()) {
      b.append("<ul>");
      p.problems().forEach(x -> b.append("<li><code>").append(esc(x)).append("</code></li>"));
      b.append("</ul>");
    }
    return b.append("</div><h2>conduit diff</h2><pre id=\"diff\"><code>")
        .append(esc(p.diff()))
        .append("</code></pre>")
        .toString();
  }

  /**
   * The one "branch made" view of every change (an edit form, an install, an upgrade): the branch,
   * its commit and base, its validation and diff, and where to review it (the Git host's pull
   * request page, or the {@code git fetch} line).
   */
  static String made(
      View v,
      Frame.Section section,
      String title,
      ChangeBranches.Proposal p,
      String reviewUrl,
      String back) {
    StringBuilder b =
        new StringBuilder("<h1>")
            .append(esc(title))
            .append("</h1><dl class=\"facts\"><dt>Branch</dt><dd><code id=\"branch\">")
            .append(esc(p.branch()))
            .append("</code></dd><dt>Commit</dt><dd><code>")
            .append(esc(p.commit()))
            .append("</code></dd><dt>On</dt><dd><code>")
            .append(esc(p.baseCommit()))
            .append("</code></dd></dl>")
            .append(validation(p));
    b.append("<p id=\"review\">");
    if (reviewUrl != null) {
      b.append("<a id=\"review-link\" rel=\"noreferrer noopener\" href=\"")
          .append(esc(reviewUrl))
          .append("\">Review the branch and open a pull request</a>. ");
    } else {
      b.append("Review it from a clone: <code>git fetch origin ")
          .append(esc(p.branch()))
          .append("</code>, then open a pull request. ");
    }
    return Frame.page(
        v,
        section,
        title,
        b.append("<a href=\"").append(esc(back)).append("\">Back</a></p>").toString());
  }
}
