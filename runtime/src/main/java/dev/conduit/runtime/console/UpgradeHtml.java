package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.bundle.Connection;
import dev.conduit.compiler.library.PublicLibrary;
import dev.conduit.compiler.library.Versions;
import dev.conduit.runtime.console.changes.ChangeBranches;
import dev.conduit.runtime.console.changes.LibraryUpgrade;
import dev.conduit.runtime.library.LibraryFolder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An install's upgrade: the three sides of the merge (what the new version changes from the
 * installed one, what this organization changed locally and keeps, and the conflicts), then the
 * compiler's validation and the {@code conduit diff} of the commit to be, and "Make the branch".
 * Also the "update available" note of the connections list and a connection's page.
 */
final class UpgradeHtml {
  private UpgradeHtml() {}

  /** The field (query or form) by which a person confirms a downgrade; its value is {@code yes}. */
  static final String DOWNGRADE = "downgrade";

  /** Whether the field's value confirms the downgrade. */
  static boolean asked(String value) {
    return "yes".equals(value);
  }

  /**
   * A version older than the installed one, asked for by hand ({@code ?to=}): why it is refused,
   * naming both versions, and the one button that asks for the downgrade explicitly (its three-way
   * diff then, as an upgrade's).
   */
  static String confirmDowngrade(View v, Connection c, String target, String why) {
    String action = LibraryHtml.base(v) + "/upgrades/" + Frame.enc(c.id());
    String body =
        "<p><a href=\""
            + esc(v.orgBase() + "/connections/" + Frame.enc(c.id()))
            + "\">"
            + esc(c.name())
            + "</a></p><h1>Downgrade <code>"
            + esc(c.id())
            + "</code>?</h1><div class=\"error\" role=\"alert\" id=\"downgrade-refused\">"
            + esc(why)
            + ". Nothing is proposed unless you ask for the downgrade.</div>"
            + "<form method=\"get\" id=\"downgrade-form\" action=\""
            + esc(action)
            + "\">"
            + Frame.hidden("to", target)
            + Frame.hidden(DOWNGRADE, "yes")
            + "<button type=\"submit\" id=\"confirm-downgrade\">Show the downgrade to "
            + esc(target)
            + "</button></form>";
    return Frame.page(v, Frame.Section.LIBRARY, "Downgrade " + c.id() + "?", body);
  }

  /** The newest version of the entry a connection is installed from, when it is newer. */
  static Optional<String> newer(Connection c) {
    if (c.installedFrom() == null || !"public".equals(c.installedFrom().library())) {
      return Optional.empty();
    }
    Optional<PublicLibrary> library = LibraryFolder.configured();
    if (library.isEmpty()) {
      return Optional.empty();
    }
    return library
        .get()
        .latest(c.installedFrom().entry())
        .filter(
            latest ->
                c.installedFrom().version() != null
                    && Versions.ORDER.compare(latest, c.installedFrom().version()) > 0);
  }

  /** "update available" linked to the upgrade page, for its owner and admins; else nothing. */
  static String note(View v, Connection c) {
    return newer(c)
        .map(
            latest ->
                " <span class=\"badge draft\" id=\"update-"
                    + esc(c.id())
                    + "\">update available: "
                    + esc(latest)
                    + "</span>"
                    + (v.mayManage(c.id())
                        ? " <a href=\""
                            + esc(
                                LibraryHtml.base(v)
                                    + "/upgrades/"
                                    + Frame.enc(c.id())
                                    + "?to="
                                    + Frame.enc(latest))
                            + "\">Upgrade</a>"
                        : ""))
        .orElse("");
  }

  /**
   * The versions an install at {@code installed} may be upgraded to: the newer ones, newest first.
   */
  static List<String> newerThan(List<String> versions, String installed) {
    return versions.stream()
        .filter(x -> Versions.ORDER.compare(x, installed) > 0)
        .sorted(Versions.ORDER.reversed())
        .toList();
  }

