package it.dev.conduit.runtime;

import static it.dev.conduit.runtime.ItSupport.ACME;
import static it.dev.conduit.runtime.ItSupport.BASE;
import static it.dev.conduit.runtime.ItSupport.FIXTURE;
import static it.dev.conduit.runtime.ItSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in headless Chromium, as each kind of person: a member (reads, no values, no Test
 * API, no logs), a connection's owner (their connections' values and logs, not others'), an admin
 * (Get Access Token, the Test API form with an object array, logs with the chart and a masked
 * detail) and an outsider (refused). Signs in with the keyboard; checks every field has a label.
 * Writes the screenshots of docs/console.md (to target/, or to the folder given as
 * -Dit.screenshots.dir).
 */
class ConsoleIT {

  static ConsoleBrowser console;
  static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (get("/health/ready", null).status() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    console = ConsoleBrowser.start();
    browser = console.driver;
  }

  @AfterAll
  static void stop() {
    if (console != null) {
      console.close();
    }
  }

  @Test
  void aMemberReadsConnectionsButSeesNoValuesNoTestApiAndNoLogs() {
    console.signIn("dave", "/console/" + FIXTURE);
    assertEquals("member", console.text("role"));
    List<WebElement> rows = browser.findElements(By.cssSelector("#connections tbody tr"));
    assertEquals(9, rows.size(), "the fixture organization's nine connections");
    console.everyFieldLabelled();
    browser.findElement(By.linkText("cc")).click();
    String parameters = console.text("parameter-table");
    assertTrue(parameters.contains("••••••"), parameters); // the hidden secret, masked
    assertTrue(parameters.contains("shown to the owner and admins"), parameters);
    assertFalse(console.exists("get-token"), "Get Access Token is for the owner and admins");
    browser.get(BASE + "/console/" + FIXTURE + "/connections/plain/apis/echo");
    assertTrue(console.exists("input-table") || browser.getPageSource().contains("Inputs"));
    assertTrue(console.exists("test-not-allowed"));
    assertFalse(console.exists("test-form"));
    browser.get(BASE + "/console/" + FIXTURE + "/logs");
    assertTrue(console.text("refusal").contains("owners and admins"), console.text("refusal"));
  }

  @Test
  void anOwnerSeesTheirConnectionsValuesAndLogsButNotOthers() throws Exception {
    console.signIn("bob", "/console/" + ACME);
    assertEquals("owner", console.text("role"));
    browser.get(BASE + "/console/" + ACME + "/connections/openweather");
    assertFalse(
        console.text("parameter-table").contains("shown to the owner and admins"),
        "bob owns openweather: its visible values are shown");
    browser.get(BASE + "/console/" + ACME + "/connections/demo");
    assertFalse(console.exists("get-token"), "demo is alice's");
    assertTrue(console.text("parameter-table").contains("shown to the owner and admins"));
    browser.get(BASE + "/console/" + ACME + "/logs");
    List<String> options =
        browser.findElements(By.cssSelector("#connection option")).stream()
            .map(o -> o.getAttribute("value"))
            .toList();
    assertEquals(List.of("openweather", "tianyancha"), options, "only bob's connections");
    browser.get(BASE + "/console/" + ACME + "/logs?connection=demo");
    assertTrue(console.text("connection-error").contains("only the owner of demo"));
  }

  @Test
  void anOutsiderIsRefused() {
    console.signIn("grace", "/console/" + ACME);
    assertTrue(console.text("refusal").contains("not a member of Acme"), console.text("refusal"));
    browser.get(BASE + "/console");
    assertEquals(List.of("Globex Logistics"), organizations());
  }

  private static List<String> organizations() {
    return browser.findElements(By.cssSelector("#organizations a")).stream()
        .map(WebElement::getText)
        .toList();
  }

