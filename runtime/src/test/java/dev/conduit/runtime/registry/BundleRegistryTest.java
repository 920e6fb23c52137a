package dev.conduit.runtime.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.bundle.Connection;
import dev.conduit.compiler.emit.BundleFile;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.invoke.PrivateNetworkRule;
import dev.conduit.seal.Opener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry loads what the compiler writes; one connection that cannot be prepared does not
 * refuse the rest.
 */
class BundleRegistryTest {

  @TempDir Path temp;

  /** A registry with the fixtures' key, no private network. */
  private static BundleRegistry registry() throws Exception {
    return new BundleRegistry(
        new Opener(Fixtures.KEYS.privateKeyset()), Clock.systemUTC(), PrivateNetworkRule.NONE);
  }

  @Test
  void aBundleWithALoneSurrogateInAStringLoadsWithItsHashChecked() throws Exception {
    // a JSON file may hold a lone UTF-16 surrogate as an escape ("\ud800"); the compiler keeps
    // it, and the content hash the registry checks covers the bytes as written
    Path repo = Fixtures.repository(temp.resolve("repo"), "http://127.0.0.1:9");
    Path api = repo.resolve("connections/basic/apis/whoami.json");
    Files.writeString(
        api,
        Files.readString(api)
            .replace(
                "\"name\": \"Whoami\",",
                "\"name\": \"Whoami\",\n  \"description\": \"A lone surrogate: \\ud800.\","));
    Path file = temp.resolve("fixture.bundle.json");
    BundleFile.write(Fixtures.compile(repo), file);

    BundleRegistry registry = registry();
    registry.loadAll(List.of(file.toString()));
    assertNull(registry.states().getFirst().lastError(), registry.states().toString());
    LoadedOrganization org = registry.organization(Fixtures.ORG).orElseThrow();
    assertEquals(
        "A lone surrogate: \ud800.",
        org.bundle().connection("basic").orElseThrow().api("whoami").orElseThrow().description());
  }

  /**
   * The fixture's "plain" sets allowPrivateNetwork in its organization's files: the registry gives
   * it its private network only when the operator's rule names the organization, and a rule that
   * names nobody (the runtime's default) or someone else leaves it closed.
   */
  @Test
  void aConnectionGetsItsPrivateNetworkOnlyWhenTheOperatorNamesItsOrganization() throws Exception {
    Path repo = Fixtures.repository(temp.resolve("repo"), "http://127.0.0.1:9");
    var bundle = Fixtures.compile(repo);
    Opener opener = new Opener(Fixtures.KEYS.privateKeyset());
    for (PrivateNetworkRule closed :
        List.of(PrivateNetworkRule.NONE, PrivateNetworkRule.only("another-organization"))) {
      BundleRegistry registry = new BundleRegistry(opener, Clock.systemUTC(), closed);
      registry.install("git:fixture", bundle);
      var plain = registry.organization(Fixtures.ORG).orElseThrow().connection("plain");
      assertTrue(plain.orElseThrow().connection().allowPrivateNetwork(), "its files set it");
      assertFalse(plain.orElseThrow().allowsPrivateNetwork(), closed.toString());
    }
    BundleRegistry named =
        new BundleRegistry(opener, Clock.systemUTC(), PrivateNetworkRule.only(Fixtures.ORG));
    named.install("git:fixture", bundle);
    assertTrue(
        named
            .organization(Fixtures.ORG)
            .orElseThrow()
            .connection("plain")
            .orElseThrow()
            .allowsPrivateNetwork());
  }

