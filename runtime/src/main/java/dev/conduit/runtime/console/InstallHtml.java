package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.compiler.library.Catalog;
import dev.conduit.runtime.console.changes.ChangeBranches;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Installing a library entry from the console, in two steps: the form (connection id, APIs,
 * parameters; hidden ones as password fields), then a preview (the compiler's validation of the
 * branch-to-be and its {@code conduit diff}) whose confirmation carries the hidden values already
 * sealed, never the plaintext; then the branch made, with a link to review it.
 */
final class InstallHtml {
  private InstallHtml() {}

  /** What was typed (or sealed by the preview), and every problem by field. */
  record Filled(
      String id,
      List<String> apis,
      List<String> grants,
      Map<String, String> visible,
      Map<String, String> sealed,
      Map<String, String> errors) {}

  static String fieldId(String prefix, String name) {
    return prefix + name.replaceAll("[^A-Za-z0-9_-]", "-");
  }

  /**
   * The install section of an entry's page.
   *
   * @param href the entry's page (of the public library or the organization's own)
   */
  static String form(
      View v, Catalog.Entry e, String href, String baseCommit, String repository, Filled f) {
    String action = href + "/install";
    StringBuilder b =
        new StringBuilder("<h2 id=\"install\">Install</h2><p class=\"sub\">A new connection on a")
            .append(" new branch of ")
            .append(esc(repository))
            .append(
                ": checked and shown to you before the branch is made. Hidden values are sealed"
                    + " on the server with the organization's public key. Nothing served changes"
                    + " until the branch is merged.</p>");
    if (f.errors().containsKey("")) {
      b.append("<div class=\"error\" role=\"alert\" id=\"install-error\">")
          .append(esc(f.errors().get("")))
          .append("</div>");
    }
    b.append("<form method=\"post\" id=\"install-form\" action=\"")
        .append(esc(action))
        .append("\">")
        .append(Frame.hidden("csrf", v.csrf()))
        .append(Frame.hidden("base", baseCommit))
        .append(versions(e));
    b.append("<label for=\"install-id\">Connection id</label>")
        .append(
            "<p class=\"sub\" id=\"install-id-hint\">Lower-case letters, digits and hyphens.</p>")
        .append("<input type=\"text\" id=\"install-id\" name=\"id\" required value=\"")
        .append(esc(f.id()))
        .append("\"")
        .append(invalid("install-id", f.errors().get("id")))
        .append(">")
        .append(error("install-id", f.errors().get("id")));
    checkboxes(
        b,
        "api",
        "apis",
        "APIs to enable",
        e.apis().stream().map(a -> new Choice(a.id(), a.name())).toList(),
        f.apis(),
        f.errors().get("apis"));
    grants(v, f, b);
    if (!e.parameters().isEmpty()) {
      b.append("<fieldset><legend>Parameters</legend>");
    }
    for (Catalog.Parameter p : e.parameters()) {
      String id = fieldId("install-param-", p.name());
      String problem = f.errors().get("param." + p.name());
      b.append("<label for=\"")
          .append(id)
          .append("\">")
          .append(esc(p.label() == null ? p.name() : p.label()))
          .append(" <code>")
          .append(esc(p.name()))
          .append("</code>")
          .append(p.required() ? " (required)" : "")
          .append(p.hidden() ? " (hidden: sealed before it is written)" : "")
          .append("</label>");
      if (p.description() != null) {
        b.append("<p class=\"sub\">").append(esc(p.description())).append("</p>");
      }
      if (p.hidden()) {
        b.append("<input type=\"password\" autocomplete=\"new-password\" id=\"")
            .append(id)
            .append("\" name=\"hidden.")
            .append(esc(p.name()))
            .append("\"")
            .append(invalid(id, problem))
            .append(">");
      } else {
        b.append("<input type=\"text\" id=\"")
            .append(id)
            .append("\" name=\"visible.")
            .append(esc(p.name()))
            .append("\" value=\"")
            .append(esc(f.visible().getOrDefault(p.name(), "")))
            .append("\"")
            .append(invalid(id, problem))
            .append(">");
      }
      b.append(error(id, problem));
    }
    if (!e.parameters().isEmpty()) {
      b.append("</fieldset>");
    }
    return b.append("<button type=\"submit\" name=\"step\" value=\"preview\" id=\"preview\">")
        .append("Check and preview</button></form>")
        .toString();
  }