  /**
   * Which version to upgrade to: every newer one than the installed, the page's selected; a plain
   * GET form, so choosing one and "Show" loads its three-way diff (keyboard and no script).
   */
  static String picker(View v, Connection c, List<String> versions, String target) {
    List<String> offered = new ArrayList<>(newerThan(versions, c.installedFrom().version()));
    if (!offered.contains(target)) {
      offered.add(target); // asked for by hand (?to=): shown, not hidden
    }
    StringBuilder b =
        new StringBuilder("<form method=\"get\" class=\"filters\" id=\"pick-version\" action=\"")
            .append(esc(LibraryHtml.base(v) + "/upgrades/" + Frame.enc(c.id())))
            .append("\"><div><label for=\"upgrade-to\">Version to upgrade to</label>")
            .append("<select id=\"upgrade-to\" name=\"to\">");
    for (String version : offered) {
      b.append("<option")
          .append(version.equals(target) ? " selected" : "")
          .append(">")
          .append(esc(version))
          .append("</option>");
    }
    return b.append("</select></div><div><button type=\"submit\" id=\"show-version\">")
        .append("Show this version</button></div></form>")
        .toString();
  }

  /**
   * @param versions every version of the entry in the library folder (for the picker)
   */
  static String page(
      View v,
      Connection c,
      List<String> versions,
      LibraryUpgrade up,
      ChangeBranches.Proposal preview,
      String refusal,
      String baseCommit) {
    var r = up.result();
    String from = c.installedFrom().entry() + "@" + c.installedFrom().version();
    StringBuilder b =
        new StringBuilder("<p><a href=\"")
            .append(esc(v.orgBase() + "/connections/" + Frame.enc(c.id())))
            .append("\">")
            .append(esc(c.name()))
            .append(up.downgrade() ? "</a></p><h1>Downgrade <code>" : "</a></p><h1>Upgrade <code>")
            .append(esc(c.id()))
            .append("</code></h1><p class=\"sub\">From ")
            .append(esc(from))
            .append(" to <strong id=\"target\">")
            .append(esc(up.targetVersion()))
            .append("</strong>: a three-way merge, as <code>conduit library upgrade</code>.</p>")
            .append(picker(v, c, versions, up.targetVersion()));
    b.append("<div class=\"three-way\">")
        .append(
            side(
                "theirs",
                "What " + up.targetVersion() + " changes from " + c.installedFrom().version(),
                r.diff(),
                "No change to parameters or APIs."))
        .append(
            side(
                "ours",
                "Local changes (kept)",
                up.localChanges(),
                "None: the connection is as installed."))
        .append(side("conflicts", "Conflicts", r.conflicts(), "None."))
        .append("</div>");
    if (!r.toFill().isEmpty()) {
      b.append(
              "<p id=\"to-fill\">New required parameters, added empty: fill them after the merge: ")
          .append(esc(String.join(", ", r.toFill())))
          .append(".</p>");
    }
    if (refusal != null) {
      b.append("<div class=\"error\" role=\"alert\" id=\"upgrade-refused\">")
          .append(esc(refusal))
          .append(" Resolve the conflicts on a branch of your own, then open this page again.")
          .append("</div>");
    }
    if (preview != null) {
      b.append(ChangePages.validation(preview));
      b.append("<form method=\"post\" id=\"upgrade-form\" action=\"")
          .append(esc(LibraryHtml.base(v) + "/upgrades/" + Frame.enc(c.id())))
          .append("\">")
          .append(Frame.hidden("csrf", v.csrf()))
          .append(Frame.hidden("base", baseCommit))
          .append(Frame.hidden("to", up.targetVersion()))
          .append(up.downgrade() ? Frame.hidden(DOWNGRADE, "yes") : "")
          .append("<button type=\"submit\" id=\"make-branch\">Make the branch</button></form>");
    }
    return Frame.page(
        v,
        Frame.Section.LIBRARY,
        (up.downgrade() ? "Downgrade " : "Upgrade ") + c.id(),
        b.toString());
  }

  private static String side(String id, String title, List<String> lines, String none) {
    StringBuilder b =
        new StringBuilder("<section aria-labelledby=\"")
            .append(id)
            .append("-title\" id=\"")
            .append(id)
            .append("\"><h2 id=\"")
            .append(id)
            .append("-title\">")
            .append(esc(title))
            .append("</h2>");
    if (lines.isEmpty()) {
      return b.append("<p>").append(esc(none)).append("</p></section>").toString();
    }
    b.append("<ul>");
    lines.forEach(l -> b.append("<li>").append(esc(l)).append("</li>"));
    return b.append("</ul></section>").toString();
  }
}