  @Test
  void aNewBundleServesItsChangesAndKeepsTheConnectionsThatDidNotChange() throws Exception {
    // a commit that changes one API: that connection is prepared anew (the change serves), the
    // others are the prepared connections already served (no secret opened, nothing parsed again)
    Path repo = Fixtures.repository(temp.resolve("repo"), "http://127.0.0.1:9");
    BundleRegistry registry = registry();
    registry.install("git:fixture", Fixtures.compile(repo));
    LoadedOrganization first = registry.organization(Fixtures.ORG).orElseThrow();

    Path api = repo.resolve("connections/basic/apis/whoami.json");
    Files.writeString(
        api, Files.readString(api).replace("\"name\": \"Whoami\"", "\"name\": \"Who am I\""));
    registry.install("git:fixture", Fixtures.compile(repo));
    LoadedOrganization second = registry.organization(Fixtures.ORG).orElseThrow();

    assertNotSame(first, second);
    assertNotSame(
        first.connection("basic").orElseThrow(), second.connection("basic").orElseThrow());
    assertEquals(
        "Who am I",
        second.connection("basic").orElseThrow().connection().api("whoami").orElseThrow().name());
    for (String same : List.of("plain", "cc", "wecom", "coded", "public")) {
      assertSame(first.connection(same).orElseThrow(), second.connection(same).orElseThrow(), same);
    }
    assertEquals(first.connections().keySet(), second.connections().keySet());
  }

  @Test
  void aReloadedFileKeepsTheObjectsOfTheConnectionsThatDidNotChange() throws Exception {
    // the file read again shares the served bundle's unchanged connections: only the changed
    // one is new in memory, in the bundle served as in its prepared connection
    Path repo = Fixtures.repository(temp.resolve("repo"), "http://127.0.0.1:9");
    Path file = temp.resolve("fixture.bundle.json");
    BundleFile.write(Fixtures.compile(repo), file);
    BundleRegistry registry = registry();
    registry.loadAll(List.of(file.toString()));
    LoadedOrganization first = registry.organization(Fixtures.ORG).orElseThrow();

    Path api = repo.resolve("connections/basic/apis/whoami.json");
    Files.writeString(
        api, Files.readString(api).replace("\"name\": \"Whoami\"", "\"name\": \"Who am I\""));
    BundleFile.write(Fixtures.compile(repo), file);
    assertNull(registry.reload(Fixtures.ORG).orElseThrow().lastError());
    LoadedOrganization second = registry.organization(Fixtures.ORG).orElseThrow();

    for (Connection c : second.bundle().connections()) {
      Connection before = first.bundle().connection(c.id()).orElseThrow();
      if (c.id().equals("basic")) {
        assertNotSame(before, c);
        assertEquals("Who am I", c.api("whoami").orElseThrow().name());
      } else {
        assertSame(before, c, c.id());
        assertSame(c, second.connection(c.id()).orElseThrow().connection(), c.id());
      }
    }
  }

  @Test
  void aConnectionWhoseSecretDoesNotOpenIsUnavailableAndTheRestServes() throws Exception {
    // wecom's value shows its own place but carries cc's ciphertext: it compiles clean, and
    // the authenticated place makes it fail to open at load
    Path repo = Fixtures.repository(temp.resolve("repo"), "http://127.0.0.1:9");
    Fixtures.swapInCiphertextOf(repo, "wecom", "cc");
    Path file = temp.resolve("fixture.bundle.json");
    BundleFile.write(Fixtures.compile(repo), file);

    BundleRegistry registry = registry();
    registry.loadAll(List.of(file.toString()));
    assertNull(
        registry.states().getFirst().lastError(), "one connection does not refuse the bundle");
    LoadedOrganization org = registry.organization(Fixtures.ORG).orElseThrow();
    assertTrue(org.connection("wecom").isEmpty());
    String reason = org.unavailable("wecom").orElseThrow();
    assertTrue(
        reason.contains("connection \"wecom\" parameter \"corpsecret\"")
            && reason.contains("cannot open"),
        reason);
    assertFalse(
        reason.contains("wx-SECRET-0004") || reason.contains("cs-CC-0003"),
        "no secret in the reason");
    for (String served : List.of("plain", "basic", "cc", "coded", "public")) {
      assertTrue(org.connection(served).isPresent(), served);
      assertTrue(org.unavailable(served).isEmpty(), served);
    }
    assertTrue(
        registry.application("app-one-key").isPresent(), "the bundle's applications are served");
  }
}
