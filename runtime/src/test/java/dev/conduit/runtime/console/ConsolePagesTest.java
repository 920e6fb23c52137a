package dev.conduit.runtime.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Member;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.library.OrganizationLibrary;
import dev.conduit.runtime.library.PublicLibraryCatalog;
import dev.conduit.runtime.registry.LoadedOrganization;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's pages rendered from the example organization (no server): what each role is shown,
 * every value escaped, problems beside their fields. The browser tests (ConsoleIT) drive the same
 * pages end to end.
 */
class ConsolePagesTest {

  static LoadedOrganization acme;
  static LoadedOrganization globex;

  @BeforeAll
  static void example() throws Exception {
    acme = loaded(Path.of("..", "connections-repo"), "acme");
    globex = loaded(Path.of("..", "examples", "globex-repo"), "globex");
  }

  private static LoadedOrganization loaded(Path repo, String source) throws Exception {
    Bundle bundle = Fixtures.compile(repo);
    Map<String, Member> members = new LinkedHashMap<>();
    bundle.members().forEach(m -> members.put(m.login(), m));
    return new LoadedOrganization(
        bundle, source, Instant.EPOCH, Map.of(), Map.of(), Map.of(), Map.copyOf(members));
  }

  static View as(String login) {
    return new View(acme, login, "csrf-token");
  }

  private static String browse(LoadedOrganization org, String login, String q, String category) {
    return LibraryHtml.browse(
        new View(org, login, "csrf-token"),
        PublicLibraryCatalog.packaged(),
        OrganizationLibrary.of(org.bundle()),
        q,
        category,
        1);
  }

  @Test
  void theOrganizationsOwnLibraryIsListedMarkedAndSearchedAndNoOtherOrganizationSeesIt() {
    String all = browse(acme, "dave", null, null);
    assertTrue(all.contains("id=\"own-entry-tianyancha\""), all);
    assertTrue(all.contains("<span class=\"badge own\">Acme Trading Co.'s own</span>"), all);
    assertTrue(
        all.contains("href=\"/console/" + acme.id() + "/library/organization/tianyancha\""), all);
    assertTrue(browse(acme, "dave", "shareholders", null).contains("own-entry-tianyancha"));
    assertTrue(browse(acme, "dave", null, "compliance").contains("own-entry-tianyancha"));
    String none = browse(acme, "dave", "weather", null);
    assertTrue(none.contains("id=\"own-found\" role=\"status\">0 entries"), none);
    assertFalse(none.contains("own-entry-tianyancha"));
    // Globex has no library/ of its own: Acme's is not shown there, by any search
    String atGlobex = browse(globex, "carol", "tianyancha", null);
    assertFalse(atGlobex.contains("own-library"), atGlobex);
    assertFalse(atGlobex.contains("/library/organization/"), atGlobex);
    assertTrue(OrganizationLibrary.of(globex.bundle()).entry("tianyancha").isEmpty());
  }

  @Test
  void anEntryOfTheOwnLibraryShowsItsGuideAndApisAndInstallsAtItsOneVersion() {
    var entry = OrganizationLibrary.of(acme.bundle()).entry("tianyancha").orElseThrow();
    String page = LibraryHtml.ownEntry(as("dave"), entry, null);
    assertTrue(page.contains("https://www.tianyancha.com"), "the guide: " + page);
    assertTrue(page.contains("id=\"api-company-shareholders\""), page);
    assertTrue(page.contains("id=\"own-mark\""), page);
    var installable = OrganizationLibrary.installable(entry);
    assertEquals(List.of("1.0.0"), installable.versions());
    assertTrue(installable.parameters().getFirst().hidden());
    String form =
        InstallHtml.form(
            as("alice"),
            installable,
            LibraryHtml.ownHref(as("alice"), "tianyancha"),
            "0123abcd",
            "acme (main)",
            new InstallHtml.Filled(
                "tyc", List.of("search-companies"), List.of(), Map.of(), Map.of(), Map.of()));
    assertTrue(
        form.contains(
            "action=\"/console/" + acme.id() + "/library/organization/tianyancha/install\""),
        form);
  }

  @Test
  void theInstallFormOffersEveryVersionNewestFirstThePagesSelected() {
    var entry =
        OrganizationLibrary.installable(
            OrganizationLibrary.of(acme.bundle()).entry("tianyancha").orElseThrow());
    var twoVersions =
        new dev.conduit.compiler.library.Catalog.Entry(
            entry.id(),
            "1.0.0",
            List.of("1.0.0", "1.1.0"),
            entry.name(),
            entry.summary(),
            entry.categories(),
            entry.authKind(),
            entry.parameters(),
            entry.apis(),
            null,
            null,
            null);
    assertEquals(
        "<label for=\"install-version\">Version</label><select id=\"install-version\""
            + " name=\"version\"><option>1.1.0</option><option selected>1.0.0</option></select>",
        InstallHtml.versions(twoVersions));
  }

