package it.dev.conduit.runtime;

import static it.dev.conduit.runtime.ConsoleRepos.INITECH;
import static it.dev.conduit.runtime.ItSupport.ACME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The console's Library and Deployments sections in headless Chromium: a member browses and
 * searches (categories, logos, pages) but cannot install, even by posting the form; an outsider is
 * refused; an owner and an admin install an entry, see every problem beside its field, then the
 * branch's validation and conduit diff before the branch is made on the real remote, with the
 * hidden value only sealed; an admin upgrades an install of Initech (an organization served from
 * Git) through the three-way diff; an admin reads the deployments, a refused commit's diagnostics,
 * pins an earlier commit and unpins; a member is refused there. The organization's own library is
 * listed, searched and shown to its members only (an outsider and a member of another organization
 * never see it) and an owner installs from it; versions are picked by keyboard; an install or
 * upgrade that changes nothing says "No changes". Writes the screenshots of docs/console.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleLibraryIT {

  @AutoClose static ConsoleBrowser b; // closed after the class's last test
  static final Path IT = Path.of(System.getProperty("it.dir", "target/it"));

  @BeforeAll
  static void start() throws Exception {
    b = ConsoleBrowser.startWhenReady();
  }

  @Test
  @Order(1)
  void aMemberBrowsesAndSearchesButCannotInstallEvenByPostingTheForm() throws Exception {
    // every member of Acme owns a connection: dave owns nothing in Initech
    b.signIn("dave", "/console/" + INITECH + "/library");
    b.waitUntilServed("/console/" + INITECH + "/library");
    int entries =
        tools.jackson.databind.json.JsonMapper.builder()
            .build()
            .readTree(Files.readString(Path.of("..", "library", "index.json")))
            .get("entries")
            .size();
    assertTrue(
        b.text("found").startsWith(entries + " entries"),
        "every entry of library/index.json: " + b.text("found"));
    assertEquals(24, entries().size(), "a page of 24");
    assertTrue(b.exists("next-page"));
    b.everyFieldLabelled();
    Object logoWidth =
        b.script("return document.querySelector('#entries img.entry-logo').naturalWidth;");
    assertTrue(((Number) logoWidth).intValue() > 0, "the logo is served by the console");
    b.shoot("library");

    b.driver.findElement(By.id("q")).sendKeys("tianyancha");
    b.click("search");
    b.waitFor(d -> entries().equals(List.of("entry-tianyancha")));
    b.open("/console/" + INITECH + "/library?category=Messaging");
    assertFalse(entries().isEmpty());
    assertTrue(b.text("found").contains("in Messaging"), b.text("found"));

    b.open("/console/" + INITECH + "/library/entries/tianyancha");
    assertTrue(b.text("guide").contains("https://www.tianyancha.com"), b.text("guide"));
    assertTrue(b.text("versions").contains("1.1.0") && b.text("versions").contains("1.0.0"));
    assertTrue(b.text("search-companies-inputs").contains("word"));
    assertTrue(b.text("search-companies-outputs").contains("credit_code"));
    assertTrue(b.exists("install-not-allowed"));
    assertFalse(b.exists("install-form"));

    // the form posted anyway, with this session's token: refused as the API refuses
    b.script(
        "const f = document.createElement('form'); f.method = 'post';"
            + " f.action = location.pathname + '/install';"
            + " for (const [k, v] of [['csrf', document.querySelector('input[name=csrf]').value],"
            + " ['id', 'tyc-dave'], ['api', 'search-companies'], ['hidden.token', 'x'],"
            + " ['step', 'propose']]) { const i = document.createElement('input');"
            + " i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }"
            + " document.body.appendChild(f); f.submit();");
    b.waitFor(d -> b.exists("refusal"));
    assertTrue(b.text("refusal").contains("admins and connection owners"), b.text("refusal"));
  }

  @Test
  @Order(2)
  void anOutsiderIsRefused() {
    b.signIn("grace", "/console/" + ACME + "/library");
    assertTrue(b.text("refusal").contains("not a member of Acme"), b.text("refusal"));
    b.open("/console/" + ACME + "/library/entries/tianyancha/logo");
    assertTrue(b.text("refusal").contains("not a member"), "not even a logo");
  }

  @Test
  @Order(3)
  void anOwnerInstallsAnEntryAndTheBranchCarriesOnlyTheSealedToken() throws Exception {
    // other ITs' proposals may have left console branches on the shared remote: compare
    Path acme = IT.resolve("acme.git");
    List<String> before = ConsoleRepos.branches(acme);
    b.signIn("bob", "/console/" + ACME + "/library/entries/tianyancha?version=1.0.0");
    b.everyFieldLabelled();
    setValue("install-id", "tyc");
    b.click("install-api-company-shareholders"); // unticked: two APIs of three
    b.click("install-grant-demo-app"); // demo-app gets the new connection's APIs
    b.driver.findElement(By.id("install-param-token")).sendKeys("bob-s3cret-token");
    b.script("document.getElementById('install').scrollIntoView();"); // the form, grants included
    b.shoot("library-install");
    b.click("preview");
    b.waitFor(d -> b.exists("validation"));
    assertTrue(b.text("validation").contains("validates"), b.text("validation"));
    String diff = b.text("diff");
    assertTrue(diff.contains("tyc"), diff);
    assertFalse(b.driver.getPageSource().contains("bob-s3cret-token"), "no plaintext back");
    assertTrue(b.driver.getPageSource().contains("sealed:v2:" + ACME + "/tyc/token:"));
    assertEquals(before, ConsoleRepos.branches(acme), "the check makes no branch");
    b.shoot("library-install-check");
    b.click("make-branch");
    b.waitFor(d -> b.exists("branch"));
    String branch = b.text("branch");
    assertTrue(branch.startsWith("console/bob-"), branch);
    assertTrue(b.text("review").contains("git fetch origin " + branch), b.text("review"));
    List<String> made = new ArrayList<>(ConsoleRepos.branches(acme));
    made.removeAll(before);
    assertEquals(List.of("refs/heads/" + branch), made, "the one branch made");
    String connection = ConsoleRepos.file(acme, branch, "connections/tyc/connection.json");
    assertTrue(connection.contains("\"owner\": \"bob\""), connection);
    assertTrue(connection.contains("\"version\": \"1.0.0\""), connection);
    assertTrue(connection.contains("sealed:v2:" + ACME + "/tyc/token:"), connection);
    assertFalse(connection.contains("company-shareholders"), connection);
    assertFalse(connection.contains("bob-s3cret-token"), "never in plaintext");
    String grants = ConsoleRepos.file(acme, branch, "connections/tyc/grants.json");
    assertTrue(grants.contains("\"application\": \"demo-app\""), grants);
    assertTrue(grants.contains("\"grantedBy\": \"bob\""), grants);
  }

  @Test
  @Order(4)
  void anAdminSeesEveryProblemBesideItsFieldThenInstalls() throws Exception {
    b.signIn("alice", "/console/" + ACME + "/library/entries/amap");
    setValue("install-id", "Demo");
    for (WebElement box : b.driver.findElements(By.cssSelector("#install-form [name=api]"))) {
      box.click(); // none ticked
    }
    b.click("preview");
    b.waitFor(d -> b.exists("install-id-error"));
    assertTrue(b.text("install-id-error").contains("cannot be a connection id"));
    assertTrue(b.text("apis-error").contains("at least one API"));
    assertEquals("true", b.driver.findElement(By.id("install-id")).getAttribute("aria-invalid"));
    setValue("install-id", "demo");
    b.click("preview");
    b.waitFor(d -> b.exists("install-id-error"));
    assertTrue(b.text("install-id-error").contains("has a connection demo already"));
    b.script("document.getElementById('install').scrollIntoView();"); // the problems, not the guide
    b.shoot("library-install-problems");

    setValue("install-id", "maps");
    b.driver.findElements(By.cssSelector("#install-form [name=api]")).getFirst().click();
    for (WebElement secret :
        b.driver.findElements(By.cssSelector("#install-form [type=password]"))) {
      secret.sendKeys("alice-amap-key");
    }
    b.click("preview");
    b.waitFor(d -> b.exists("validation"));
    assertTrue(b.text("validation").contains("validates"), b.text("validation"));
    b.click("make-branch");
    b.waitFor(d -> b.exists("branch"));
    String connection =
        ConsoleRepos.file(
            IT.resolve("acme.git"), b.text("branch"), "connections/maps/connection.json");
    assertTrue(connection.contains("\"entry\": \"amap\""), connection);
    assertTrue(connection.contains("\"owner\": \"alice\""), connection);
    assertFalse(connection.contains("alice-amap-key"), "never in plaintext");
  }

  @Test
  @Order(5)
  void anAdminUpgradesAnInstallThroughTheThreeWayDiff() throws Exception {
    b.signIn("dave", "/console/" + INITECH);
    b.waitUntilServed("/console/" + INITECH);
    assertTrue(b.text("update-tyc").contains("update available: 1.1.0"), b.text("update-tyc"));
    assertTrue(b.driver.findElements(By.linkText("Upgrade")).isEmpty(), "not dave's to upgrade");
    b.open("/console/" + INITECH + "/library/upgrades/tyc?to=1.1.0");
    assertTrue(b.text("refusal").contains("or an admin may upgrade"), b.text("refusal"));

    b.signIn("alice", "/console/" + INITECH);
    b.shoot("library-update-available");
    b.driver.findElement(By.linkText("Upgrade")).click();
    b.waitFor(d -> b.exists("validation"));
    assertEquals("1.1.0", b.text("target"));
    assertTrue(b.text("theirs").contains("API removed: company-shareholders"), b.text("theirs"));
    assertTrue(b.text("ours").contains("parameter token: a sealed value"), b.text("ours"));
    assertTrue(b.text("ours").contains("APIs enabled: search-companies (of 3)"), b.text("ours"));
    assertTrue(b.text("conflicts").contains("None"), b.text("conflicts"));
    assertTrue(b.text("validation").contains("validates"), b.text("validation"));
    b.shoot("library-upgrade");
    b.click("make-branch");
    b.waitFor(d -> b.exists("branch"));
    String connection =
        ConsoleRepos.file(
            IT.resolve("initech.git"), b.text("branch"), "connections/tyc/connection.json");
    assertTrue(connection.contains("\"version\": \"1.1.0\""), connection);
    assertTrue(connection.contains("sealed:v2:" + INITECH + "/tyc/token:"), "kept");
  }

  @Test
  @Order(6)
  void anAdminReadsDeploymentsPinsAnEarlierCommitAndUnpinsAMemberIsRefused() throws Exception {
    b.signIn("dave", "/console/" + INITECH + "/deployments");
    assertTrue(b.text("refusal").contains("admins"), b.text("refusal"));

    b.signIn("alice", "/console/" + INITECH + "/deployments");
    String first = b.text("served");
    assertTrue(rows().getFirst().getText().contains(first.substring(0, 10)), "the newest");
    Path remote = IT.resolve("initech.git");
    String second = commit(remote, "README.md", "Initech integrations\n", "A README");
    b.click("fetch-now");
    awaitNewest(second);
    assertEquals(second, b.text("served"), "the new commit serves");
    String broken =
        commit(
            remote,
            "connections/broken/connection.json",
            "{ \"id\": \"broken\", \"name\": 5 }\n",
            "A broken connection");
    b.click("fetch-now");
    awaitNewest(broken);
    assertEquals(second, b.text("served"), "a refused commit never serves");
    WebElement refused = rows().getFirst();
    assertTrue(refused.getText().contains("refused"), refused.getText());
    b.shoot("deployments");
    refused.findElement(By.cssSelector("a")).click();
    assertTrue(b.text("result").contains("refused"));
    assertTrue(b.text("diagnostics").contains("connections/broken/connection.json"));
    b.shoot("deployment-refused");

    b.open("/console/" + INITECH + "/deployments");
    b.click("pin-" + first.substring(0, 10));
    b.waitFor(d -> b.exists("notice"));
    assertTrue(b.text("notice").startsWith("Pinned to " + first), b.text("notice"));
    assertEquals(first, b.text("served"));
    assertTrue(b.exists("pinned"));
    b.click("unpin");
    // the form replaces the page: until the new one is there, #notice is absent, not failed
    b.waitFor(d -> b.exists("notice") && b.text("notice").startsWith("Unpinned"));
    assertEquals(second, b.text("served"));
    assertFalse(b.exists("pinned"));
  }

  @Test
  @Order(7)
  void theOrganizationsOwnLibraryIsBrowsedBesideThePublicOneAndOnlyByItsOwnMembers()
      throws Exception {
    // dave, a member of Initech who owns nothing: browses its own library, cannot install
    b.signIn("dave", "/console/" + INITECH + "/library?q=directory");
    b.waitUntilServed("/console/" + INITECH + "/library?q=directory");
    assertEquals(List.of("own-entry-initech-directory"), ownEntries());
    assertTrue(
        b.text("own-entry-initech-directory").contains("Initech's own"),
        b.text("own-entry-initech-directory"));
    Object logoWidth =
        b.script("return document.querySelector('#own-entries img.entry-logo').naturalWidth;");
    assertTrue(((Number) logoWidth).intValue() > 0, "the logo is served by the console");
    b.open("/console/" + INITECH + "/library?category=Compliance");
    assertTrue(ownEntries().contains("own-entry-initech-directory"), ownEntries().toString());
    b.shoot("library-own");
    b.driver.findElement(By.cssSelector("#own-entry-initech-directory a.entry-name")).click();
    b.waitFor(d -> b.exists("own-mark"));
    assertTrue(b.text("guide").contains("https://www.tianyancha.com"), b.text("guide"));
    assertTrue(b.text("api-search-companies").contains("Search companies"), "its APIs");
    assertTrue(b.exists("install-not-allowed"));
    b.script(
        "const f = document.createElement('form'); f.method = 'post';"
            + " f.action = location.pathname + '/install';"
            + " for (const [k, v] of [['csrf', document.querySelector('input[name=csrf]').value],"
            + " ['id', 'dir-dave'], ['api', 'search-companies'], ['hidden.token', 'x'],"
            + " ['step', 'propose']]) { const i = document.createElement('input');"
            + " i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }"
            + " document.body.appendChild(f); f.submit();");
    b.waitFor(d -> b.exists("refusal"));
    assertTrue(b.text("refusal").contains("admins and connection owners"), b.text("refusal"));

    // alice is a member of Acme and of Initech: each lists its own entries only
    b.signIn("alice", "/console/" + ACME + "/library");
    assertEquals(List.of("own-entry-tianyancha"), ownEntries());
    b.open("/console/" + ACME + "/library/organization/initech-directory");
    assertTrue(b.text("refusal").contains("has no entry initech-directory"), b.text("refusal"));

    // grace, a member of Globex and not of Acme: Acme's own library is nowhere for her
    b.signIn("grace", "/console/" + ItSupport.GLOBEX + "/library?q=tianyancha");
    assertFalse(b.exists("own-library"), "Globex has no library of its own");
    assertEquals(List.of("entry-tianyancha"), entries(), "the public entry only");
    b.open("/console/" + ItSupport.GLOBEX + "/library/organization/tianyancha");
    assertTrue(b.text("refusal").contains("has no entry tianyancha"), b.text("refusal"));
    b.open("/console/" + ACME + "/library/organization/tianyancha");
    assertTrue(b.text("refusal").contains("not a member of Acme"), b.text("refusal"));
    b.open("/console/" + ACME + "/library/organization/tianyancha/logo");
    assertTrue(b.text("refusal").contains("not a member"), "not even a logo");
  }

  @Test
  @Order(8)
  void anOwnerInstallsFromTheOwnLibraryAndTheCheckCountsTheApisEnabled() throws Exception {
    b.signIn("bob", "/console/" + ACME + "/library/organization/tianyancha");
    assertTrue(b.text("own-mark").contains("Acme"), b.text("own-mark"));
    b.everyFieldLabelled();
    assertEquals(List.of("1.0.0"), options("install-version"), "its one version");
    setValue("install-id", "tyc-own");
    b.click("install-api-company-shareholders"); // two APIs of three
    b.driver.findElement(By.id("install-param-token")).sendKeys("bob-own-token");
    b.click("preview");
    b.waitFor(d -> b.exists("validation"));
    assertTrue(b.text("validation").contains("validates"), b.text("validation"));
    String diff = b.text("diff");
    assertTrue(diff.contains("(auth none, 2 of 3 APIs enabled)"), diff);
    b.click("make-branch");
    b.waitFor(d -> b.exists("branch"));
    String connection =
        ConsoleRepos.file(
            IT.resolve("acme.git"), b.text("branch"), "connections/tyc-own/connection.json");
    assertTrue(connection.contains("\"library\": \"organization\""), connection);
    assertTrue(connection.contains("\"version\": \"1.0.0\""), connection);
    assertTrue(connection.contains("sealed:v2:" + ACME + "/tyc-own/token:"), connection);
    assertFalse(connection.contains("bob-own-token"), "never in plaintext");
  }

  @Test
  @Order(9)
  void versionsArePickedByKeyboardAndWhatChangesNothingSaysNoChanges() throws Exception {
    b.signIn("alice", "/console/" + INITECH + "/library/entries/tianyancha");
    assertEquals(List.of("1.1.0", "1.0.0"), options("install-version"), "newest first");
    assertEquals("1.1.0", b.driver.findElement(By.id("install-version")).getAttribute("value"));
    b.driver.findElement(By.id("install-version")).sendKeys(Keys.ARROW_DOWN); // the keyboard
    assertEquals("1.0.0", b.driver.findElement(By.id("install-version")).getAttribute("value"));
    setValue("install-id", "tyc-old");
    b.driver.findElement(By.id("install-param-token")).sendKeys("alice-old-token");
    b.click("preview");
    b.waitFor(d -> b.exists("validation"));
    assertTrue(b.driver.findElement(By.tagName("h1")).getText().contains("tianyancha@1.0.0"));

    // the upgrade offers every newer version than the installed 1.0.0
    b.open("/console/" + INITECH + "/library/upgrades/tyc");
    b.everyFieldLabelled();
    assertEquals(List.of("1.1.0"), options("upgrade-to"));
    // to the version installed: nothing to do, the edit forms' "No changes"
    b.open("/console/" + INITECH + "/library/upgrades/tyc?to=1.0.0");
    assertTrue(b.exists("no-changes"), b.driver.getPageSource());
    assertFalse(b.exists("refusal"));

    // archive is installed as this form installs it: the same install changes nothing
    b.open("/console/" + INITECH + "/library/entries/archive-search");
    setValue("install-id", "archive");
    b.click("preview");
    b.waitFor(d -> b.exists("no-changes"));
    assertTrue(b.driver.findElement(By.tagName("h1")).getText().contains("No changes"));
    b.shoot("library-no-changes");
  }

  /** A select's options, in order. */
  @SuppressWarnings("unchecked")
  private static List<String> options(String select) {
    return (List<String>)
        b.script(
            "return Array.from(document.getElementById(arguments[0]).options).map(o => o.value);",
            select);
  }

  @SuppressWarnings("unchecked")
  private static List<String> ownEntries() {
    return (List<String>)
        b.script(
            "return Array.from(document.querySelectorAll('#own-entries > li')).map(e => e.id);");
  }

  /** The listed entries' ids, read in one script: a page replaced meanwhile cannot go stale. */
  @SuppressWarnings("unchecked")
  private static List<String> entries() {
    return (List<String>)
        b.script("return Array.from(document.querySelectorAll('#entries > li')).map(e => e.id);");
  }

  private static List<WebElement> rows() {
    return b.driver.findElements(By.cssSelector("#deployments tbody tr"));
  }

  /** The history's newest row is this commit (the GitOps pass fetched and compiled it). */
  private static void awaitNewest(String commit) {
    b.waitFor(
        Duration.ofSeconds(300),
        d -> {
          b.open("/console/" + INITECH + "/deployments");
          return rows().getFirst().getText().contains(commit.substring(0, 10));
        });
  }

  private static void setValue(String id, String value) {
    WebElement e = b.driver.findElement(By.id(id));
    e.clear();
    e.sendKeys(value);
  }

  /** A commit on the remote's main, as a merged pull request would make. */
  private static String commit(Path remote, String path, String text, String message)
      throws Exception {
    Path work = Files.createTempDirectory("initech-clone");
    try (Git git =
        Git.cloneRepository()
            .setURI(remote.toUri().toString())
            .setDirectory(work.toFile())
            .call()) {
      Files.createDirectories(work.resolve(path).getParent());
      Files.writeString(work.resolve(path), text);
      git.add().addFilepattern(path).call();
      PersonIdent who = new PersonIdent("Bob", "bob@initech.invalid");
      String id = git.commit().setMessage(message).setAuthor(who).setCommitter(who).call().name();
      git.push().call();
      return id;
    }
  }
}
