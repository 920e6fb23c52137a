package it.dev.conduit.runtime;

import static it.dev.conduit.runtime.ConsoleRepos.INITECH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * A library downgrade in headless Chromium (the rule is Upgrade.downgrade's; the CLI's
 * --allow-downgrade): Initech's tyc-next is installed from tianyancha@1.1.0 (ConsoleRepos). An
 * admin who asks for 1.0.0 sees the refusal and no branch is made; she asks for the downgrade
 * ("Show the downgrade to 1.0.0"), sees its three-way diff, confirms ("Make the branch"), and the
 * branch on Initech's remote holds the downgrade. A member who neither owns the connection nor is
 * an admin is refused at every step, the form posted by hand too, and makes no branch.
 */
class ConsoleDowngradeIT {

  @AutoClose static ConsoleBrowser b; // closed after the class's last test
  static final Path REMOTE =
      Path.of(System.getProperty("it.dir", "target/it")).resolve("initech.git");
  static final String UPGRADES = "/console/" + INITECH + "/library/upgrades/tyc-next";

  @BeforeAll
  static void start() throws Exception {
    b = ConsoleBrowser.startWhenReady();
  }

  @Test
  void anAdminIsRefusedAsksForTheDowngradeConfirmsItAndTheBranchHoldsIt() throws Exception {
    b.signIn("alice", "/console/" + INITECH);
    b.waitUntilServed("/console/" + INITECH);
    List<String> before = branches();
    b.open(UPGRADES + "?to=1.0.0");
    assertTrue(
        b.text("downgrade-refused").contains("tianyancha@1.0.0 is older than the installed 1.1.0"),
        b.text("downgrade-refused"));
    assertTrue(b.text("downgrade-refused").contains("Nothing is proposed"));
    assertFalse(b.exists("make-branch"), "nothing to confirm before the downgrade is asked for");
    assertEquals(before, branches(), "the refusal made no branch");

    b.click("confirm-downgrade");
    b.waitFor(d -> b.exists("validation"));
    assertTrue(b.driver.findElement(By.tagName("h1")).getText().startsWith("Downgrade tyc-next"));
    assertEquals("1.0.0", b.text("target"));
    assertTrue(b.text("theirs").contains("API added: company-shareholders"), b.text("theirs"));
    assertTrue(b.text("ours").contains("parameter token: a sealed value"), b.text("ours"));
    assertEquals(before, branches(), "the diff is a preview: still no branch");

    b.click("make-branch");
    b.waitFor(d -> b.exists("branch"));
    assertTrue(
        b.driver.findElement(By.tagName("h1")).getText().contains("Downgrade proposed: tyc-next"),
        b.driver.findElement(By.tagName("h1")).getText());
    String branch = b.text("branch");
    String connection = ConsoleRepos.file(REMOTE, branch, "connections/tyc-next/connection.json");
    assertTrue(connection.contains("\"version\": \"1.0.0\""), connection);
    assertTrue(connection.contains("sealed:v2:" + INITECH + "/tyc-next/token:"), "kept sealed");
    assertFalse(connection.contains("initech-tyc-next-token"), "never in plaintext");
  }

  @Test
  void aMemberWithoutThePermissionCannotDowngradeNotEvenByPostingTheForm() throws Exception {
    b.signIn("dave", "/console/" + INITECH);
    b.waitUntilServed("/console/" + INITECH);
    List<String> before = branches();
    for (String page : List.of(UPGRADES + "?to=1.0.0", UPGRADES + "?to=1.0.0&downgrade=yes")) {
      b.open(page);
      assertTrue(b.text("refusal").contains("or an admin may upgrade"), b.text("refusal"));
      assertFalse(b.exists("confirm-downgrade"), page);
      assertFalse(b.exists("make-branch"), page);
    }
    // the confirmation posted anyway, with this session's token: refused as the page is
    b.open("/console/" + INITECH + "/library/entries/tianyancha");
    b.script(
        "const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
            + " for (const [k, v] of [['csrf', document.querySelector('input[name=csrf]').value],"
            + " ['to', '1.0.0'], ['downgrade', 'yes'], ['base', 'HEAD']]) {"
            + " const i = document.createElement('input'); i.type = 'hidden'; i.name = k;"
            + " i.value = v; f.appendChild(i); } document.body.appendChild(f); f.submit();",
        UPGRADES);
    b.waitFor(d -> b.exists("refusal"));
    assertTrue(b.text("refusal").contains("or an admin may upgrade"), b.text("refusal"));
    assertEquals(before, branches(), "no branch made");
  }

  private static List<String> branches() throws Exception {
    return ConsoleRepos.branches(REMOTE);
  }
}
