package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.catalog.LibraryIndex;
import dev.conduit.compiler.library.Catalog;
import dev.conduit.runtime.library.PublicLibraryCatalog;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The Library section's pages: browse and search the public library (categories, logos, pages of
 * {@link #PAGE_SIZE}) and an entry's page (its guide, versions, APIs with their inputs and
 * outputs). The install form and its outcome are {@link InstallHtml}'s.
 */
final class LibraryHtml {
  private LibraryHtml() {}

  static final int PAGE_SIZE = 24;

  static String base(View v) {
    return v.orgBase() + "/library";
  }

  static String entryHref(View v, String entry) {
    return base(v) + "/entries/" + Frame.enc(entry);
  }

  /** The entry's logo, served by the console itself; decorative (the name is beside it). */
  static String logo(View v, String entry) {
    return "<img class=\"entry-logo\" alt=\"\" width=\"40\" height=\"40\" src=\""
        + esc(entryHref(v, entry) + "/logo")
        + "\">";
  }

  static String authKind(String type) {
    return switch (type == null ? "" : type) {
      case "none" -> "API key or none";
      case "basic" -> "HTTP Basic";
      case "oauth2-client-credentials" -> "OAuth 2.0 client credentials";
      case "oauth2-authorization-code" -> "OAuth 2.0 authorization code";
      default -> esc(type);
    };
  }

  static String browse(
      View v, PublicLibraryCatalog catalog, String query, String category, int page) {
    PublicLibraryCatalog.Page first = catalog.search(query, category, 1, PAGE_SIZE);
    int pages = Math.max(1, (first.total() + PAGE_SIZE - 1) / PAGE_SIZE);
    int p = Math.max(1, Math.min(page, pages));
    PublicLibraryCatalog.Page found =
        p == 1 ? first : catalog.search(query, category, p, PAGE_SIZE);
    StringBuilder b =
        new StringBuilder("<h1>Library</h1><p class=\"sub\">")
            .append(catalog.size())
            .append(
                " prebuilt connections. Install one as a connection of this organization: it"
                    + " becomes a branch of the repository to review.</p>");
    b.append("<form method=\"get\" role=\"search\" class=\"filters\" action=\"")
        .append(esc(base(v)))
        .append("\"><div><label for=\"q\">Search the library</label><input type=\"search\"")
        .append(" id=\"q\" name=\"q\" value=\"")
        .append(esc(query))
        .append("\"></div><div><label for=\"category\">Category</label>")
        .append("<select id=\"category\" name=\"category\"><option value=\"\">Every category")
        .append("</option>");
    for (String c : catalog.categories()) {
      b.append("<option")
          .append(c.equalsIgnoreCase(category == null ? "" : category.strip()) ? " selected" : "")
          .append(">")
          .append(esc(c))
          .append("</option>");
    }
    b.append("</select></div><div><button type=\"submit\" id=\"search\">Search</button></div>")
        .append("</form><p id=\"found\" role=\"status\">")
        .append(found.total())
        .append(found.total() == 1 ? " entry" : " entries")
        .append(query == null || query.isBlank() ? "" : " matching “" + esc(query) + "”")
        .append(category == null || category.isBlank() ? "" : " in " + esc(category))
        .append(".</p>");
    if (!found.items().isEmpty()) {
      b.append("<ul class=\"entries\" id=\"entries\">");
      for (LibraryIndex.Entry e : found.items()) {
        b.append("<li id=\"entry-")
            .append(esc(e.id()))
            .append("\">")
            .append(logo(v, e.id()))
            .append("<div><a class=\"entry-name\" href=\"")
            .append(esc(entryHref(v, e.id())))
            .append("\">")
            .append(esc(e.name()))
            .append("</a> <span class=\"sub\">")
            .append(esc(e.version()))
            .append(" · ")
            .append(authKind(e.authType()))
            .append(" · ")
            .append(e.apis().size())
            .append(e.apis().size() == 1 ? " API" : " APIs")
            .append("</span><p>")
            .append(esc(e.summary()))
            .append("</p><p class=\"tags\">");
        for (String c : e.categories()) {
          b.append("<a class=\"badge\" href=\"")
              .append(esc(base(v) + "?category=" + Frame.enc(c)))
              .append("\">")
              .append(esc(c))
              .append("</a> ");
        }
        b.append("</p></div></li>");
      }
      b.append("</ul>");
    }
    b.append(
        ConnectionPages.pager(
            base(v) + "?q=" + Frame.enc(query) + "&category=" + Frame.enc(category) + "&page=",
            p,
            pages));
    return Frame.page(v, Frame.Section.LIBRARY, "Library", b.toString());
  }

  /** An entry's page from the packaged index only (the runtime has no library folder). */
  static String indexOnly(View v, LibraryIndex.Entry e) {
    StringBuilder b = head(v, e.id(), e.name(), e.summary(), e.categories());
    b.append("<p>Versions: ").append(esc(String.join(", ", e.versions()))).append("</p>");
    b.append("<h2>APIs</h2><ul>");
    for (LibraryIndex.Api a : e.apis()) {
      b.append("<li>")
          .append(esc(a.name()))
          .append(" <code>")
          .append(esc(a.id()))
          .append("</code></li>");
    }
    b.append("</ul><p id=\"no-library-folder\">The guide, the APIs' inputs and outputs and the")
        .append(" install form need the library's entries on the server: the setting")
        .append(" <code>conduit.library</code> (docs/console.md).</p>");
    return Frame.page(v, Frame.Section.LIBRARY, e.name(), b.toString());
  }