  @Test
  void anAdminTestsAnApiWithAnObjectArrayGetsATokenAndReadsTheLogs() throws Exception {
    console.signIn("alice", "/console");
    assertTrue(organizations().contains("Acme Trading Co."), organizations().toString());
    browser.findElement(By.linkText("Acme Trading Co.")).click();
    assertEquals("admin", console.text("role"));
    console.shoot("connections");

    // one sign-in serves the accounts pages too
    browser.get(BASE + "/accounts/" + ACME + "/demo-github");
    assertTrue(browser.getTitle().startsWith("My accounts"), browser.getTitle());

    browser.get(BASE + "/console/" + ACME + "/connections/demo");
    assertTrue(console.text("auth-settings").contains("client credentials"));
    assertTrue(console.text("parameter-table").contains("••••••"));
    console.shoot("connection");
    browser.findElement(By.id("get-token")).click();
    String token = console.text("token-outcome");
    assertTrue(token.contains("A token was issued: ******"), token);
    assertFalse(browser.getPageSource().contains("demo-client-secret"), "no secret in the page");

    browser.get(BASE + "/console/" + ACME + "/connections/demo/apis/create-order");
    assertTrue(console.text("input-table").contains("quantity"));
    assertTrue(console.text("request-template").contains("{{input.customer}}"));
    console.everyFieldLabelled();
    // a second row with a SKU and no quantity: the engine's problem shows beside that field
    browser.findElement(By.id("f-in-customer")).sendKeys("Acme");
    browser.findElement(By.id("f-in-items-0-sku")).sendKeys("A-1");
    browser.findElement(By.id("f-in-items-0-quantity")).sendKeys("2");
    browser.findElement(By.id("f-in-items-1-sku")).sendKeys("B-2");
    browser.findElement(By.id("run-test")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> console.exists("outcome"));
    assertTrue(console.text("outcome").contains("INVALID_INPUT"), console.text("outcome"));
    assertEquals(
        "true", browser.findElement(By.id("f-in-items-1-quantity")).getAttribute("aria-invalid"));
    assertTrue(console.text("f-in-items-1-quantity-error").contains("required"));
    assertEquals("Acme", browser.findElement(By.id("f-in-customer")).getAttribute("value"));
    // a third row, without script: the form comes back with what was typed
    browser.findElement(By.id("add-row-items")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(d -> console.exists("f-in-items-2-sku"));
    assertEquals("B-2", browser.findElement(By.id("f-in-items-1-sku")).getAttribute("value"));
    browser.findElement(By.id("f-in-items-1-quantity")).sendKeys("1");
    browser.findElement(By.id("f-in-items-2-sku")).sendKeys("C-3");
    browser.findElement(By.id("f-in-items-2-quantity")).sendKeys("5");
    browser.findElement(By.id("run-test")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> console.exists("test-outputs"));
    assertEquals("Success", console.text("outcome"));
    String sent = console.text("sent-body");
    assertTrue(sent.contains("\"C-3\"") && sent.contains("\"B-2\""), sent);
    assertTrue(
        console.text("sent-headers").contains("Authorization ******"),
        console.text("sent-headers"));
    assertTrue(console.text("test-outputs").contains("order_id"), console.text("test-outputs"));
    ((JavascriptExecutor) browser)
        .executeScript("document.getElementById('test-result').scrollIntoView()");
    console.shoot("test-api");

    browser.get(BASE + "/console/" + ACME + "/logs?connection=demo&api=create-order");
    assertTrue(console.text("log-table").contains("test"), console.text("log-table"));
    assertFalse(browser.findElements(By.cssSelector("#chart rect")).isEmpty(), "bars drawn");
    console.shoot("logs");
    browser.findElement(By.cssSelector("#log-table tbody tr a")).click();
    assertTrue(console.text("log-facts").contains("create-order"));
    assertTrue(console.text("sent-headers").contains("Authorization ******"));
    browser.get(BASE + "/console/" + ACME + "/logs?status=abc");
    assertTrue(console.text("status-error").contains("5xx"));
    browser.get(BASE + "/console/" + ACME + "/alerts");
    assertTrue(console.exists("alert-table") || console.exists("no-alerts"));
  }
}
