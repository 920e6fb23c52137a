package it.dev.conduit.runtime;

import static it.dev.conduit.runtime.ItSupport.ACME;
import static it.dev.conduit.runtime.ItSupport.BASE;
import static it.dev.conduit.runtime.ItSupport.FIXTURE;
import static it.dev.conduit.runtime.ItSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
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

  static WebDriver browser;
  static Path shots;

  @BeforeAll
  static void start() throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (get("/health/ready", null).status() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    shots =
        Files.createDirectories(
            Path.of(System.getProperty("it.screenshots.dir", "target/console-screenshots")));
    browser = Chromium.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
  }

  private static void signIn(String login, String page) {
    browser.manage().deleteAllCookies();
    browser.get(BASE + page);
    assertEquals("Sign in · Conduit console", browser.getTitle());
    // the account field has the focus: type, tab, type, Enter
    browser.switchTo().activeElement().sendKeys(login, Keys.TAB, login + "-demo-pw", Keys.ENTER);
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(d -> !d.getTitle().startsWith("Sign in"));
  }

  private static String text(String id) {
    List<WebElement> found = browser.findElements(By.id(id));
    if (found.isEmpty()) {
      String page = browser.getPageSource();
      throw new AssertionError(
          "no #"
              + id
              + " on "
              + browser.getCurrentUrl()
              + " ("
              + browser.getTitle()
              + "): "
              + page.substring(0, Math.min(page.length(), 3000)));
    }
    return found.getFirst().getText();
  }

  private static boolean exists(String id) {
    return !browser.findElements(By.id(id)).isEmpty();
  }

  /** Every visible form field has a label a screen reader reads out. */
  private static void everyFieldLabelled() {
    Object unlabelled =
        ((JavascriptExecutor) browser)
            .executeScript(
                "return [...document.querySelectorAll('input:not([type=hidden]),select,textarea')]"
                    + ".filter(e => e.labels.length === 0 && !e.getAttribute('aria-label'))"
                    + ".map(e => e.name);");
    assertEquals(List.of(), unlabelled, "fields without a label on " + browser.getCurrentUrl());
  }

  private static void shoot(String name) throws Exception {
    Files.write(
        shots.resolve(name + ".png"),
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void aMemberReadsConnectionsButSeesNoValuesNoTestApiAndNoLogs() {
    signIn("dave", "/console/" + FIXTURE);
    assertEquals("member", text("role"));
    List<WebElement> rows = browser.findElements(By.cssSelector("#connections tbody tr"));
    assertEquals(9, rows.size(), "the fixture organization's nine connections");
    everyFieldLabelled();
    browser.findElement(By.linkText("cc")).click();
    String parameters = text("parameter-table");
    assertTrue(parameters.contains("••••••"), parameters); // the hidden secret, masked
    assertTrue(parameters.contains("shown to the owner and admins"), parameters);
    assertFalse(exists("get-token"), "Get Access Token is for the owner and admins");
    browser.get(BASE + "/console/" + FIXTURE + "/connections/plain/apis/echo");
    assertTrue(exists("input-table") || browser.getPageSource().contains("Inputs"));
    assertTrue(exists("test-not-allowed"));
    assertFalse(exists("test-form"));
    browser.get(BASE + "/console/" + FIXTURE + "/logs");
    assertTrue(text("refusal").contains("owners and admins"), text("refusal"));
  }

  @Test
  void anOwnerSeesTheirConnectionsValuesAndLogsButNotOthers() throws Exception {
    signIn("bob", "/console/" + ACME);
    assertEquals("owner", text("role"));
    browser.get(BASE + "/console/" + ACME + "/connections/openweather");
    assertFalse(
        text("parameter-table").contains("shown to the owner and admins"),
        "bob owns openweather: its visible values are shown");
    browser.get(BASE + "/console/" + ACME + "/connections/demo");
    assertFalse(exists("get-token"), "demo is alice's");
    assertTrue(text("parameter-table").contains("shown to the owner and admins"));
    browser.get(BASE + "/console/" + ACME + "/logs");
    List<String> options =
        browser.findElements(By.cssSelector("#connection option")).stream()
            .map(o -> o.getAttribute("value"))
            .toList();
    assertEquals(List.of("openweather", "tianyancha"), options, "only bob's connections");
    browser.get(BASE + "/console/" + ACME + "/logs?connection=demo");
    assertTrue(text("connection-error").contains("only the owner of demo"));
  }

  @Test
  void anOutsiderIsRefused() {
    signIn("grace", "/console/" + ACME);
    assertTrue(text("refusal").contains("not a member of Acme"), text("refusal"));
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
    signIn("alice", "/console");
    assertTrue(organizations().contains("Acme Trading Co."), organizations().toString());
    browser.findElement(By.linkText("Acme Trading Co.")).click();
    assertEquals("admin", text("role"));
    shoot("connections");

    // one sign-in serves the accounts pages too
    browser.get(BASE + "/accounts/" + ACME + "/demo-github");
    assertTrue(browser.getTitle().startsWith("My accounts"), browser.getTitle());

    browser.get(BASE + "/console/" + ACME + "/connections/demo");
    assertTrue(text("auth-settings").contains("client credentials"));
    assertTrue(text("parameter-table").contains("••••••"));
    shoot("connection");
    browser.findElement(By.id("get-token")).click();
    String token = text("token-outcome");
    assertTrue(token.contains("A token was issued: ******"), token);
    assertFalse(browser.getPageSource().contains("demo-client-secret"), "no secret in the page");

    browser.get(BASE + "/console/" + ACME + "/connections/demo/apis/create-order");
    assertTrue(text("input-table").contains("quantity"));
    assertTrue(text("request-template").contains("{{input.customer}}"));
    everyFieldLabelled();
    // a second row with a SKU and no quantity: the engine's problem shows beside that field
    browser.findElement(By.id("f-in-customer")).sendKeys("Acme");
    browser.findElement(By.id("f-in-items-0-sku")).sendKeys("A-1");
    browser.findElement(By.id("f-in-items-0-quantity")).sendKeys("2");
    browser.findElement(By.id("f-in-items-1-sku")).sendKeys("B-2");
    browser.findElement(By.id("run-test")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> exists("outcome"));
    assertTrue(text("outcome").contains("INVALID_INPUT"), text("outcome"));
    assertEquals(
        "true", browser.findElement(By.id("f-in-items-1-quantity")).getAttribute("aria-invalid"));
    assertTrue(text("f-in-items-1-quantity-error").contains("required"));
    assertEquals("Acme", browser.findElement(By.id("f-in-customer")).getAttribute("value"));
    // a third row, without script: the form comes back with what was typed
    browser.findElement(By.id("add-row-items")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> exists("f-in-items-2-sku"));
    assertEquals("B-2", browser.findElement(By.id("f-in-items-1-sku")).getAttribute("value"));
    browser.findElement(By.id("f-in-items-1-quantity")).sendKeys("1");
    browser.findElement(By.id("f-in-items-2-sku")).sendKeys("C-3");
    browser.findElement(By.id("f-in-items-2-quantity")).sendKeys("5");
    browser.findElement(By.id("run-test")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> exists("test-outputs"));
    assertEquals("Success", text("outcome"));
    String sent = text("sent-body");
    assertTrue(sent.contains("\"C-3\"") && sent.contains("\"B-2\""), sent);
    assertTrue(text("sent-headers").contains("Authorization ******"), text("sent-headers"));
    assertTrue(text("test-outputs").contains("order_id"), text("test-outputs"));
    ((JavascriptExecutor) browser)
        .executeScript("document.getElementById('test-result').scrollIntoView()");
    shoot("test-api");

    browser.get(BASE + "/console/" + ACME + "/logs?connection=demo&api=create-order");
    assertTrue(text("log-table").contains("test"), text("log-table"));
    assertFalse(browser.findElements(By.cssSelector("#chart rect")).isEmpty(), "bars drawn");
    shoot("logs");
    browser.findElement(By.cssSelector("#log-table tbody tr a")).click();
    assertTrue(text("log-facts").contains("create-order"));
    assertTrue(text("sent-headers").contains("Authorization ******"));
    browser.get(BASE + "/console/" + ACME + "/logs?status=abc");
    assertTrue(text("status-error").contains("5xx"));
    browser.get(BASE + "/console/" + ACME + "/alerts");
    assertTrue(exists("alert-table") || exists("no-alerts"));
  }
}
