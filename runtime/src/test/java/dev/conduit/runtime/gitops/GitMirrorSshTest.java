package dev.conduit.runtime.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.invoke.PrivateNetworkRule;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.store.Databases;
import dev.conduit.seal.Opener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.LogRecord;
import javax.sql.DataSource;
import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ssh:// source against a real SSH server ({@link GitSshServer}: Apache MINA sshd on loopback, a
 * generated host key, JGit's upload-pack on a bare repository): the commit is fetched with the
 * source's key from its settings; an unknown or changed host key and a key the server does not know
 * are refused with a reason an admin can act on, and the copy keeps its last commit; the private
 * key and its passphrase show in no exception and no log record, at any level.
 */
class GitMirrorSshTest {

  private static final String PASSPHRASE = "correct horse battery staple";

  @TempDir Path dir;
  private GitRemote remote;
  private GitSshServer server;
  private LogCapture logs;

  @BeforeEach
  void start() throws Exception {
    logs = new LogCapture();

    remote = new GitRemote(dir.resolve("repo.git"), dir.resolve("work"));
    server = new GitSshServer(remote.bare());
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    remote.close();
    logs.close();
  }

  @Test
  void aCommitIsFetchedOverSshWithTheKeyFromTheSettings() throws Exception {
    String first = remote.push("first", w -> Files.writeString(w.resolve("a.txt"), "1"));
    Map<String, String> settings =
        settings(server.clientPrivateKey(PASSPHRASE), knownHosts(server.hostKey()));
    settings.put("conduit.git.globex.ssh-passphrase", PASSPHRASE);
    try (GitMirror mirror = new GitMirror(source(settings), dir.resolve("copy"))) {
      assertEquals(first, mirror.fetch());
      String second = remote.push("second", w -> Files.writeString(w.resolve("a.txt"), "2"));
      assertEquals(second, mirror.fetch());
      assertEquals("second", mirror.info(second).orElseThrow().subject());
      assertTrue(mirror.isAncestor(first, second));
    }
    assertEquals(2, server.uploads(), "both fetches went through the ssh server");
    Path home = dir.resolve("copy").resolve("ssh-home");
    assertEquals(
        Set.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE),
        Files.getPosixFilePermissions(home),
        "the ssh home is the server user's alone");
    try (var files = Files.list(home)) {
      assertEquals(List.of(), files.toList(), "no key and no known_hosts written to disk");
    }
    assertNoSecretLogged(settings);
  }

  @Test
  void aChangedOrUnknownHostKeyIsRefusedAndTheCopyKeepsItsCommit() throws Exception {
    String first = remote.push("first", w -> Files.writeString(w.resolve("a.txt"), "1"));
    String key = server.clientPrivateKey();
    Path copy = dir.resolve("copy");
    try (GitMirror mirror =
        new GitMirror(source(settings(key, knownHosts(server.hostKey()))), copy)) {
      assertEquals(first, mirror.fetch());
    }
    remote.push("second", w -> Files.writeString(w.resolve("a.txt"), "2"));
    KeyPair impostor = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    Map<String, String> changed = settings(key, knownHosts(impostor.getPublic()));
    try (GitMirror mirror = new GitMirror(source(changed), copy)) {
      GitMirror.FetchException e = assertThrows(GitMirror.FetchException.class, mirror::fetch);
      assertTrue(
          e.getMessage().contains(KeyUtils.getFingerPrint(server.hostKey()) + ")"),
          "names the key the server showed: " + e.getMessage());
      assertTrue(
          e.getMessage().contains("does not match conduit.git.globex.ssh-known-hosts"),
          e.getMessage());
      assertEquals(
          first,
          mirror.repository().exactRef("refs/remotes/origin/main").getObjectId().getName(),
          "the copy still holds the last good commit");
    }
    Map<String, String> unknown =
        settings(
            key,
            KnownHostHashValue.createHostPattern("git.example.com", 22)
                + " "
                + PublicKeyEntry.toString(server.hostKey()));
    try (GitMirror mirror = new GitMirror(source(unknown), copy)) {
      GitMirror.FetchException e = assertThrows(GitMirror.FetchException.class, mirror::fetch);
      assertTrue(
          e.getMessage()
              .contains("is unknown: conduit.git.globex.ssh-known-hosts has no line for this host"),
          e.getMessage());
    }
    assertEquals(1, server.uploads(), "no refused connection reached upload-pack");
    assertNoSecretLogged(changed);
  }

  @Test
  void aKeyTheServerDoesNotKnowIsRefused() throws Exception {
    remote.push("first", w -> Files.writeString(w.resolve("a.txt"), "1"));
    KeyPair stranger = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    Map<String, String> settings =
        settings(GitSshServer.privateKey(stranger, null), knownHosts(server.hostKey()));
    try (GitMirror mirror = new GitMirror(source(settings), dir.resolve("copy"))) {
      GitMirror.FetchException e = assertThrows(GitMirror.FetchException.class, mirror::fetch);
      assertTrue(e.getMessage().startsWith("cannot fetch branch main of ssh://"), e.getMessage());
      assertTrue(
          e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("auth"),
          "says authentication failed: " + e.getMessage());
      assertNoSecret(settings, LogCapture.causes(e));
    }
    assertEquals(0, server.uploads());
    assertNoSecretLogged(settings);
  }

  @Test
  void aWrongPassphraseOrABrokenKeyIsNamedBySettingWithoutTheKey() throws Exception {
    Map<String, String> settings =
        settings(server.clientPrivateKey(PASSPHRASE), knownHosts(server.hostKey()));
    settings.put("conduit.git.globex.ssh-passphrase", "not the passphrase");
    try (GitMirror mirror = new GitMirror(source(settings), dir.resolve("copy"))) {
      GitMirror.FetchException e = assertThrows(GitMirror.FetchException.class, mirror::fetch);
      assertTrue(
          e.getMessage()
              .contains(
                  "conduit.git.globex.ssh-key: not a private key that can be read with"
                      + " conduit.git.globex.ssh-passphrase"),
          e.getMessage());
      assertNoSecret(settings, LogCapture.causes(e));
    }
    assertEquals(0, server.uploads());
    assertNoSecretLogged(settings);
  }

  @Test
  void theRuntimeServesACommitFetchedOverSshAndKeepsItWhenTheHostKeyChanges() throws Exception {
    String first =
        remote.push("first", w -> Fixtures.repository(w.resolve("org"), "http://127.0.0.1:9"));
    String key = server.clientPrivateKey();
    // compiled in this JVM without code engines (CompileWorkerTest: the worker)
    Map<String, String> config = new HashMap<>(Map.of("conduit.git.compile-in", "server"));
    settings(key, knownHosts(server.hostKey()))
        .forEach(
            (k, v) -> config.put(k.replace(".globex", ".fixture"), v.replace("globex", "fixture")));
    config.put("conduit.git.fixture.path", "org");
    DataSource db = Databases.h2(Files.createDirectories(dir.resolve("h2")));
    DeploymentStore store = new DeploymentStore(db, Clock.systemUTC());
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
    assertEquals(first, serving(registry));
    assertNull(store.state("fixture").fetchError());

    // the server now shows another key than the settings trust (or the settings are wrong)
    KeyPair impostor = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    config.put("conduit.git.fixture.ssh-known-hosts", knownHosts(impostor.getPublic()));
    remote.push("second", w -> Files.writeString(w.resolve("org/notes.txt"), "2"));
    reconciler.pass(Set.of("fixture"));
    assertEquals(first, serving(registry), "the last good commit keeps serving");
    String reason = store.state("fixture").fetchError();
    assertNotNull(reason, "the refusal is shown to admins");
    assertTrue(reason.contains("does not match conduit.git.fixture.ssh-known-hosts"), reason);
    assertNoSecret(Map.of("conduit.git.globex.ssh-key", key), reason);
    assertNoSecretLogged(Map.of("conduit.git.globex.ssh-key", key));
  }

  private static String serving(BundleRegistry registry) {
    return registry.organization(Fixtures.ORG).map(o -> o.bundle().source().commit()).orElse(null);
  }

  /** The settings of one ssh source on the test server. */
  private Map<String, String> settings(String privateKey, String knownHosts) {
    Map<String, String> m = new HashMap<>();
    m.put("conduit.git.organizations", "globex");
    m.put("conduit.git.globex.url", server.url());
    m.put("conduit.git.globex.ssh-key", privateKey);
    m.put("conduit.git.globex.ssh-known-hosts", knownHosts);
    return m;
  }

  private static GitSettings.Source source(Map<String, String> settings) {
    GitSettings s = GitSettings.read(key -> Optional.ofNullable(settings.get(key)));
    assertTrue(s.problems().isEmpty(), s.problems().toString());
    return s.source("globex").orElseThrow();
  }

  /** The server's known_hosts line with {@code hostKey}, after a comment line. */
  private String knownHosts(PublicKey hostKey) {
    return "# the test server\n" + server.knownHosts(hostKey);
  }

  private void assertNoSecretLogged(Map<String, String> settings) {
    StringBuilder all = new StringBuilder();
    for (LogRecord r : logs.records()) {
      all.append(LogCapture.text(r)).append('\n');
    }
    assertNoSecret(settings, all.toString());
  }

  /** No line of the private key's body and not the passphrase. */
  private static void assertNoSecret(Map<String, String> settings, String text) {
    for (String line : settings.get("conduit.git.globex.ssh-key").split("\n")) {
      if (!line.startsWith("-----") && line.length() > 16) {
        assertFalse(text.contains(line), "a line of the private key shows");
      }
    }
    String passphrase = settings.get("conduit.git.globex.ssh-passphrase");
    if (passphrase != null) {
      assertFalse(text.contains(passphrase), "the passphrase shows");
    }
  }
}