  /** An entry's page: guide, versions, APIs; the install section comes from the caller. */
  static String entry(View v, Catalog.Entry e, String install) {
    StringBuilder b = head(v, e.id(), e.name(), e.summary(), e.categories());
    b.append("<dl class=\"facts\" id=\"entry-facts\"><dt>Version</dt><dd id=\"version\">")
        .append(esc(e.version()))
        .append("</dd><dt>Auth</dt><dd>")
        .append(authKind(e.authKind()))
        .append("</dd><dt>Versions</dt><dd id=\"versions\">");
    for (String version : e.versions().reversed()) {
      b.append(
              version.equals(e.version())
                  ? "<strong>" + esc(version) + "</strong>"
                  : "<a href=\""
                      + esc(entryHref(v, e.id()) + "?version=" + Frame.enc(version))
                      + "\">"
                      + esc(version)
                      + "</a>")
          .append(" ");
    }
    b.append("</dd></dl>");
    b.append(guide(e.guide()));
    b.append("<h2 id=\"apis\">APIs</h2>");
    for (Catalog.Api a : e.apis()) {
      b.append("<section class=\"api\" id=\"api-")
          .append(esc(a.id()))
          .append("\"><h3>")
          .append(esc(a.name()))
          .append(" <code>")
          .append(esc(a.method()))
          .append(" ")
          .append(esc(a.url()))
          .append("</code></h3><p>")
          .append(esc(a.description()))
          .append("</p>")
          .append(fields("Inputs", a.id() + "-inputs", a.definition().path("inputs")))
          .append(fields("Outputs", a.id() + "-outputs", a.definition().path("outputs")))
          .append("</section>");
    }
    if (install != null) {
      b.append(install);
    }
    return Frame.page(v, Frame.Section.LIBRARY, e.name(), b.toString());
  }

  private static StringBuilder head(
      View v, String id, String name, String summary, List<String> categories) {
    StringBuilder b =
        new StringBuilder("<p><a href=\"")
            .append(esc(base(v)))
            .append("\">Library</a></p><h1>")
            .append(logo(v, id))
            .append(esc(name))
            .append(" <code>")
            .append(esc(id))
            .append("</code></h1><p class=\"sub\">")
            .append(esc(summary))
            .append("</p><p class=\"tags\">");
    for (String c : categories) {
      b.append("<a class=\"badge\" href=\"")
          .append(esc(base(v) + "?category=" + Frame.enc(c)))
          .append("\">")
          .append(esc(c))
          .append("</a> ");
    }
    return b.append("</p>");
  }

  /** The guide's sections, as the seed's reviewers require them. */
  private static String guide(JsonNode g) {
    if (g == null || g.isMissingNode() || g.isNull()) {
      return "";
    }
    StringBuilder b = new StringBuilder("<h2>Guide</h2><dl class=\"facts\" id=\"guide\">");
    section(b, "Introduction", g.path("productIntroduction").asString(""), false);
    section(b, "Website", g.path("officialWebsite").asString(""), true);
    section(b, "Overview", g.path("integrationOverview").asString(""), false);
    section(b, "Documentation", g.path("apiDocumentation").asString(""), true);
    section(b, "Contact", g.path("contact").asString(""), false);
    return b.append("</dl>").toString();
  }

  private static void section(StringBuilder b, String label, String text, boolean link) {
    if (text.isBlank()) {
      return;
    }
    b.append("<dt>").append(label).append("</dt><dd>");
    if (link && text.startsWith("https://")) {
      // a link out: no referrer, and never a script URL (only https:// is linked)
      b.append("<a rel=\"noreferrer noopener\" href=\"")
          .append(esc(text))
          .append("\">")
          .append(esc(text))
          .append("</a>");
    } else {
      b.append(esc(text));
    }
    b.append("</dd>");
  }

  /** Inputs or outputs as a table, an object array's fields nested under it. */
  private static String fields(String title, String id, JsonNode list) {
    if (!list.isArray() || list.isEmpty()) {
      return "<p class=\"sub\">" + title + ": none.</p>";
    }
    StringBuilder b =
        new StringBuilder("<table id=\"")
            .append(esc(id))
            .append("\"><caption>")
            .append(title)
            .append("</caption><thead><tr><th scope=\"col\">Alias</th><th scope=\"col\">Name</th>")
            .append("<th scope=\"col\">Type</th><th scope=\"col\">Required</th>")
            .append("<th scope=\"col\">Description</th></tr></thead><tbody>");
    rows(b, list, false);
    return b.append("</tbody></table>").toString();
  }

  private static void rows(StringBuilder b, JsonNode list, boolean nested) {
    for (JsonNode f : list) {
      b.append(nested ? "<tr class=\"sub\">" : "<tr>")
          .append("<td><code>")
          .append(esc(f.path("alias").asString("")))
          .append("</code></td><td>")
          .append(esc(f.path("name").asString("")))
          .append("</td><td>")
          .append(esc(f.path("type").asString("")))
          .append("</td><td>")
          .append(f.path("required").asBoolean(false) ? "yes" : "")
          .append("</td><td>")
          .append(esc(f.path("description").asString("")))
          .append("</td></tr>");
      if (f.path("fields").isArray()) {
        rows(b, f.path("fields"), true);
      }
    }
  }
}
