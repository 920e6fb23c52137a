package dev.conduit.runtime.web.accounts;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.runtime.accounts.Account;
import dev.conduit.runtime.web.identity.Pages;
import java.util.List;
import java.util.Map;

/**
 * The people's pages of accounts: sign in, "connect an account", "my accounts", and the callback's
 * result. Server-rendered with the sign-in pages' frame (no external assets, every value escaped,
 * labels on every field, keyboard order = reading order); every form carries the session's CSRF
 * token.
 */
final class AccountPages {
  private AccountPages() {}

  static String signIn(String action, String csrf, String error, String connectionName) {
    return signInForm(
        "to manage your accounts of <strong>" + esc(connectionName) + "</strong>.",
        action,
        csrf,
        Map.of(),
        error);
  }

  /**
   * The callback's sign-in, in a browser not signed in to Conduit: a connect is finished only for
   * the member who started it, so they sign in first; the provider's answer (code and state, or
   * error) rides along in the form, nothing of it is used before.
   */
  static String finishSignIn(
      String action, String csrf, Map<String, String> providerAnswer, String error) {
    return signInForm(
        "to finish connecting your account: it is connected for the member who started, signed in"
            + " here.",
        action,
        csrf,
        providerAnswer,
        error);
  }

  private static String signInForm(
      String intro, String action, String csrf, Map<String, String> carried, String error) {
    StringBuilder kept = new StringBuilder();
    carried.forEach((name, value) -> kept.append(hidden(name, value)));
    return Pages.page(
        "Sign in",
        "<h1>Sign in</h1><p class=\"sub\">"
            + intro
            + "</p>"
            + alert(error)
            + "<form method=\"post\" action=\""
            + esc(action)
            + "\">"
            + hidden("csrf", csrf)
            + kept
            + "<label for=\"login\">Account</label><input type=\"text\" id=\"login\" name=\"login\" autocomplete=\"username\""
            + " required maxlength=\"128\" autofocus>"
            + "<label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\""
            + " autocomplete=\"current-password\" required maxlength=\"1024\">"
            + "<button type=\"submit\" id=\"sign-in\">Sign in</button></form>");
  }

  static String connect(
      String base,
      String csrf,
      String connectionName,
      String login,
      List<String> grantedApps,
      boolean nameFromProvider,
      String redirectUri) {
    StringBuilder apps = new StringBuilder();
    for (String app : grantedApps) {
      apps.append("<div><input type=\"checkbox\" name=\"applications\" value=\"")
          .append(esc(app))
          .append("\" id=\"app-")
          .append(esc(app))
          .append("\"> <label style=\"display:inline;font-weight:400\" for=\"app-")
          .append(esc(app))
          .append("\">")
          .append(esc(app))
          .append("</label></div>");
    }
    return Pages.page(
        "Connect an account",
        "<h1>Connect an account</h1><p class=\"sub\">of <strong>"
            + esc(connectionName)
            + "</strong>, as <strong>"
            + esc(login)
            + "</strong>.</p>"
            + "<p>You will sign in at the provider and allow access; your tokens are kept encrypted by Conduit.</p>"
            + "<form method=\"post\" action=\""
            + esc(base)
            + "/connect\">"
            + hidden("csrf", csrf)
            + "<label for=\"name\">Account name"
            + (nameFromProvider ? " (optional: the provider's name is used)" : "")
            + "</label><input type=\"text\" id=\"name\" name=\"name\" maxlength=\"200\" autofocus>"
            + "<fieldset style=\"border:0;padding:0;margin:1rem 0 0\"><legend style=\"font-weight:600\">Applications that may"
            + " use it</legend>"
            + (grantedApps.isEmpty() ? "<p>No application is granted this connection.</p>" : apps)
            + "</fieldset><button type=\"submit\" id=\"connect\">Connect</button></form>"
            + "<p class=\"sub\" style=\"margin-top:1.5rem\">Redirect URI registered at the provider: <code>"
            + esc(redirectUri)
            + "</code></p><p><a href=\""
            + esc(base)
            + "\">My accounts</a></p>");
  }

