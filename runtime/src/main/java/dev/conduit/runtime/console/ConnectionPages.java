package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Application;
import dev.conduit.bundle.Auth;
import dev.conduit.bundle.Connection;
import dev.conduit.runtime.invoke.Outcome;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Connections list (paginated, searchable) and a connection's page: parameters (values only for
 * its owner and admins, hidden ones always masked), auth settings, grants, accounts, alert
 * settings, APIs and their usage references.
 */
final class ConnectionPages {
  private ConnectionPages() {}

  static final int PAGE_SIZE = 25;
  static final String MASK = "••••••";

  static String list(View v, String query, int page) {
    String q = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
    List<Connection> all =
        v.org().bundle().connections().stream()
            .filter(
                c ->
                    q.isEmpty()
                        || c.id().toLowerCase(Locale.ROOT).contains(q)
                        || (c.name() != null && c.name().toLowerCase(Locale.ROOT).contains(q)))
            .toList();
    int pages = Math.max(1, (all.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    int p = Math.max(1, Math.min(page, pages));
    List<Connection> shown = all.subList((p - 1) * PAGE_SIZE, Math.min(all.size(), p * PAGE_SIZE));
    StringBuilder rows = new StringBuilder();
    for (Connection c : shown) {
      long published = c.apis().stream().filter(a -> a.status() == Api.Status.published).count();
      long enabled = c.apis().stream().filter(Api::enabled).count();
      boolean available = v.org().unavailable(c.id()).isEmpty();
      rows.append("<tr id=\"conn-")
          .append(esc(c.id()))
          .append("\"><td>")
          .append(logo(c))
          .append("<a href=\"")
          .append(esc(v.orgBase() + "/connections/" + Frame.enc(c.id())))
          .append("\">")
          .append(esc(c.name()))
          .append("</a> <code>")
          .append(esc(c.id()))
          .append("</code></td><td>")
          .append(authKind(c.auth()))
          .append("</td><td>")
          .append(esc(c.owner()))
          .append("</td><td>")
          .append(
              available
                  ? "<span class=\"badge ok\">available</span>"
                  : "<span class=\"badge bad\">unavailable</span>")
          .append("</td><td>")
          .append(c.apis().size())
          .append(" <span class=\"sub\">(")
          .append(published)
          .append(" published, ")
          .append(enabled)
          .append(" enabled)</span></td><td>")
          .append(installedFrom(c))
          .append(UpgradeHtml.note(v, c))
          .append("</td></tr>");
    }
    String search =
        "<form method=\"get\" action=\""
            + esc(v.orgBase())
            + "\" role=\"search\"><label for=\"q\">Find a connection</label>"
            + "<input type=\"search\" id=\"q\" name=\"q\" value=\""
            + esc(query)
            + "\"><button type=\"submit\" class=\"secondary\">Search</button></form>";
    String table =
        all.isEmpty()
            ? "<p id=\"none\">No connection matches.</p>"
            : "<table id=\"connections\"><caption class=\"visually-hidden\">Connections</caption>"
                + "<thead><tr><th scope=\"col\">Connection</th><th scope=\"col\">Auth</th>"
                + "<th scope=\"col\">Owner</th><th scope=\"col\">Status</th><th scope=\"col\">APIs</th>"
                + "<th scope=\"col\">Installed from</th></tr></thead><tbody>"
                + rows
                + "</tbody></table>";
    return Frame.page(
        v,
        Frame.Section.CONNECTIONS,
        "Connections",
        "<h1>Connections</h1><p class=\"sub\">"
            + all.size()
            + " connection"
            + (all.size() == 1 ? "" : "s")
            + (q.isEmpty() ? "" : " matching “" + esc(query) + "”")
            + ". Changes are made by pull request to the organization's repository.</p>"
            + (v.isAdmin()
                ? "<p><a id=\"new-connection\" href=\""
                    + esc(v.orgBase() + "/changes/connections/new")
                    + "\">New connection</a> (a branch to review)</p>"
                : "")
            + search
            + table
            + pager(v.orgBase() + "?q=" + Frame.enc(query) + "&page=", p, pages));
  }

  static String pager(String hrefPrefix, int page, int pages) {
    if (pages <= 1) {
      return "";
    }
    return "<nav class=\"pages\" aria-label=\"Pages\">"
        + (page > 1
            ? "<a rel=\"prev\" href=\"" + esc(hrefPrefix + (page - 1)) + "\">Previous page</a>"
            : "")
        + "<span>Page "
        + page
        + " of "
        + pages
        + "</span>"
        + (page < pages
            ? "<a rel=\"next\" id=\"next-page\" href=\""
                + esc(hrefPrefix + (page + 1))
                + "\">Next page</a>"
            : "")
        + "</nav>";
  }

  /**
   * The logo: the bundle names it (a file of the repository or a URL) but does not carry it, and
   * the console loads nothing from elsewhere, so a monogram stands in, labelled with the name.
   */
  static String logo(Connection c) {
    String name = c.name() == null || c.name().isBlank() ? c.id() : c.name();
    return "<span class=\"logo\" role=\"img\" aria-label=\"Logo of "
        + esc(name)
        + "\""
        + (c.logo() == null ? "" : " title=\"" + esc(c.logo()) + "\"")
        + ">"
        + esc(name.substring(0, 1).toUpperCase(Locale.ROOT))
        + "</span>";
  }

  static String authKind(Auth auth) {
    return switch (auth) {
      case Auth.None n -> "API key or none";
      case Auth.Basic b -> "HTTP Basic";
      case Auth.ClientCredentials cc -> "OAuth 2.0 client credentials";
      case Auth.AuthorizationCode ac -> "OAuth 2.0 authorization code";
    };
  }

  private static String installedFrom(Connection c) {
    return c.installedFrom() == null
        ? "custom"
        : esc(c.installedFrom().entry())
            + " <span class=\"badge\">"
            + esc(c.installedFrom().version())
            + "</span>"
            + (c.installedFrom().library() == null
                ? ""
                : " <span class=\"sub\">(" + esc(c.installedFrom().library()) + ")</span>");
  }

  /**
   * @param tokenResult the result of "Get Access Token" (HTML), or null
   */
  static String connection(View v, Connection c, String tokenResult) {
    boolean manages = v.mayManage(c.id());
    String base = v.orgBase() + "/connections/" + Frame.enc(c.id());
    StringBuilder b = new StringBuilder();
    b.append("<h1>")
        .append(logo(c))
        .append(esc(c.name()))
        .append("</h1><p class=\"sub\"><code>")
        .append(esc(c.id()))
        .append("</code> · owner <strong>")
        .append(esc(c.owner()))
        .append("</strong> · ")
        .append(authKind(c.auth()))
        .append(" · installed from ")
        .append(installedFrom(c))
        .append(UpgradeHtml.note(v, c))
        .append("</p>");
    v.org()
        .unavailable(c.id())
        .ifPresent(
            why ->
                b.append("<div class=\"error\" role=\"alert\">This connection is unavailable")
                    .append(manages ? ": " + esc(why) : "; its owner and admins see why.")
                    .append("</div>"));
    if (c.description() != null) {
      b.append("<p>").append(esc(c.description())).append("</p>");
    }
    b.append("<h2 id=\"parameters\">Parameters</h2>");
    if (c.parameters().isEmpty()) {
      b.append("<p>None.</p>");
    } else {
      b.append(
          "<table id=\"parameter-table\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">"
              + "Visibility</th><th scope=\"col\">Value</th></tr></thead><tbody>");
      for (Connection.Parameter p : c.parameters()) {
        String value;
        if (p.hidden()) {
          value =
              p.sealed() == null
                  ? "<em>not set</em>"
                  : MASK + " <span class=\"sub\">(sealed)</span>";
        } else if (!manages) {
          value = "<span class=\"sub\">shown to the owner and admins</span>";
        } else {
          value =
              p.value() == null
                  ? "<em>not set</em>"
                  : "<code>" + esc(String.valueOf(p.value())) + "</code>";
        }
        b.append("<tr><td><code>")
            .append(esc(p.name()))
            .append("</code></td><td>")
            .append(p.hidden() ? "hidden" : "visible")
            .append("</td><td class=\"value\">")
            .append(value)
            .append("</td></tr>");
      }
      b.append("</tbody></table>");
      if (c.parameters().stream().anyMatch(Connection.Parameter::hidden)) {
        b.append(
            "<p class=\"sub\">A hidden value is sealed to the runtime's key: it can be replaced"
                + " (<code>conduit seal</code>, then a pull request) but never shown.</p>");
      }
    }
    b.append("<h2 id=\"auth\">Authentication</h2>").append(auth(c.auth()));
    if (manages && c.auth() instanceof Auth.ClientCredentials) {
      b.append("<form method=\"post\" action=\"")
          .append(esc(base + "/token"))
          .append("\">")
          .append(Frame.hidden("csrf", v.csrf()))
          .append("<button type=\"submit\" id=\"get-token\">Get Access Token</button></form>");
      if (tokenResult != null) {
        b.append(tokenResult);
      }
    }
    if (c.auth() instanceof Auth.AuthorizationCode) {
      b.append("<h2 id=\"accounts\">Accounts</h2><p>Each member connects their own account. <a")
          .append(" id=\"accounts-link\" href=\"/accounts/")
          .append(esc(Frame.enc(v.org().id()) + "/" + Frame.enc(c.id())))
          .append("\">My accounts</a> · <a href=\"/accounts/")
          .append(esc(Frame.enc(v.org().id()) + "/" + Frame.enc(c.id())))
          .append("/connect\">Connect an account</a></p>");
    }
    b.append("<h2 id=\"grants\">Applications granted</h2>");
    if (c.grants().isEmpty()) {
      b.append("<p>No application may use this connection.</p>");
    } else {
      b.append("<ul id=\"grant-list\">");
      for (String g : c.grants()) {
        String name =
            v.org().bundle().applications().stream()
                .filter(a -> a.id().equals(g))
                .map(Application::name)
                .findFirst()
                .orElse(g);
        b.append("<li>").append(esc(name)).append(" <code>").append(esc(g)).append("</code></li>");
      }
      b.append("</ul>");
    }
    b.append("<h2 id=\"alerts\">Error notifications</h2><p>")
        .append(
            c.notifications().onError()
                ? "The owner is told of errors, at most once per error type every "
                    + c.notifications().minIntervalMinutes()
                    + " minutes."
                : "Off.")
        .append("</p>");
    b.append("<h2 id=\"apis\">APIs</h2>").append(apis(v, c));
    b.append("<h2 id=\"references\">Usage references</h2>").append(references(v, c, null));
    if (manages) {
      String changes = v.orgBase() + "/changes/connections/" + Frame.enc(c.id());
      b.append("<h2 id=\"propose\">Propose a change</h2><p>A change is a commit on a new branch,")
          .append(" validated and reviewed before it is served. <a id=\"edit-connection\" href=\"")
          .append(esc(changes))
          .append("\">Edit this connection</a>")
          .append(
              c.installedFrom() == null
                  ? " · <a id=\"new-api\" href=\""
                      + esc(changes + "/apis/new")
                      + "\">Add an API</a>"
                  : "")
          .append("</p>");
    }
    return Frame.page(v, Frame.Section.CONNECTIONS, c.name(), b.toString());
  }

  private static String apis(View v, Connection c) {
    if (c.apis().isEmpty()) {
      return "<p>No APIs.</p>";
    }
    StringBuilder b =
        new StringBuilder(
            "<table id=\"api-table\"><thead><tr><th scope=\"col\">API</th><th scope=\"col\">Status</th>"
                + "<th scope=\"col\">Enabled</th><th scope=\"col\">Request</th></tr></thead><tbody>");
    for (Api a : c.apis()) {
      b.append("<tr><td><a href=\"")
          .append(
              esc(v.orgBase() + "/connections/" + Frame.enc(c.id()) + "/apis/" + Frame.enc(a.id())))
          .append("\">")
          .append(esc(a.name()))
          .append("</a> <code>")
          .append(esc(a.id()))
          .append("</code></td><td>")
          .append(status(a))
          .append("</td><td>")
          .append(a.enabled() ? "yes" : "no")
          .append("</td><td><code>")
          .append(esc(a.request().method()))
          .append(" ")
          .append(esc(a.request().url()))
          .append("</code></td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  /** What "Get Access Token" came to: the token masked, its expiry, the exchange. */
  static String token(Outcome outcome, Map<String, Object> exchange) {
    StringBuilder b =
        new StringBuilder("<section id=\"token-result\" aria-label=\"Access token\">");
    switch (outcome) {
      case Outcome.Success s ->
          b.append(
                  "<div class=\"notice\" role=\"status\" id=\"token-outcome\">A token was issued: <code>")
              .append(esc(String.valueOf(s.data().get("access_token"))))
              .append("</code>, valid until ")
              .append(esc(String.valueOf(s.data().get("expiresAt"))))
              .append(".</div>");
      case Outcome.Failure f ->
          b.append("<div class=\"error\" role=\"alert\" id=\"token-outcome\"><strong>")
              .append(esc(f.code().name()))
              .append("</strong>: ")
              .append(esc(f.message()))
              .append("</div>");
    }
    return b.append(ExchangeView.html(exchange)).append("</section>").toString();
  }

  static String status(Api a) {
    return a.status() == Api.Status.published
        ? "<span class=\"badge ok\">published</span>"
        : "<span class=\"badge draft\">draft</span>";
  }

  /** The worksheets and workflows using the connection's APIs (one API's when apiId is set). */
  static String references(View v, Connection c, String apiId) {
    StringBuilder b = new StringBuilder();
    for (Application app : v.org().bundle().applications()) {
      for (Application.Usage u : app.uses()) {
        if (u.connection().equals(c.id()) && (apiId == null || u.api().equals(apiId))) {
          b.append("<tr><td>")
              .append(esc(app.name()))
              .append("</td><td>")
              .append(esc(u.kind()))
              .append("</td><td>")
              .append(
                  u.link() == null
                      ? esc(u.name())
                      : "<a href=\"" + esc(u.link()) + "\">" + esc(u.name()) + "</a>")
              .append("</td><td>")
              .append(esc(u.element()))
              .append("</td><td><code>")
              .append(esc(u.api()))
              .append("</code></td></tr>");
        }
      }
    }
    return b.isEmpty()
        ? "<p>No worksheet or workflow uses "
            + (apiId == null ? "this connection" : "this API")
            + ".</p>"
        : "<table class=\"references\"><thead><tr><th scope=\"col\">Application</th><th scope=\"col\">"
            + "Kind</th><th scope=\"col\">Name</th><th scope=\"col\">Element</th><th scope=\"col\">API</th>"
            + "</tr></thead><tbody>"
            + b
            + "</tbody></table>";
  }

  /** Auth settings: templates and URLs only, never a value. */
  private static String auth(Auth auth) {
    StringBuilder b = new StringBuilder("<dl class=\"facts\" id=\"auth-settings\">");
    switch (auth) {
      case Auth.None n ->
          fact(
              b, "Kind", "API key or none: a key, if any, is a parameter the APIs' requests place");
      case Auth.Basic basic -> {
        fact(b, "Kind", "HTTP Basic on every request");
        code(b, "Username", basic.username());
        code(b, "Password", basic.password());
      }
      case Auth.ClientCredentials cc -> {
        fact(b, "Kind", "OAuth 2.0 client credentials (token cached and refreshed by Conduit)");
        code(b, "Token URL", cc.method() + " " + cc.tokenUrl());
        code(b, "Parameters (" + cc.parametersIn() + ")", mapText(cc.parameters()));
        if (!cc.headers().isEmpty()) {
          code(b, "Headers", mapText(cc.headers()));
        }
        fact(
            b,
            "Lifetime",
            cc.expiresInSeconds() == null
                ? "from the token response"
                : cc.expiresInSeconds()
                    + " s; refreshed "
                    + cc.refreshBeforeSeconds()
                    + " s before");
      }
      case Auth.AuthorizationCode ac -> {
        fact(b, "Kind", "OAuth 2.0 authorization code: each member's own account");
        code(b, "Authorization URL", ac.authorizationUrl());
        code(b, "Token URL", ac.tokenUrl());
        code(b, "Client id", ac.clientId());
        code(b, "Scopes", String.join(" ", ac.scopes()));
        fact(b, "Client authentication", ac.clientAuthentication());
      }
    }
    return b.append("</dl>").toString();
  }

  private static String mapText(Map<String, String> m) {
    StringBuilder s = new StringBuilder();
    m.forEach((k, val) -> s.append(s.isEmpty() ? "" : ", ").append(k).append('=').append(val));
    return s.toString();
  }

  private static void fact(StringBuilder b, String term, String text) {
    b.append("<dt>").append(esc(term)).append("</dt><dd>").append(esc(text)).append("</dd>");
  }

  private static void code(StringBuilder b, String term, String text) {
    b.append("<dt>")
        .append(esc(term))
        .append("</dt><dd><code>")
        .append(esc(text))
        .append("</code></dd>");
  }
}
