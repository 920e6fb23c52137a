package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The console's page frame: a skip link, the header with the organization's sections and the
 * signed-in person, and the main region. Every page is one server-rendered document; the only other
 * request is the style sheet, served by the runtime, so the security policy allows nothing from
 * elsewhere and no script at all.
 */
final class Frame {
  private Frame() {}

  static final String BASE = "/console";

  /** The sections of an organization, in the header's order. */
  enum Section {
    CONNECTIONS("Connections", ""),
    LOGS("Request logs", "/logs"),
    ALERTS("Alerts", "/alerts"),
    LIBRARY("Library", "/library"),
    DEPLOYMENTS("Deployments", "/deployments");

    final String label;
    final String path;

    Section(String label, String path) {
      this.label = label;
      this.path = path;
    }
  }

  /** A page inside an organization, with the header. */
  static String page(View v, Section current, String title, String body) {
    StringBuilder nav = new StringBuilder("<nav aria-label=\"Console\"><ul>");
    for (Section s : Section.values()) {
      nav.append("<li><a href=\"")
          .append(esc(v.orgBase() + s.path))
          .append("\"")
          .append(s == current ? " aria-current=\"page\"" : "")
          .append(">")
          .append(s.label)
          .append("</a></li>");
    }
    nav.append("</ul></nav>");
    String header =
        "<header class=\"top\"><a class=\"brand\" href=\""
            + BASE
            + "\">Conduit</a><span>"
            + esc(v.org().bundle().organization().name())
            + "</span>"
            + nav
            + "<span class=\"who\">Signed in as <strong id=\"who\">"
            + esc(v.login())
            + "</strong> (<span id=\"role\">"
            + esc(v.roleLabel())
            + "</span>)</span>"
            + signOut(v.csrf())
            + "</header>";
    return document(title, header, "<main id=\"main\" tabindex=\"-1\">" + body + "</main>");
  }

  /** A page outside an organization: sign-in, the list of organizations, errors. */
  static String plain(String title, String csrf, String body) {
    String header =
        "<header class=\"top\"><a class=\"brand\" href=\""
            + BASE
            + "\">Conduit</a>"
            + (csrf == null ? "" : "<span class=\"who\"></span>" + signOut(csrf))
            + "</header>";
    return document(
        title, header, "<main id=\"main\" class=\"narrow\" tabindex=\"-1\">" + body + "</main>");
  }

  private static String signOut(String csrf) {
    return "<form method=\"post\" action=\""
        + BASE
        + "/sign-out\">"
        + hidden("csrf", csrf)
        + "<button type=\"submit\" id=\"sign-out\">Sign out</button></form>";
  }

  private static String document(String title, String header, String main) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>"
        + esc(title)
        + " · Conduit console</title><link rel=\"stylesheet\" href=\""
        + BASE
        + "/assets/console.css\"></head><body><a class=\"skip\" href=\"#main\">Skip to content</a>"
        + header
        + main
        + "</body></html>";
  }

  static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\"" + esc(name) + "\" value=\"" + esc(value) + "\">";
  }

  static String enc(String s) {
    return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static Response html(int status, String page) {
    return Response.status(status)
        .type("text/html; charset=utf-8")
        .entity(page)
        .header("Cache-Control", "no-store")
        .header("X-Frame-Options", "DENY")
        .header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                + "frame-ancestors 'none'; base-uri 'none'")
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .build();
  }

  static Response seeOther(String path) {
    return Response.status(303)
        .header("Location", path)
        .header("Cache-Control", "no-store")
        .build();
  }
}
