package it.dev.conduit.runtime;

import static it.dev.conduit.runtime.ItSupport.ACME;
import static it.dev.conduit.runtime.ItSupport.BASE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.dev.conduit.runtime.ItSupport.Resp;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * Seed 001 end to end in a real headless Chromium: open authorize, sign in, approve, follow the
 * redirect, exchange the code (JSON and XML), read the passport, refresh. Driven with the keyboard
 * where a person would type.
 */
class BrowserIT {

  static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    browser = Chromium.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void signInApproveExchangeAndReadThePassport() {
    browser.get(
        BASE
            + "/api/oauth2/authorize?app_key=441139F6ADFA&redirect_uri=http://localhost:8000/callback&projectid="
            + ACME
            + "&state=browser-1");
    assertEquals("Sign in · Conduit", browser.getTitle());
    assertTrue(browser.findElement(By.tagName("h1")).getText().contains("Acme Trading Co."));
    // the account field has the focus: a person types, tabs, types, presses Enter
    browser.switchTo().activeElement().sendKeys("carol", Keys.TAB, "carol-demo-pw", Keys.ENTER);
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(d -> d.getTitle().startsWith("Allow access"));
    assertTrue(browser.getPageSource().contains("HR Portal"));
    assertEquals(
        "approve", browser.switchTo().activeElement().getAttribute("value"), "Allow has the focus");
    browser.switchTo().activeElement().sendKeys(Keys.ENTER);
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(d -> d.getCurrentUrl().startsWith("http://localhost:8000/callback"));
    String url = browser.getCurrentUrl();
    assertTrue(url.contains("state=browser-1"), url);
    Matcher m = Pattern.compile("code=([^&]+)").matcher(url);
    assertTrue(m.find(), url);

    Resp json = IdentityIT.exchange(m.group(1), "json");
    assertEquals(200, json.status(), json.body());
    JsonNode token = json.json();
    JsonNode passport =
        ItSupport.get(
                "/api/v1/passport/get_passport_detail?access_token="
                    + token.get("access_token").asString(),
                null)
            .json();
    assertEquals("Carol Wang", passport.at("/data/full_name").asString());
    assertEquals("acc-9c3a77d2", passport.at("/data/account_id").asString());

    Resp refreshed =
        ItSupport.get(
            "/api/oauth2/access_token?app_key=441139F6ADFA&app_secret=MmsAGOVoV0uyOuu9k1IkUSJEq_CHypup"
                + "&grant_type=refresh_token&refresh_token="
                + token.get("refresh_token").asString(),
            null);
    assertTrue(
        refreshed.body().contains("<access_token>"),
        "XML without format=json: " + refreshed.body());
  }

  @Test
  void aSecondAuthorizationInTheSameBrowserSkipsTheSignIn() {
    browser.get(
        BASE
            + "/api/oauth2/authorize?app_key=441139F6ADFA&redirect_uri=http://localhost:8000/callback&projectid="
            + ACME);
    if (browser.getTitle().startsWith("Sign in")) {
      browser.switchTo().activeElement().sendKeys("carol", Keys.TAB, "carol-demo-pw", Keys.ENTER);
      new WebDriverWait(browser, Duration.ofSeconds(10))
          .until(d -> d.getTitle().startsWith("Allow access"));
      browser.get(
          BASE
              + "/api/oauth2/authorize?app_key=441139F6ADFA&redirect_uri=http://localhost:8000/callback&projectid="
              + ACME);
    }
    assertTrue(browser.getTitle().startsWith("Allow access"), browser.getTitle());
    browser.findElement(By.id("deny")).click();
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(d -> d.getCurrentUrl().startsWith("http://localhost:8000/callback"));
    assertTrue(browser.getCurrentUrl().contains("error=access_denied"), browser.getCurrentUrl());
  }
}
