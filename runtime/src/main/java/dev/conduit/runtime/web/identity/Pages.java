package dev.conduit.runtime.web.identity;

import dev.conduit.runtime.identity.IdentityProvider.AuthorizeRequest;

/**
 * The sign-in, consent and error pages: server-rendered, no external assets, every value escaped,
 * usable with a keyboard (labels, focus order, visible focus).
 */
public final class Pages {
  private Pages() {}

  private static final String STYLE =
      """
      body{font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f4f6f8;color:#1b2733;margin:0}
      main{max-width:26rem;margin:8vh auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 2px 12px rgba(0,0,0,.08)}
      h1{font-size:1.35rem;margin:0 0 .25rem} p.sub{color:#5b6b7b;margin:0 0 1.5rem}
      label{display:block;font-weight:600;margin:1rem 0 .25rem} input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.6rem;border:1px solid #b8c4d0;border-radius:6px;font:inherit}
      button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #1f5fbf;background:#1f5fbf;color:#fff;cursor:pointer;margin:1.25rem .5rem 0 0}
      button.secondary{background:#fff;color:#1f5fbf} :focus-visible{outline:3px solid #f0a500;outline-offset:2px}
      .error{background:#fdecea;border:1px solid #f5c2bd;color:#8a1c12;padding:.6rem .8rem;border-radius:6px;margin-bottom:1rem}
      ul.scopes{padding-left:1.2rem} code{background:#eef2f6;padding:0 .25rem;border-radius:4px}
      """;

  public static String page(String title, String body) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>"
        + esc(title)
        + " · Conduit</title><style>"
        + STYLE
        + "</style></head>"
        + "<body><main>"
        + body
        + "</main></body></html>";
  }

  static String login(AuthorizeRequest r, String flow, String csrf, String error, String login) {
    return page(
        "Sign in",
        "<h1>Sign in to "
            + esc(r.organizationName())
            + "</h1>"
            + "<p class=\"sub\"><strong>"
            + esc(r.client().name())
            + "</strong> asks you to sign in with your account.</p>"
            + (error == null ? "" : "<div class=\"error\" role=\"alert\">" + esc(error) + "</div>")
            + "<form method=\"post\" action=\"/api/oauth2/authorize/login\">"
            + hidden("flow", flow)
            + hidden("csrf", csrf)
            + "<label for=\"login\">Account</label><input type=\"text\" id=\"login\" name=\"login\" autocomplete=\"username\""
            + " required maxlength=\"128\" value=\""
            + esc(login == null ? "" : login)
            + "\""
            + (login == null ? " autofocus" : "")
            + ">"
            + "<label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\""
            + " autocomplete=\"current-password\" required maxlength=\"1024\""
            + (login == null ? "" : " autofocus")
            + ">"
            + "<button type=\"submit\" id=\"sign-in\">Sign in</button></form>");
  }

  static String consent(AuthorizeRequest r, String flow, String csrf, String login) {
    return page(
        "Allow access",
        "<h1>Allow "
            + esc(r.client().name())
            + "?</h1>"
            + "<p class=\"sub\">Signed in to "
            + esc(r.organizationName())
            + " as <strong>"
            + esc(login)
            + "</strong>.</p>"
            + (r.client().description() == null
                ? ""
                : "<p>" + esc(r.client().description()) + "</p>")
            + "<p><strong>"
            + esc(r.client().name())
            + "</strong> will be able to read your profile in "
            + esc(r.organizationName())
            + ":</p><ul class=\"scopes\"><li>your name and account and user ids</li>"
            + "<li>email, mobile phone and work phone</li><li>department, position, job number and work location</li></ul>"
            + "<p>It will be sent back to <code>"
            + esc(r.redirectUri())
            + "</code>.</p>"
            + "<form method=\"post\" action=\"/api/oauth2/authorize/consent\">"
            + hidden("flow", flow)
            + hidden("csrf", csrf)
            + "<button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\" autofocus>Allow</button>"
            + "<button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\" class=\"secondary\">Deny</button></form>");
  }

  static String error(String message) {
    return page(
        "Cannot continue",
        "<h1>This sign-in request cannot continue</h1>"
            + "<div class=\"error\" role=\"alert\">"
            + esc(message)
            + "</div>"
            + "<p>Go back to the application and try again. If it keeps happening, tell its administrator.</p>");
  }

  private static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + esc(value) + "\">";
  }

  public static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
