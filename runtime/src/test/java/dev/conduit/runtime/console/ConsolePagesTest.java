package dev.conduit.runtime.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Member;
import dev.conduit.runtime.Fixtures;
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

  @BeforeAll
  static void example() throws Exception {
    Bundle bundle = Fixtures.compile(Path.of("..", "connections-repo"));
    Map<String, Member> members = new LinkedHashMap<>();
    bundle.members().forEach(m -> members.put(m.login(), m));
    acme =
        new LoadedOrganization(
            bundle, "acme", Instant.EPOCH, Map.of(), Map.of(), Map.of(), Map.copyOf(members));
  }

  static View as(String login) {
    return new View(acme, login, "csrf-token");
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
