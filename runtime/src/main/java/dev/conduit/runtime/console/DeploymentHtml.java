package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.runtime.gitops.Deployment;
import dev.conduit.runtime.gitops.GitOps;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Deployments pages: the served commit (the database's current, pinned and head, and this
 * instance's), the history with a pin button on each good commit, and one deployment's diagnostics.
 */
final class DeploymentHtml {
  private DeploymentHtml() {}

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  static String base(View v) {
    return v.orgBase() + "/deployments";
  }

  static String list(
      View v, GitOps.Status s, List<Deployment> rows, int page, boolean more, String notice) {
    StringBuilder b = new StringBuilder("<h1>Deployments</h1><p class=\"sub\">");
    b.append("The branch <code>")
        .append(esc(s.branch()))
        .append("</code> of <code>")
        .append(esc(s.url()))
        .append("</code>")
        .append(s.path() == null || s.path().isEmpty() ? "" : " (folder " + esc(s.path()) + ")")
        .append(", fetched every ")
        .append(s.pollSeconds())
        .append(" s.</p>");
    if (notice != null) {
      b.append("<div class=\"notice\" role=\"status\" id=\"notice\">")
          .append(esc(notice))
          .append("</div>");
    }
    String serves = s.pinned() != null ? s.pinned() : s.current();
    b.append("<dl class=\"facts\" id=\"state\"><dt>Serves</dt><dd><code id=\"served\">")
        .append(esc(serves == null ? "nothing yet" : serves))
        .append("</code>")
        .append(
            s.pinned() != null ? " <span class=\"badge draft\" id=\"pinned\">pinned</span>" : "")
        .append("</dd><dt>Newest good commit</dt><dd><code>")
        .append(esc(nullToDash(s.current())))
        .append("</code></dd><dt>Newest commit seen</dt><dd><code>")
        .append(esc(nullToDash(s.head())))
        .append("</code></dd><dt>This instance serves</dt><dd><code>")
        .append(esc(nullToDash(s.servedHere())))
        .append("</code></dd>");
    if (s.fetchError() != null) {
      b.append("<dt>Last failed fetch</dt><dd class=\"error\" id=\"fetch-error\">")
          .append(esc(s.fetchError()))
          .append(" (")
          .append(esc(s.fetchErrorAt()))
          .append(")</dd>");
    }
    if (s.problemHere() != null) {
      b.append("<dt>Problem here</dt><dd class=\"error\">")
          .append(esc(s.problemHere()))
          .append("</dd>");
    }
    b.append("</dl><div class=\"actions\">");
    if (s.pinned() != null) {
      b.append(post(v, "unpin", "", "unpin", "Unpin: follow the branch again", null));
    }
    b.append(post(v, "fetch", "", "fetch-now", "Fetch now", "secondary")).append("</div>");
    b.append("<h2>History</h2>");
    if (rows.isEmpty()) {
      return Frame.page(
          v,
          Frame.Section.DEPLOYMENTS,
          "Deployments",
          b.append("<p id=\"no-deployments\">Nothing deployed yet.</p>").toString());
    }
    b.append("<table id=\"deployments\"><caption class=\"visually-hidden\">Deployment history,")
        .append(" newest first</caption><thead><tr><th scope=\"col\">Commit</th>")
        .append("<th scope=\"col\">Author</th><th scope=\"col\">Committed</th>")
        .append("<th scope=\"col\">Deployed</th><th scope=\"col\">Result</th>")
        .append("<th scope=\"col\">Diagnostics</th><th scope=\"col\">Roll back</th>")
        .append("</tr></thead><tbody>");
    for (Deployment d : rows) {
      String shortId = d.commit().substring(0, Math.min(10, d.commit().length()));
      boolean good =
          d.result() == Deployment.Result.DEPLOYED || d.result() == Deployment.Result.HELD;
      b.append("<tr id=\"deployment-")
          .append(esc(d.id()))
          .append("\"><td><a href=\"")
          .append(esc(base(v) + "/" + Frame.enc(d.id())))
          .append("\"><code>")
          .append(esc(shortId))
          .append("</code></a> ")
          .append(esc(d.subject() == null ? "" : d.subject()))
          .append("</td><td>")
          .append(esc(nullToDash(d.author())))
          .append("</td><td>")
          .append(time(d.committedAt()))
          .append("</td><td>")
          .append(time(d.deployedAt()))
          .append(d.actor() == null ? "" : " by " + esc(d.actor()))
          .append("</td><td>")
          .append(result(d.result()))
          .append("</td><td>")
          .append(d.diagnosticsCount())
          .append("</td><td>")
          .append(
              good && !d.commit().equals(serves)
                  ? post(v, "pin", d.commit(), "pin-" + shortId, "Pin " + shortId, "secondary")
                  : "")
          .append("</td></tr>");
    }
    b.append("</tbody></table>");
    b.append("<nav class=\"pages\" aria-label=\"Pages\">");
    if (page > 1) {
      b.append("<a rel=\"prev\" href=\"")
          .append(esc(base(v) + "?page=" + (page - 1)))
          .append("\">Newer</a>");
    }
    if (more) {
      b.append("<a rel=\"next\" href=\"")
          .append(esc(base(v) + "?page=" + (page + 1)))
          .append("\">Older</a>");
    }
    b.append("</nav>");
    return Frame.page(v, Frame.Section.DEPLOYMENTS, "Deployments", b.toString());
  }

  /** A one-button form (pin, unpin, fetch), with the session's CSRF token. */
  private static String post(
      View v, String action, String commit, String id, String label, String cssClass) {
    return "<form method=\"post\" class=\"inline\" action=\""
        + esc(base(v) + "/" + action)
        + "\">"
        + Frame.hidden("csrf", v.csrf())
        + (commit.isEmpty() ? "" : Frame.hidden("commit", commit))
        + "<button type=\"submit\" id=\""
        + esc(id)
        + "\""
        + (cssClass == null ? "" : " class=\"" + cssClass + "\"")
        + ">"
        + esc(label)
        + "</button></form>";
  }

  private static String result(Deployment.Result r) {
    String css =
        switch (r) {
          case DEPLOYED -> "ok";
          case REFUSED -> "bad";
          case HELD, PINNED, UNPINNED -> "draft";
        };
    return "<span class=\"badge " + css + "\">" + r.text() + "</span>";
  }

  static String detail(View v, Deployment d) {
    StringBuilder b =
        new StringBuilder("<p><a href=\"")
            .append(esc(base(v)))
            .append("\">Deployments</a></p><h1>Commit <code>")
            .append(esc(d.commit()))
            .append("</code></h1><dl class=\"facts\" id=\"deployment-facts\"><dt>Subject</dt><dd>")
            .append(esc(nullToDash(d.subject())))
            .append("</dd><dt>Author</dt><dd>")
            .append(esc(nullToDash(d.author())))
            .append("</dd><dt>Committed</dt><dd>")
            .append(time(d.committedAt()))
            .append("</dd><dt>Deployed</dt><dd>")
            .append(time(d.deployedAt()))
            .append(d.actor() == null ? "" : " by " + esc(d.actor()))
            .append("</dd><dt>Result</dt><dd id=\"result\">")
            .append(result(d.result()))
            .append("</dd></dl><h2>Diagnostics (")
            .append(d.diagnosticsCount())
            .append(")</h2>");
    JsonNode list = d.diagnostics() == null ? null : JSON.readTree(d.diagnostics());
    if (list == null || list.isEmpty()) {
      b.append("<p id=\"no-diagnostics\">None.</p>");
    } else {
      b.append("<table id=\"diagnostics\"><caption class=\"visually-hidden\">Diagnostics")
          .append(
              "</caption><thead><tr><th scope=\"col\">Where</th><th scope=\"col\">Severity</th>")
          .append("<th scope=\"col\">Code</th><th scope=\"col\">Message</th></tr></thead><tbody>");
      for (JsonNode x : list) {
        b.append("<tr><td><code>")
            .append(esc(x.path("file").asString("")))
            .append(":")
            .append(x.path("line").asInt())
            .append(":")
            .append(x.path("column").asInt())
            .append("</code></td><td>")
            .append(esc(x.path("severity").asString("")))
            .append("</td><td><code>")
            .append(esc(x.path("code").asString("")))
            .append("</code></td><td>")
            .append(esc(x.path("message").asString("")))
            .append(
                x.path("hint").isString()
                    ? "<br><span class=\"sub\">" + esc(x.path("hint").asString()) + "</span>"
                    : "")
            .append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    return Frame.page(v, Frame.Section.DEPLOYMENTS, "Deployment", b.toString());
  }

  private static String time(Instant t) {
    return t == null ? "—" : "<time datetime=\"" + t + "\">" + TIME.format(t) + "</time>";
  }

  private static String nullToDash(String s) {
    return s == null ? "—" : s;
  }
}
