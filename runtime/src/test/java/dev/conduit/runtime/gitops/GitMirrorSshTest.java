package dev.conduit.runtime.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.store.Databases;
import dev.conduit.seal.Opener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.UploadPack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ssh:// source against a real SSH server (Apache MINA sshd on loopback, a generated host key)
 * that runs JGit's upload-pack on a bare repository: the commit is fetched with the source's key
 * from its settings; an unknown or changed host key and a key the server does not know are refused
 * with a reason an admin can act on, and the copy keeps its last commit; the private key and its
 * passphrase show in no exception and no log record, at any level.
 */
class GitMirrorSshTest {

  private static final String PASSPHRASE = "correct horse battery staple";

  @TempDir Path dir;
  private GitRemote remote;
  private SshServer server;
  private KeyPair hostKey;
  private KeyPair clientKey;
  private final AtomicInteger uploads = new AtomicInteger();
  private final List<LogRecord> logged = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          synchronized (logged) {
            logged.add(r);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private Level rootLevel;

  @BeforeEach
  void start() throws Exception {
    Logger root = Logger.getLogger("");
    rootLevel = root.getLevel();
    capture.setLevel(Level.ALL);
    root.addHandler(capture);
    root.setLevel(Level.ALL);

    remote = new GitRemote(dir.resolve("repo.git"), dir.resolve("work"));
    hostKey = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    clientKey = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPublickeyAuthenticator(
        (user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
    server.setCommandFactory((channel, command) -> new UploadPackCommand(command));
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.stop(true);
    remote.close();
    Logger root = Logger.getLogger("");
    root.removeHandler(capture);
    root.setLevel(rootLevel);
  }

  @Test
  void aCommitIsFetchedOverSshWithTheKeyFromTheSettings() throws Exception {
    String first = remote.push("first", w -> Files.writeString(w.resolve("a.txt"), "1"));
    Map<String, String> settings = settings(privateKey(clientKey, PASSPHRASE), knownHosts(hostKey));
    settings.put("conduit.git.globex.ssh-passphrase", PASSPHRASE);
    try (GitMirror mirror = new GitMirror(source(settings), dir.resolve("copy"))) {
      assertEquals(first, mirror.fetch());
      String second = remote.push("second", w -> Files.writeString(w.resolve("a.txt"), "2"));
      assertEquals(second, mirror.fetch());
      assertEquals("second", mirror.info(second).orElseThrow().subject());
      assertTrue(mirror.isAncestor(first, second));
    }
    assertEquals(2, uploads.get(), "both fetches went through the ssh server");
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
    String key = privateKey(clientKey, null);
    Path copy = dir.resolve("copy");
    try (GitMirror mirror = new GitMirror(source(settings(key, knownHosts(hostKey))), copy)) {
      assertEquals(first, mirror.fetch());
    }
    remote.push("second", w -> Files.writeString(w.resolve("a.txt"), "2"));
    KeyPair impostor = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    Map<String, String> changed = settings(key, knownHosts(impostor));
    try (GitMirror mirror = new GitMirror(source(changed), copy)) {
      GitMirror.FetchException e = assertThrows(GitMirror.FetchException.class, mirror::fetch);
      assertTrue(
          e.getMessage().contains(KeyUtils.getFingerPrint(hostKey.getPublic()) + ")"),
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
                + PublicKeyEntry.toString(hostKey.getPublic()));
    try (GitMirror mirror = new GitMirror(source(unknown), copy)) {
      GitMirror.FetchException e = assertThrows(GitMirror.FetchException.class, mirror::fetch);
      assertTrue(
          e.getMessage()
              .contains("is unknown: conduit.git.globex.ssh-known-hosts has no line for this host"),
          e.getMessage());
    }
    assertEquals(1, uploads.get(), "no refused connection reached upload-pack");
    assertNoSecretLogged(changed);
  }

  @Test
  void aKeyTheServerDoesNotKnowIsRefused() throws Exception {
    remote.push("first", w -> Files.writeString(w.resolve("a.txt"), "1"));
    KeyPair stranger = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    Map<String, String> settings = settings(privateKey(stranger, null), knownHosts(hostKey));
    try (GitMirror mirror = new GitMirror(source(settings), dir.resolve("copy"))) {
      GitMirror.FetchException e = assertThrows(GitMirror.FetchException.class, mirror::fetch);
      assertTrue(e.getMessage().startsWith("cannot fetch branch main of ssh://"), e.getMessage());
      assertTrue(
          e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("auth"),
          "says authentication failed: " + e.getMessage());
      assertNoSecret(settings, text(e));
    }
    assertEquals(0, uploads.get());
    assertNoSecretLogged(settings);
  }

  @Test
  void aWrongPassphraseOrABrokenKeyIsNamedBySettingWithoutTheKey() throws Exception {
    Map<String, String> settings = settings(privateKey(clientKey, PASSPHRASE), knownHosts(hostKey));
    settings.put("conduit.git.globex.ssh-passphrase", "not the passphrase");
    try (GitMirror mirror = new GitMirror(source(settings), dir.resolve("copy"))) {
      GitMirror.FetchException e = assertThrows(GitMirror.FetchException.class, mirror::fetch);
      assertTrue(
          e.getMessage()
              .contains(
                  "conduit.git.globex.ssh-key: not a private key that can be read with"
                      + " conduit.git.globex.ssh-passphrase"),
          e.getMessage());
      assertNoSecret(settings, text(e));
    }
    assertEquals(0, uploads.get());
    assertNoSecretLogged(settings);
  }

  @Test
  void theRuntimeServesACommitFetchedOverSshAndKeepsItWhenTheHostKeyChanges() throws Exception {
    String first =
        remote.push("first", w -> Fixtures.repository(w.resolve("org"), "http://127.0.0.1:9"));
    String key = privateKey(clientKey, null);
    // compiled in this JVM without code engines (CompileWorkerTest: the worker)
    Map<String, String> config = new HashMap<>(Map.of("conduit.git.compile-in", "server"));
    settings(key, knownHosts(hostKey))
        .forEach(
            (k, v) -> config.put(k.replace(".globex", ".fixture"), v.replace("globex", "fixture")));
    config.put("conduit.git.fixture.path", "org");
    DataSource db = Databases.h2(Files.createDirectories(dir.resolve("h2")));
    DeploymentStore store = new DeploymentStore(db, Clock.systemUTC());
    BundleRegistry registry =
        new BundleRegistry(new Opener(Fixtures.KEYS.privateKeyset()), Clock.systemUTC());
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
    config.put("conduit.git.fixture.ssh-known-hosts", knownHosts(impostor));
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
    m.put("conduit.git.globex.url", "ssh://git@127.0.0.1:" + server.getPort() + "/repo.git");
    m.put("conduit.git.globex.ssh-key", privateKey);
    m.put("conduit.git.globex.ssh-known-hosts", knownHosts);
    return m;
  }

  private static GitSettings.Source source(Map<String, String> settings) {
    GitSettings s = GitSettings.read(key -> Optional.ofNullable(settings.get(key)));
    assertTrue(s.problems().isEmpty(), s.problems().toString());
    return s.source("globex").orElseThrow();
  }

  private String knownHosts(KeyPair host) {
    return "# the test server\n"
        + KnownHostHashValue.createHostPattern("127.0.0.1", server.getPort())
        + " "
        + PublicKeyEntry.toString(host.getPublic())
        + "\n";
  }

  private static String privateKey(KeyPair pair, String passphrase)
      throws IOException, GeneralSecurityException {
    OpenSSHKeyEncryptionContext options = null;
    if (passphrase != null) {
      options = new OpenSSHKeyEncryptionContext();
      options.setPassword(passphrase);
      options.setCipherName("AES");
      options.setCipherMode("CTR");
      options.setCipherType("256");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "conduit-test", options, out);
    return out.toString(StandardCharsets.US_ASCII);
  }

  /** Every message of the exception and its causes. */
  private static String text(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      b.append(t).append('\n');
    }
    return b.toString();
  }

  private void assertNoSecretLogged(Map<String, String> settings) {
    StringBuilder all = new StringBuilder();
    synchronized (logged) {
      for (LogRecord r : logged) {
        all.append(r.getMessage()).append(' ');
        if (r.getParameters() != null) {
          for (Object p : r.getParameters()) {
            all.append(p).append(' ');
          }
        }
        if (r.getThrown() != null) {
          all.append(text(r.getThrown()));
        }
      }
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

  /** "git-upload-pack '/repo.git'", as an SSH git host runs it, on the bare repository. */
  private final class UploadPackCommand implements Command {
    private final String command;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    UploadPackCommand(String command) {
      this.command = command;
    }

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback exit) {
      this.exit = exit;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
      Thread t =
          new Thread(
              () -> {
                if (!command.equals("git-upload-pack '/repo.git'")) {
                  try {
                    err.write(
                        ("unknown command: " + command + "\n").getBytes(StandardCharsets.UTF_8));
                    err.flush();
                  } catch (IOException e) {
                    // the client went away
                  }
                  exit.onExit(1, "unknown command");
                  return;
                }
                try (Repository repo =
                    new FileRepositoryBuilder()
                        .setGitDir(remote.bare().toFile())
                        .setBare()
                        .build()) {
                  uploads.incrementAndGet();
                  new UploadPack(repo).upload(in, out, err);
                  out.flush();
                  exit.onExit(0);
                } catch (IOException | RuntimeException e) {
                  exit.onExit(1, String.valueOf(e.getMessage()));
                }
              },
              "upload-pack");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void destroy(ChannelSession channel) {}
  }
}
