package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.bundle.Application;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.console.changes.ChangeBranches;

/**
 * "Propose a change" on a connection's page and what it came to: the branch, the compiler's
 * validation of it and the {@code conduit diff}. The form carries the commit the page was made
 * from, so a page left open while the repository moved on is refused before anything is written.
 */
final class ChangePages {
  private ChangePages() {}

  static String form(View v, Connection c, String baseCommit, String repository) {
    String action = v.orgBase() + "/connections/" + Frame.enc(c.id()) + "/propose";
    StringBuilder b =
        new StringBuilder(
                "<h2 id=\"propose\">Propose a change</h2><p class=\"sub\">A commit on a new"
                    + " branch of ")
            .append(esc(repository))
            .append(
                ", validated and shown here before anyone reviews it. Nothing served changes"
                    + " until it is merged.</p><form method=\"post\" id=\"change-form\" action=\"")
            .append(esc(action))
            .append("\">")
            .append(Frame.hidden("csrf", v.csrf()))
            .append(Frame.hidden("base", baseCommit));
    for (Connection.Parameter p : c.parameters()) {
      String id = "change-" + p.name().replaceAll("[^A-Za-z0-9_-]", "-");
      if (p.hidden()) {
        b.append("<label for=\"")
            .append(id)
            .append("\">Replace the value of <code>")
            .append(esc(p.name()))
            .append("</code> (hidden: sealed before it is written; empty keeps it)</label>")
            .append("<input type=\"password\" autocomplete=\"new-password\" id=\"")
            .append(id)
            .append("\" name=\"hidden.")
            .append(esc(p.name()))
            .append("\">");
      } else {
        b.append("<label for=\"")
            .append(id)
            .append("\"><code>")
            .append(esc(p.name()))
            .append("</code></label><input type=\"text\" id=\"")
            .append(id)
            .append("\" name=\"visible.")
            .append(esc(p.name()))
            .append("\" value=\"")
            .append(esc(p.value() == null ? "" : String.valueOf(p.value())))
            .append("\">");
      }
    }
    b.append("<fieldset><legend>Applications granted</legend>");
    for (Application a : v.org().bundle().applications()) {
      String id = "grant-" + a.id();
      b.append("<div><input type=\"checkbox\" name=\"grant\" value=\"")
          .append(esc(a.id()))
          .append("\" id=\"")
          .append(esc(id))
          .append("\"")
          .append(c.grants().contains(a.id()) ? " checked" : "")
          .append("> <label style=\"display:inline\" for=\"")
          .append(esc(id))
          .append("\">")
          .append(esc(a.name()))
          .append(" <code>")
          .append(esc(a.id()))
          .append("</code></label></div>");
    }
    return b.append(
            "</fieldset><button type=\"submit\" id=\"propose-change\">Make the branch</button>")
        .append("</form>")
        .toString();
  }

  static String result(View v, Connection c, ChangeBranches.Proposal p) {
    StringBuilder b =
        new StringBuilder("<h1>Change proposed</h1><p class=\"sub\">")
            .append(esc(c.name()))
            .append("</p><dl class=\"facts\"><dt>Branch</dt><dd><code id=\"branch\">")
            .append(esc(p.branch()))
            .append("</code></dd><dt>Commit</dt><dd><code>")
            .append(esc(p.commit()))
            .append("</code></dd><dt>On</dt><dd><code>")
            .append(esc(p.baseCommit()))
            .append("</code></dd></dl>");
    b.append(
        p.valid()
            ? "<div class=\"notice\" role=\"status\" id=\"validation\">The branch validates: no error."
            : "<div class=\"error\" role=\"alert\" id=\"validation\">The branch has errors: fix them"
                + " before proposing it.");
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
        .append(esc(v.orgBase() + "/connections/" + Frame.enc(c.id())))
        .append("\">Back to the connection</a></p>");
    return Frame.page(v, Frame.Section.CONNECTIONS, "Change proposed", b.toString());
  }
}
