package it.dev.conduit.runtime;

import static it.dev.conduit.runtime.ItSupport.BASE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium on the console as a person: sign in with the keyboard, read an element by id,
 * check every field is labelled, take a screenshot for docs/console.md (to target/, or the folder
 * given as -Dit.screenshots.dir).
 */
final class ConsoleBrowser implements AutoCloseable {

  final WebDriver driver;
  private final Path shots;

  private ConsoleBrowser(WebDriver driver, Path shots) {
    this.driver = driver;
    this.shots = shots;
  }

  /** A browser, once the test server is ready (up to 4 minutes: it may still be starting). */
  static ConsoleBrowser startWhenReady() throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (ItSupport.get("/health/ready", null).status() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    return start();
  }

  static ConsoleBrowser start() throws Exception {
    Path shots =
        Files.createDirectories(
            Path.of(System.getProperty("it.screenshots.dir", "target/console-screenshots")));
    return new ConsoleBrowser(Chromium.start(), shots);
  }

  void signIn(String login, String page) {
    driver.manage().deleteAllCookies();
    driver.get(BASE + page);
    assertEquals("Sign in · Conduit console", driver.getTitle());
    // the account field has the focus: type, tab, type, Enter
    driver.switchTo().activeElement().sendKeys(login, Keys.TAB, login + "-demo-pw", Keys.ENTER);
    waitFor(d -> !d.getTitle().startsWith("Sign in"));
  }

  void open(String page) {
    driver.get(BASE + page);
  }

  void click(String id) {
    driver.findElement(By.id(id)).click();
  }

  void waitFor(Function<WebDriver, Boolean> condition) {
    waitFor(Duration.ofSeconds(90), condition);
  }

  /**
   * As {@link #waitFor(Function)}, for longer: what waits on the server's own background work (a
   * GitOps pass compiling a commit on a loaded machine) rather than on a page.
   */
  void waitFor(Duration limit, Function<WebDriver, Boolean> condition) {
    try {
      // a click that submits a form replaces the page while a condition may be reading the old
      // one: a stale element means "not yet", not a failure
      new WebDriverWait(driver, limit)
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(condition::apply);
    } catch (org.openqa.selenium.TimeoutException e) {
      String page = driver.getPageSource();
      throw new AssertionError(
          "waited "
              + limit.toSeconds()
              + " s on "
              + driver.getCurrentUrl()
              + " ("
              + driver.getTitle()
              + "): "
              + page.substring(0, Math.min(page.length(), 4000)),
          e);
    }
  }

  /**
   * Waits until the page shows no refusal: an organization served from Git (Initech) is there once
   * the GitOps pass compiled its first commit.
   */
  void waitUntilServed(String page) {
    // the first compile of a new organization's commit, niced, at load 40: 90 s was not always
    // enough
    waitFor(
        Duration.ofSeconds(300),
        d -> {
          if (!exists("refusal")) {
            return true;
          }
          open(page);
          return false;
        });
  }

  /**
   * The text of the element with this id, waiting (up to 30 s) for it to be there: after a click
   * that submits a form, the browser may still be loading the new page when the test reads it, and
   * a read of an element the old page had goes stale.
   */
  String text(String id) {
    try {
      return new WebDriverWait(driver, Duration.ofSeconds(30))
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(
              d -> {
                List<WebElement> found = d.findElements(By.id(id));
                return found.isEmpty() ? null : found.getFirst().getText();
              });
    } catch (org.openqa.selenium.TimeoutException e) {
      return textNow(id);
    }
  }

  private String textNow(String id) {
    List<WebElement> found = driver.findElements(By.id(id));
    if (found.isEmpty()) {
      String page = driver.getPageSource();
      throw new AssertionError(
          "no #"
              + id
              + " on "
              + driver.getCurrentUrl()
              + " ("
              + driver.getTitle()
              + "): "
              + page.substring(0, Math.min(page.length(), 3000)));
    }
    return found.getFirst().getText();
  }

  boolean exists(String id) {
    return !driver.findElements(By.id(id)).isEmpty();
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Every visible form field has a label a screen reader reads out. */
  void everyFieldLabelled() {
    Object unlabelled =
        script(
            "return [...document.querySelectorAll('input:not([type=hidden]),select,textarea')]"
                + ".filter(e => e.labels.length === 0 && !e.getAttribute('aria-label'))"
                + ".map(e => e.name);");
    assertEquals(List.of(), unlabelled, "fields without a label on " + driver.getCurrentUrl());
  }

  void shoot(String name) throws Exception {
    Files.write(
        shots.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
