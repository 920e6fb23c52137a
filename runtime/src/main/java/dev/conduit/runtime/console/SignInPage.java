package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.runtime.registry.LoadedOrganization;
import java.util.List;

/** The console's sign-in form and the list of the signed-in person's organizations. */
final class SignInPage {
  private SignInPage() {}

  static String html(String csrf, String error, String next) {
    return Frame.plain(
        "Sign in",
        null,
        "<h1>Sign in to the console</h1><p class=\"sub\">With your Conduit account: the same as"
            + " the accounts pages.</p>"
            + (error == null
                ? ""
                : "<div class=\"error\" role=\"alert\" id=\"sign-in-error\">"
                    + esc(error)
                    + "</div>")
            + "<form method=\"post\" action=\""
            + Frame.BASE
            + "/sign-in\">"
            + Frame.hidden("csrf", csrf)
            + Frame.hidden("next", next)
            + "<label for=\"login\">Account</label><input type=\"text\" id=\"login\" name=\"login\""
            + " autocomplete=\"username\" required maxlength=\"128\" autofocus>"
            + "<label for=\"password\">Password</label><input type=\"password\" id=\"password\""
            + " name=\"password\" autocomplete=\"current-password\" required maxlength=\"1024\">"
            + "<button type=\"submit\" id=\"sign-in\">Sign in</button></form>");
  }

  static String organizations(String login, String csrf, List<LoadedOrganization> orgs) {
    StringBuilder b =
        new StringBuilder(
                "<h1>Your organizations</h1><p class=\"sub\">Signed in as <strong id=\"who\">")
            .append(esc(login))
            .append("</strong>.</p>");
    if (orgs.isEmpty()) {
      b.append(
          "<div class=\"error\" role=\"alert\" id=\"refusal\">You are not a member of any"
              + " organization served here.</div>");
    } else {
      b.append("<ul id=\"organizations\">");
      for (LoadedOrganization o : orgs) {
        b.append("<li><a href=\"")
            .append(esc(Frame.BASE + "/" + Frame.enc(o.id())))
            .append("\">")
            .append(esc(o.bundle().organization().name()))
            .append("</a>")
            .append(o.isAdmin(login) ? " <span class=\"badge\">admin</span>" : "")
            .append("</li>");
      }
      b.append("</ul>");
    }
    return Frame.plain("Your organizations", csrf, b.toString());
  }
}
