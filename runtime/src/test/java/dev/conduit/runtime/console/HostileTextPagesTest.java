package dev.conduit.runtime.console;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.Connection;
import dev.conduit.bundle.Member;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.library.OrganizationLibrary;
import dev.conduit.runtime.library.PublicLibraryCatalog;
import dev.conduit.runtime.registry.LoadedOrganization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An organization's files are written by its members and rendered to its other members (an admin
 * included): every name, label, summary and description of the example organization is replaced by
 * markup that would run or break out of an attribute, and every console page built from them must
 * show it as text.
 */
class HostileTextPagesTest {

  static final String MARKUP = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>";
  static final Set<String> TEXTS = Set.of("name", "description", "label", "summary");

  @TempDir Path temp;

  @Test
  void markupInTheOrganizationsTextsIsShownAsTextOnEveryPage() throws Exception {
    Path repo = Fixtures.copy(Path.of("..", "connections-repo"), temp.resolve("repo"));
    JsonMapper json = JsonMapper.builder().build();
    AtomicInteger n = new AtomicInteger();
    try (Stream<Path> files = Files.walk(repo)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        JsonNode tree = json.readTree(Files.readString(f));
        hostile(tree, false, n);
        Files.writeString(f, json.writeValueAsString(tree));
      }
    }
    Bundle bundle = Fixtures.compile(repo);
    Map<String, Member> members = new LinkedHashMap<>();
    bundle.members().forEach(m -> members.put(m.login(), m));
    LoadedOrganization org =
        new LoadedOrganization(
            bundle, "acme", Instant.EPOCH, Map.of(), Map.of(), Map.of(), Map.copyOf(members));
    View admin = new View(org, "alice", "csrf-token");

    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("connections", ConnectionPages.list(admin, null, 1));
    pages.put(
        "library",
        LibraryHtml.browse(
            admin, PublicLibraryCatalog.packaged(), OrganizationLibrary.of(bundle), null, null, 1));
    for (Connection c : bundle.connections()) {
      pages.put(c.id(), ConnectionPages.connection(admin, c, null));
      pages.put(
          c.id() + " edit",
          ConnectionForm.html(
              admin,
              c,
              "0".repeat(40),
              "acme (main)",
              ConnectionForm.valuesOf(c),
              FieldProblems.NONE));
      for (Api a : c.apis()) {
        pages.put(c.id() + "/" + a.id(), ApiPage.html(admin, c, a, null));
        pages.put(
            c.id() + "/" + a.id() + " edit",
            ApiForm.html(
                admin,
                c,
                a,
                "0".repeat(40),
                "acme (main)",
                ApiForm.valuesOf(a),
                FieldProblems.NONE));
      }
    }
    assertTrue(n.get() > 50, "texts replaced: " + n.get());
    for (Map.Entry<String, String> p : pages.entrySet()) {
      String html = p.getValue();
      assertFalse(html.contains("<script>alert"), p.getKey() + ": a script ran");
      assertFalse(html.contains("<img src=x"), p.getKey() + ": markup left its text");
    }
    assertTrue(
        pages.get("connections").contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the names are shown, as text");
  }

  /** Replaces the texts of {@code node}; a parameter's name is an identifier, so it stays. */
  private static void hostile(JsonNode node, boolean inParameters, AtomicInteger n) {
    if (node instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : Set.copyOf(o.properties())) {
        String key = e.getKey();
        JsonNode v = e.getValue();
        if (v.isString()
            && TEXTS.contains(key)
            && !(inParameters && key.equals("name"))
            && !key.startsWith("$")) {
          o.put(key, MARKUP + n.incrementAndGet());
        } else {
          hostile(v, key.equals("parameters"), n);
        }
      }
    } else if (node != null && node.isArray()) {
      for (JsonNode item : node) {
        hostile(item, inParameters, n);
      }
    }
  }
}
