package dev.conduit.runtime.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.invoke.PrivateNetworkRule;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.store.Databases;
import dev.conduit.seal.Opener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conduit.git.fetch-timeout-seconds} against real TCP servers on loopback that accept and
 * then never answer (and one that answers a byte a second, for more than an hour): an http:// and
 * an ssh:// fetch fail within about the timeout (the ssh handshake included), the runtime keeps
 * serving the last good bundle with the reason in the admin status, and no pass is held much longer
 * than the timeout, even by a remote whose trickle never lets a read time out.
 */
class FetchTimeoutTest {

  private static final int TIMEOUT = 2;

  /**
   * JGit's timeout plus what a loaded machine adds (the ssh handshake's bound took 9.5 s at load
   * 60): still far below the default 30 s and the hour a trickling remote would hold a pass.
   */
  private static final long BOUND_MS = TIMEOUT * 1000L + 10_000;

  @TempDir Path dir;
  private final List<ServerSocket> servers = new CopyOnWriteArrayList<>();
  private final List<Socket> held = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (ServerSocket s : servers) {
      s.close();
    }
    for (Socket s : held) {
      s.close();
    }
  }

  @Test
  void anHttpRemoteThatNeverAnswersFailsWithinTheTimeout() throws Exception {
    int port = silent();
    GitSettings.Source source =
        source(Map.of("conduit.git.acme.url", "http://127.0.0.1:" + port + "/repo.git"));
    try (GitMirror mirror = new GitMirror(source, dir.resolve("copy"))) {
      long start = System.nanoTime();
      GitMirror.FetchException e =
          assertThrows(GitMirror.FetchException.class, () -> mirror.fetch(TIMEOUT));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms >= TIMEOUT * 1000L - 200, "waited the timeout, not less: " + ms + " ms");
      assertTrue(ms < BOUND_MS, "gave up within about the timeout: " + ms + " ms");
      assertTrue(e.getMessage().startsWith("cannot fetch branch main of http://"), e.getMessage());
      assertTrue(e.getMessage().toLowerCase().contains("timed out"), e.getMessage());
    }
  }

  @Test
  void anSshRemoteThatNeverStartsTheHandshakeFailsWithinTheTimeout() throws Exception {
    int port = silent();
    KeyPair client = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    KeyPair host = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    ByteArrayOutputStream key = new ByteArrayOutputStream();
    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(client, "test", null, key);
    GitSettings.Source source =
        source(
            Map.of(
                "conduit.git.acme.url", "ssh://git@127.0.0.1:" + port + "/repo.git",
                "conduit.git.acme.ssh-key", key.toString(StandardCharsets.US_ASCII),
                "conduit.git.acme.ssh-known-hosts",
                    KnownHostHashValue.createHostPattern("127.0.0.1", port)
                        + " "
                        + PublicKeyEntry.toString(host.getPublic())));
    try (GitMirror mirror = new GitMirror(source, dir.resolve("copy"))) {
      long start = System.nanoTime();
      GitMirror.FetchException e =
          assertThrows(GitMirror.FetchException.class, () -> mirror.fetch(TIMEOUT));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < BOUND_MS, "the handshake is bounded by the timeout: " + ms + " ms");
      assertTrue(e.getMessage().startsWith("cannot fetch branch main of ssh://"), e.getMessage());
      assertTrue(!(e instanceof GitMirror.StillFetching), "JGit's own timeout fired");
    }
  }

  @Test
  void aSilentRemoteLeavesTheLastGoodBundleServingWithTheReasonShown() throws Exception {
    // compiled in this JVM without code engines (CompileWorkerTest: the worker)
    Map<String, String> config = new HashMap<>(Map.of("conduit.git.compile-in", "server"));
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
    try (GitRemote remote = new GitRemote(dir.resolve("remote.git"), dir.resolve("work"))) {
      String first =
          remote.push("first", w -> Fixtures.repository(w.resolve("org"), "http://127.0.0.1:9"));
      config.put("conduit.git.organizations", "fixture");
      config.put("conduit.git.fixture.url", remote.url());
      config.put("conduit.git.fixture.path", "org");
      config.put("conduit.git.fetch-timeout-seconds", String.valueOf(TIMEOUT));
      reconciler.pass(Set.of("fixture"));
      assertEquals(first, serving(registry));

      // the remote moves to a host that accepts connections and never answers
      config.put("conduit.git.fixture.url", "http://127.0.0.1:" + silent() + "/repo.git");
      long start = System.nanoTime();
      reconciler.pass(Set.of("fixture"));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < BOUND_MS, "the pass was held about the timeout only: " + ms + " ms");
      assertEquals(first, serving(registry), "the last good bundle keeps serving");
      String reason = store.state("fixture").fetchError();
      assertNotNull(reason, "the reason is in the admin status (fetchError)");
      assertTrue(reason.toLowerCase().contains("timed out"), reason);

      // a remote that trickles a byte a second never lets a read time out: the pass still goes
      config.put("conduit.git.fixture.url", "http://127.0.0.1:" + trickle() + "/repo.git");
      start = System.nanoTime();
      reconciler.pass(Set.of("fixture"));
      ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < BOUND_MS + 2_000, "the pass moved on: " + ms + " ms");
      assertEquals(first, serving(registry));
      String here = reconciler.local("fixture").orElseThrow().problem();
      assertTrue(here.contains("still running"), here);
      // the next pass collects the running fetch without waiting for it
      start = System.nanoTime();
      reconciler.pass(Set.of());
      ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < 1_000, "a running fetch is not waited for twice: " + ms + " ms");
      assertTrue(reconciler.local("fixture").orElseThrow().problem().contains("still running"));
    }
    reconciler.close();
  }

  private static String serving(BundleRegistry registry) {
    return registry.organization(Fixtures.ORG).map(o -> o.bundle().source().commit()).orElse(null);
  }

  private static GitSettings.Source source(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>(extra);
    m.put("conduit.git.organizations", "acme");
    GitSettings s = GitSettings.read(k -> Optional.ofNullable(m.get(k)));
    assertTrue(s.problems().isEmpty(), s.problems().toString());
    return s.source("acme").orElseThrow();
  }

  /** A TCP server that accepts every connection and never sends a byte. */
  private int silent() throws IOException {
    return serve(socket -> held.add(socket));
  }

  /** A TCP server that answers HTTP headers, then one byte a second for as long as it runs. */
  private int trickle() throws IOException {
    return serve(
        socket ->
            Thread.ofPlatform()
                .daemon()
                .start(
                    () -> {
                      try (socket) {
                        OutputStream out = socket.getOutputStream();
                        out.write(
                            ("HTTP/1.1 200 OK\r\nContent-Type:"
                                    + " application/x-git-upload-pack-advertisement\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        // a pkt-line header announcing 4091 bytes, then those bytes one by one
                        out.write("0fff".getBytes(StandardCharsets.US_ASCII));
                        while (!socket.isClosed()) {
                          Thread.sleep(1_000);
                          out.write('x');
                          out.flush();
                        }
                      } catch (IOException | InterruptedException e) {
                        // the client gave up or the test ended
                      }
                    }));
  }

  private interface OnAccept {
    void accepted(Socket socket) throws IOException;
  }

  private int serve(OnAccept onAccept) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    servers.add(server);
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  held.add(s);
                  onAccept.accepted(s);
                } catch (IOException e) {
                  return;
                }
              }
            });
    return server.getLocalPort();
  }
}