  static String list(
      String base,
      String csrf,
      String connectionName,
      String login,
      List<Account> accounts,
      List<String> grantedApps,
      String notice) {
    StringBuilder rows = new StringBuilder();
    for (Account a : accounts) {
      String at = esc(base) + "/" + esc(a.id());
      boolean own = a.member().equals(login);
      rows.append("<section class=\"account\" id=\"account-")
          .append(esc(a.id()))
          .append("\" style=\"border-top:1px solid")
          .append(" #dde3e9;padding:.75rem 0\"><h2 style=\"font-size:1.1rem;margin:0\">")
          .append(esc(a.name()))
          .append("</h2><p class=\"sub\" style=\"margin:0\">")
          .append(esc(a.member()))
          .append(" · <span class=\"state\">")
          .append(a.state() == Account.State.ACTIVE ? "active" : "needs re-authorization")
          .append("</span>")
          .append(a.expiresAt() == null ? "" : " · token until " + esc(a.expiresAt().toString()))
          .append(" · id <code>")
          .append(esc(a.id()))
          .append("</code></p>");
      if (own) {
        rows.append("<form method=\"post\" action=\"")
            .append(at)
            .append("/rename\">")
            .append(hidden("csrf", csrf))
            .append("<label for=\"name-")
            .append(esc(a.id()))
            .append("\">Name</label><input type=\"text\" name=\"name\" id=\"name-")
            .append(esc(a.id()))
            .append("\" required maxlength=\"200\" value=\"")
            .append(esc(a.name()))
            .append("\">")
            .append("<button type=\"submit\" class=\"secondary\">Rename</button></form>");
        rows.append("<form method=\"post\" action=\"")
            .append(at)
            .append("/applications\">")
            .append(hidden("csrf", csrf))
            .append(
                "<fieldset style=\"border:0;padding:0;margin:.5rem 0 0\"><legend style=\"font-weight:600\">")
            .append("Applications that may use it</legend>");
        for (String app : grantedApps) {
          String id = esc(a.id()) + "-" + esc(app);
          rows.append("<div><input type=\"checkbox\" name=\"applications\" value=\"")
              .append(esc(app))
              .append("\" id=\"")
              .append(id)
              .append("\"")
              .append(a.allows(app) ? " checked" : "")
              .append("> <label style=\"display:inline;")
              .append("font-weight:400\" for=\"")
              .append(id)
              .append("\">")
              .append(esc(app))
              .append("</label></div>");
        }
        rows.append(
            "</fieldset><button type=\"submit\" class=\"secondary\">Save applications</button></form>");
      }
      rows.append("<form method=\"post\" action=\"")
          .append(at)
          .append("/refresh\" style=\"display:inline\">")
          .append(hidden("csrf", csrf))
          .append("<button type=\"submit\" class=\"secondary\">Refresh now</button></form>");
      if (own) {
        rows.append("<form method=\"post\" action=\"")
            .append(at)
            .append("/reauthorize\" style=\"display:inline\">")
            .append(hidden("csrf", csrf))
            .append("<button type=\"submit\" class=\"secondary\">Re-authorize</button></form>");
      }
      rows.append("<form method=\"post\" action=\"")
          .append(at)
          .append("/remove\" style=\"display:inline\">")
          .append(hidden("csrf", csrf))
          .append("<button type=\"submit\" class=\"secondary\">Remove</button></form></section>");
    }
    return Pages.page(
        "My accounts",
        "<h1>My accounts</h1><p class=\"sub\">of <strong>"
            + esc(connectionName)
            + "</strong>, signed in as <strong>"
            + esc(login)
            + "</strong>.</p>"
            + (notice == null
                ? ""
                : "<div class=\"notice\" role=\"status\" style=\"background:#e8f4ea;border:1px solid"
                    + " #b5dbbd;padding:.6rem .8rem;border-radius:6px;margin-bottom:1rem\">"
                    + esc(notice)
                    + "</div>")
            + (accounts.isEmpty() ? "<p id=\"none\">No accounts yet.</p>" : rows)
            + "<p><a id=\"connect-link\" href=\""
            + esc(base)
            + "/connect\">Connect an account</a></p>");
  }

  static String result(String title, String message, String link) {
    return Pages.page(
        title,
        "<h1>"
            + esc(title)
            + "</h1><div class=\""
            + (link == null ? "error" : "notice")
            + "\" role=\"alert\">"
            + esc(message)
            + "</div>"
            + (link == null
                ? ""
                : "<p><a id=\"accounts-link\" href=\"" + esc(link) + "\">My accounts</a></p>"));
  }

  static String error(String message) {
    return Pages.page("Cannot continue", "<h1>This cannot continue</h1>" + alert(message));
  }

  private static String alert(String error) {
    return error == null ? "" : "<div class=\"error\" role=\"alert\">" + esc(error) + "</div>";
  }

  private static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\"" + esc(name) + "\" value=\"" + esc(value) + "\">";
  }
}