  @Test
  void anOlderVersionAskedForByHandIsADowngradeToConfirmNamingBothVersions() {
    var entry =
        OrganizationLibrary.installable(
            OrganizationLibrary.of(acme.bundle()).entry("tianyancha").orElseThrow());
    var installed = at(entry, "1.1.0");
    var older = at(entry, "1.0.0");
    assertTrue(dev.conduit.compiler.library.Upgrade.downgrade(older, installed).isEmpty());
    String why = dev.conduit.compiler.library.Upgrade.downgrade(installed, older).orElseThrow();
    assertEquals("tianyancha@1.0.0 is older than the installed 1.1.0: that is a downgrade", why);

    String page =
        UpgradeHtml.confirmDowngrade(
            as("alice"), acme.bundle().connection("demo").orElseThrow(), "1.0.0", why);
    assertTrue(page.contains("id=\"downgrade-refused\">" + why), page);
    assertTrue(page.contains("<form method=\"get\" id=\"downgrade-form\""), page);
    assertTrue(page.contains(Frame.hidden("to", "1.0.0")), page);
    assertTrue(page.contains(Frame.hidden(UpgradeHtml.DOWNGRADE, "yes")), page);
    assertFalse(page.contains("make-branch"), "nothing to propose before the confirmation");
    assertTrue(UpgradeHtml.asked("yes"));
    assertFalse(UpgradeHtml.asked(null));
  }

  private static dev.conduit.compiler.library.Catalog.Entry at(
      dev.conduit.compiler.library.Catalog.Entry e, String version) {
    return new dev.conduit.compiler.library.Catalog.Entry(
        e.id(),
        version,
        List.of("1.0.0", "1.1.0"),
        e.name(),
        e.summary(),
        e.categories(),
        e.authKind(),
        e.parameters(),
        e.apis(),
        null,
        null,
        null);
  }

  @Test
  void theUpgradeOffersEveryNewerVersionNewestFirst() {
    assertEquals(
        List.of("1.10.0", "1.2.0", "1.1.0"),
        UpgradeHtml.newerThan(List.of("0.9.0", "1.0.0", "1.1.0", "1.2.0", "1.10.0"), "1.0.0"));
    assertEquals(List.of(), UpgradeHtml.newerThan(List.of("1.0.0"), "1.0.0"));
  }

  @Test
  void anOwnerAskingForAnotherOwnersLogsIsToldBesideTheConnectionField() {
    View bob = as("bob");
    LogPages.Filters f = LogPages.Filters.read(bob, "demo", null, null, "5x", null, null, 1);
    assertEquals(List.of("connection", "status"), List.copyOf(f.problems().keySet()));
    String page = LogPages.list(bob, f, List.of(), List.of(), 0);
    assertTrue(page.contains("id=\"connection-error\">only the owner of demo"), page);
    assertTrue(page.contains("aria-describedby=\"connection-error\""), page);
    assertTrue(page.contains("id=\"status-error\""), page);
    assertFalse(page.contains("<option value=\"demo\""), "only bob's connections are offered");
  }

  @Test
  void anOwnerWithoutAChoiceReadsTheirFirstConnection() {
    LogPages.Filters f = LogPages.Filters.read(as("bob"), null, null, null, null, null, null, 1);
    assertEquals("openweather", f.connection());
    assertTrue(f.problems().isEmpty());
  }

  @Test
  void aMemberSeesParameterNamesButNoValuesAndHiddenOnesMasked() {
    var demo = acme.bundle().connection("demo").orElseThrow();
    String forBob = ConnectionPages.connection(as("bob"), demo, null);
    assertFalse(forBob.contains("demo-client<"), "a visible value is for the owner and admins");
    assertTrue(forBob.contains("••••••"));
    assertFalse(forBob.contains("sealed:v"), "not even the ciphertext");
    assertFalse(forBob.contains("get-token"));
    String forAlice = ConnectionPages.connection(as("alice"), demo, null);
    assertTrue(forAlice.contains("<code>demo-client</code>"), forAlice);
    assertTrue(forAlice.contains("id=\"get-token\""));
  }

  @Test
  void theHighlighterEscapesAndMarksTemplates() {
    String html =
        Highlighter.html(
            "{\"a\": \"{{input.x}}<b>\", \"n\": 12, \"t\": true}", Highlighter.Language.JSON);
    assertTrue(html.contains("<span class=\"hl-t\">{{input.x}}</span>&lt;b&gt;"), html);
    assertTrue(html.contains("<span class=\"hl-n\">12</span>"), html);
    assertTrue(html.contains("<span class=\"hl-k\">true</span>"), html);
    String js = Highlighter.html("// x < y\nreturn '<a>';", Highlighter.Language.JAVASCRIPT);
    assertEquals(
        "<span class=\"hl-c\">// x &lt; y</span>\n<span class=\"hl-k\">return</span> "
            + "<span class=\"hl-s\">&#39;&lt;a&gt;&#39;</span>;",
        js);
  }
}
