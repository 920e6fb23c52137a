package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.bundle.LibraryEntry;
import dev.conduit.catalog.LibraryIndex;
import dev.conduit.compiler.library.Catalog;
import dev.conduit.runtime.library.OrganizationLibrary;
import dev.conduit.runtime.library.PublicLibraryCatalog;
import java.util.List;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The Library section's pages: browse and search the public library (categories, logos, pages of
 * {@link #PAGE_SIZE}) next to the organization's own library (its entries first, marked as the
 * organization's), and an entry's page (its guide, versions, APIs with their inputs and outputs).
 * The install form and its outcome are {@link InstallHtml}'s.
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

  /** An entry of the organization's own library: its page, and under it its logo and install. */
  static String ownHref(View v, String entry) {
    return base(v) + "/organization/" + Frame.enc(entry);
  }

  /** The entry's logo, served by the console itself; decorative (the name is beside it). */
  static String logo(View v, String entry) {
    return logoAt(entryHref(v, entry));
  }

  private static String logoAt(String entryHref) {
    return "<img class=\"entry-logo\" alt=\"\" width=\"40\" height=\"40\" src=\""
        + esc(entryHref + "/logo")
        + "\">";
  }

  /** The mark of an entry of the organization's own library. */
  static String ownBadge(View v) {
    return "<span class=\"badge own\">"
        + esc(v.org().bundle().organization().name())
        + "'s own</span>";
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
      View v,
      PublicLibraryCatalog catalog,
      OrganizationLibrary own,
      String query,
      String category,
      int page) {
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
    TreeSet<String> categories = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    categories.addAll(catalog.categories());
    categories.addAll(own.categories());
    for (String c : categories) {
      b.append("<option")
          .append(c.equalsIgnoreCase(category == null ? "" : category.strip()) ? " selected" : "")
          .append(">")
          .append(esc(c))
          .append("</option>");
    }
    b.append("</select></div><div><button type=\"submit\" id=\"search\">Search</button></div>")
        .append("</form>");
    if (p == 1) {
      b.append(ownEntries(v, own, query, category));
    }
    b.append(own.isEmpty() ? "" : "<h2 id=\"public-library\">The public library</h2>")
        .append("<p id=\"found\" role=\"status\">")
        .append(found.total())
        .append(found.total() == 1 ? " entry" : " entries")
        .append(query == null || query.isBlank() ? "" : " matching “" + esc(query) + "”")
        .append(category == null || category.isBlank() ? "" : " in " + esc(category))
        .append(".</p>");
    if (!found.items().isEmpty()) {
      b.append("<ul class=\"entries\" id=\"entries\">");
      for (LibraryIndex.Entry e : found.items()) {
        item(v, b, "entry-", entryHref(v, e.id()), e, "");
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

  /**
   * The organization's own entries that match (all of them on one list: an organization's library
   * is small), each marked as the organization's; nothing when the organization has none.
   */
  private static String ownEntries(View v, OrganizationLibrary own, String query, String category) {
    if (own.isEmpty()) {
      return "";
    }
    List<LibraryIndex.Entry> found = own.search(query, category);
    StringBuilder b =
        new StringBuilder("<h2 id=\"own-library\">")
            .append(esc(v.org().bundle().organization().name()))
            .append("'s own library</h2><p id=\"own-found\" role=\"status\">")
            .append(found.size())
            .append(found.size() == 1 ? " entry" : " entries")
            .append(" of the organization's own library (library/ in its repository).</p>");
    if (found.isEmpty()) {
      return b.toString();
    }
    b.append("<ul class=\"entries\" id=\"own-entries\">");
    for (LibraryIndex.Entry e : found) {
      item(v, b, "own-entry-", ownHref(v, e.id()), e, ownBadge(v) + " ");
    }
    return b.append("</ul>").toString();
  }

  /** One entry of a list: logo, name linked to its page, version, auth, APIs, summary, tags. */
  private static void item(
      View v, StringBuilder b, String idPrefix, String href, LibraryIndex.Entry e, String mark) {
    b.append("<li id=\"")
        .append(esc(idPrefix + e.id()))
        .append("\">")
        .append(logoAt(href))
        .append("<div>")
        .append(mark)
        .append("<a class=\"entry-name\" href=\"")
        .append(esc(href))
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

  /**
   * An entry of the organization's own library: what the served bundle has of it (guide,
   * parameters, APIs by name and description) and the install section from the caller.
   */
  static String ownEntry(View v, LibraryEntry e, String install) {
    StringBuilder b =
        head(logoAt(ownHref(v, e.id())), v, e.id(), e.name(), e.summary(), e.categories());
    b.append("<p id=\"own-mark\">")
        .append(ownBadge(v))
        .append(" An entry of this organization's own library: <code>library/")
        .append(esc(e.id()))
        .append("/</code> in its repository.</p>")
        .append("<dl class=\"facts\" id=\"entry-facts\"><dt>Version</dt><dd id=\"version\">")
        .append(esc(e.version()))
        .append("</dd><dt>Auth</dt><dd>")
        .append(authKind(e.authType()))
        .append("</dd>");
    if (e.publisher() != null) {
      b.append("<dt>Publisher</dt><dd>").append(esc(e.publisher())).append("</dd>");
    }
    b.append("</dl>");
    LibraryEntry.Guide g = e.guide();
    if (g != null) {
      b.append(
          guide(
              g.productIntroduction(),
              g.officialWebsite(),
              g.integrationOverview(),
              g.apiDocumentation(),
              g.contact()));
    }
    b.append("<h2 id=\"apis\">APIs</h2><ul id=\"own-apis\">");
    for (LibraryEntry.ApiSummary a : e.apis()) {
      b.append("<li id=\"api-")
          .append(esc(a.id()))
          .append("\"><strong>")
          .append(esc(a.name()))
          .append("</strong> <code>")
          .append(esc(a.id()))
          .append("</code>")
          .append(a.description() == null ? "" : ": " + esc(a.description()))
          .append("</li>");
    }
    b.append("</ul><p class=\"sub\">Their requests, inputs and outputs are in the repository's")
        .append(" <code>library/")
        .append(esc(e.id()))
        .append("/apis/</code>.</p>");
    if (install != null) {
      b.append(install);
    }
    return Frame.page(v, Frame.Section.LIBRARY, e.name(), b.toString());
  }

  /** An entry's page from the packaged index only (the runtime has no library folder). */
  static String indexOnly(View v, LibraryIndex.Entry e) {
    StringBuilder b = head(logo(v, e.id()), v, e.id(), e.name(), e.summary(), e.categories());
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
    StringBuilder b = head(logo(v, e.id()), v, e.id(), e.name(), e.summary(), e.categories());
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
      String logo, View v, String id, String name, String summary, List<String> categories) {
    StringBuilder b =
        new StringBuilder("<p><a href=\"")
            .append(esc(base(v)))
            .append("\">Library</a></p><h1>")
            .append(logo)
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
    return guide(
        g.path("productIntroduction").asString(""),
        g.path("officialWebsite").asString(""),
        g.path("integrationOverview").asString(""),
        g.path("apiDocumentation").asString(""),
        g.path("contact").asString(""));
  }

  private static String guide(
      String introduction, String website, String overview, String documentation, String contact) {
    StringBuilder b = new StringBuilder("<h2>Guide</h2><dl class=\"facts\" id=\"guide\">");
    section(b, "Introduction", introduction, false);
    section(b, "Website", website, true);
    section(b, "Overview", overview, false);
    section(b, "Documentation", documentation, true);
    section(b, "Contact", contact, false);
    return b.append("</dl>").toString();
  }

  private static void section(StringBuilder b, String label, String text, boolean link) {
    if (text == null || text.isBlank()) {
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
