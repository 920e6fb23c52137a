package dev.conduit.runtime.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.invoke.PrivateNetworkRule;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.store.Databases;
import dev.conduit.seal.Opener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An http:// source with a token against a real smart-HTTP Git server on loopback ({@link
 * GitHttpServer}: JGit's upload-pack behind HTTP Basic): the token is sent as configured (user name
 * "git" when only the token is set) after the server's challenge, and neither the right nor a wrong
 * token shows in an exception, the stored fetchError or a log record at any level. HTTPS itself is
 * not served here: the runtime has no trust setting of its own (JGit uses the JVM's trust store),
 * so a test certificate would have to be trusted process-wide; the credentials travel the same way
 * over both.
 */
class GitMirrorHttpTest {

  private static final String TOKEN = "glpat-Zq8sT0kenThatMustNeverShow";

  @TempDir Path dir;
  private GitRemote remote;
  private GitHttpServer server;
  private LogCapture logs;

  @BeforeEach
  void start() throws Exception {
    logs = new LogCapture();
    remote = new GitRemote(dir.resolve("repo.git"), dir.resolve("work"));
    server = new GitHttpServer(remote.bare(), "git", TOKEN);
  }

  @AfterEach
  void stop() {
    server.close();
    remote.close();
    logs.close();
  }

  @Test
  void theTokenIsSentAsConfiguredAndShowsNowhere() throws Exception {
    String first = remote.push("first", w -> Files.writeString(w.resolve("a.txt"), "1"));
    try (GitMirror mirror = new GitMirror(source(TOKEN), dir.resolve("copy"))) {
      assertEquals(first, mirror.fetch());
    }
    String basic =
        "Basic "
            + Base64.getEncoder().encodeToString(("git:" + TOKEN).getBytes(StandardCharsets.UTF_8));
    List<String> sent = server.authorizations();
    assertTrue(sent.contains(basic), "the token went as HTTP Basic for user git: " + sent);
    assertEquals("none", sent.getFirst(), "nothing is sent before the server asks");
    assertNoTokenLogged(TOKEN);
  }

  @Test
  void aRefusedTokenIsAFetchErrorThatDoesNotShowIt() throws Exception {
    String first =
        remote.push("first", w -> Fixtures.repository(w.resolve("org"), "http://127.0.0.1:9"));
    // compiled in this JVM without code engines (CompileWorkerTest: the worker)
    Map<String, String> config = new HashMap<>(Map.of("conduit.git.compile-in", "server"));
    config.put("conduit.git.organizations", "fixture");
    config.put("conduit.git.fixture.url", server.url());
    config.put("conduit.git.fixture.path", "org");
    config.put("conduit.git.fixture.password", TOKEN);
    DeploymentStore store =
        new DeploymentStore(
            Databases.h2(Files.createDirectories(dir.resolve("h2"))), Clock.systemUTC());
    BundleRegistry registry =
        new BundleRegistry(
            new Opener(Fixtures.KEYS.privateKeyset()), Clock.systemUTC(), PrivateNetworkRule.NONE);
    Reconciler reconciler =
        new Reconciler(
            () -> GitSettings.read(k -> Optional.ofNullable(config.get(k))),
            registry,
            store,
            new CommitCompiler(CodeSyntax.NONE, Optional.empty()),
            Files.createDirectories(dir.resolve("instance")),
            Clock.systemUTC());
    reconciler.pass(Set.of("fixture"));
    assertEquals(
        first,
        registry.organization(Fixtures.ORG).map(o -> o.bundle().source().commit()).orElse(null));

    String wrong = "glpat-RevokedT0kenThatMustNeverShow";
    config.put("conduit.git.fixture.password", wrong);
    remote.push("second", w -> Files.writeString(w.resolve("org/notes.txt"), "2"));
    reconciler.pass(Set.of("fixture"));
    assertEquals(
        first,
        registry.organization(Fixtures.ORG).map(o -> o.bundle().source().commit()).orElse(null),
        "the last good commit keeps serving");
    String reason = store.state("fixture").fetchError();
    assertNotNull(reason);
    assertTrue(reason.toLowerCase().contains("not authorized"), reason);
    assertFalse(reason.contains(wrong), reason);
    assertFalse(reconciler.local("fixture").orElseThrow().problem().contains(wrong));
    reconciler.close();

    try (GitMirror mirror = new GitMirror(source(wrong), dir.resolve("copy"))) {
      GitMirror.FetchException e = assertThrows(GitMirror.FetchException.class, mirror::fetch);
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        assertFalse(String.valueOf(t).contains(wrong), "the token shows in " + t);
      }
    }
    assertNoTokenLogged(TOKEN);
    assertNoTokenLogged(wrong);
  }

  private GitSettings.Source source(String token) {
    Map<String, String> m = new HashMap<>();
    m.put("conduit.git.organizations", "acme");
    m.put("conduit.git.acme.url", server.url());
    m.put("conduit.git.acme.password", token);
    GitSettings s = GitSettings.read(k -> Optional.ofNullable(m.get(k)));
    assertTrue(s.problems().isEmpty(), s.problems().toString());
    return s.source("acme").orElseThrow();
  }

  private void assertNoTokenLogged(String token) {
    String base64 =
        Base64.getEncoder().encodeToString(("git:" + token).getBytes(StandardCharsets.UTF_8));
    List<LogRecord> records = logs.records();
    assertFalse(records.isEmpty(), "the capture saw the fetches' records");
    for (LogRecord r : records) {
      String all = LogCapture.text(r);
      assertFalse(all.contains(token), r.getLoggerName() + " logs the token: " + all);
      assertFalse(all.contains(base64), r.getLoggerName() + " logs the Basic header: " + all);
    }
  }
}