  /**
   * The version to install: every version of the entry, newest first, the page's own selected (the
   * newest unless the page was opened at another). The APIs and parameters checked are the chosen
   * version's: one it lacks is a problem beside its field, on that version's form.
   */
  static String versions(Catalog.Entry e) {
    StringBuilder b =
        new StringBuilder("<label for=\"install-version\">Version</label>")
            .append("<select id=\"install-version\" name=\"version\">");
    for (String version : e.versions().reversed()) {
      b.append("<option")
          .append(version.equals(e.version()) ? " selected" : "")
          .append(">")
          .append(esc(version))
          .append("</option>");
    }
    return b.append("</select>").toString();
  }

  private static String invalid(String id, String problem) {
    return problem == null
        ? ""
        : " aria-invalid=\"true\" aria-describedby=\"" + esc(id) + "-error\"";
  }

  private static String error(String id, String problem) {
    return problem == null
        ? ""
        : "<p class=\"field-error\" id=\"" + esc(id) + "-error\">" + esc(problem) + "</p>";
  }

  /** Which applications get the new connection's APIs (written as its grants.json). */
  private static void grants(View v, Filled f, StringBuilder b) {
    var applications = v.org().bundle().applications();
    if (applications.isEmpty()) {
      return;
    }
    checkboxes(
        b,
        "grant",
        "grants",
        "Applications granted",
        applications.stream().map(a -> new Choice(a.id(), a.name())).toList(),
        f.grants(),
        f.errors().get("grants"));
  }

  /** One box to tick: the value posted and the name shown. */
  private record Choice(String id, String name) {}

  /**
   * A fieldset of checkboxes posted under one name (the APIs to enable, the applications granted),
   * each labelled with its name and id, and the field's problem below them.
   */
  private static void checkboxes(
      StringBuilder b,
      String name,
      String field,
      String legend,
      List<Choice> choices,
      Collection<String> chosen,
      String problem) {
    b.append("<fieldset")
        .append(problem != null ? " aria-describedby=\"" + field + "-error\"" : "")
        .append("><legend>")
        .append(esc(legend))
        .append("</legend>");
    for (Choice c : choices) {
      String id = fieldId("install-" + name + "-", c.id());
      b.append("<div><input type=\"checkbox\" name=\"")
          .append(name)
          .append("\" value=\"")
          .append(esc(c.id()))
          .append("\" id=\"")
          .append(id)
          .append("\"")
          .append(chosen.contains(c.id()) ? " checked" : "")
          .append("> <label class=\"inline\" for=\"")
          .append(id)
          .append("\">")
          .append(esc(c.name()))
          .append(" <code>")
          .append(esc(c.id()))
          .append("</code></label></div>");
    }
    b.append(error(field, problem)).append("</fieldset>");
  }

  /** The preview: validation and diff of the commit to be, and the confirmation form. */
  static String preview(
      View v,
      Catalog.Entry e,
      String href,
      Filled f,
      String baseCommit,
      ChangeBranches.Proposal p) {
    StringBuilder b =
        new StringBuilder("<p><a href=\"")
            .append(esc(href))
            .append("\">")
            .append(esc(e.name()))
            .append("</a></p><h1>Install ")
            .append(esc(e.id() + "@" + e.version()))
            .append(" as <code>")
            .append(esc(f.id()))
            .append("</code>: check</h1><p class=\"sub\">No branch is made yet.</p>")
            .append(ChangePages.validation(p));
    if (!p.valid()) {
      b.append("<p id=\"fix-first\">Fix the problems on the entry's page before a branch is made.")
          .append(" <a href=\"")
          .append(esc(href + "?version=" + Frame.enc(e.version())))
          .append("#install\">Back to the form</a></p>");
      return Frame.page(v, Frame.Section.LIBRARY, "Install: check", b.toString());
    }
    b.append("<form method=\"post\" id=\"confirm-form\" action=\"")
        .append(esc(href + "/install"))
        .append("\">")
        .append(Frame.hidden("csrf", v.csrf()))
        .append(Frame.hidden("base", baseCommit))
        .append(Frame.hidden("version", e.version()))
        .append(Frame.hidden("id", f.id()));
    f.apis().forEach(a -> b.append(Frame.hidden("api", a)));
    f.grants().forEach(a -> b.append(Frame.hidden("grant", a)));
    f.visible().forEach((k, val) -> b.append(Frame.hidden("visible." + k, val)));
    // sealed values only: a ciphertext for the runtime's key, bound to this install
    f.sealed().forEach((k, val) -> b.append(Frame.hidden("sealed." + k, val)));
    b.append("<button type=\"submit\" name=\"step\" value=\"propose\" id=\"make-branch\">")
        .append("Make the branch</button> <a href=\"")
        .append(esc(href))
        .append("\">Cancel</a></form>");
    return Frame.page(v, Frame.Section.LIBRARY, "Install: check", b.toString());
  }
}
