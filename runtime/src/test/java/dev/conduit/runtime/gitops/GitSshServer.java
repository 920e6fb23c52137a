package dev.conduit.runtime.gitops;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A real SSH Git host for tests: Apache MINA sshd on loopback with a generated host key, one
 * accepted client key, running JGit's upload-pack and receive-pack on one bare repository as {@code
 * /repo.git}. GitOps' fetches ({@code GitMirrorSshTest}) and the console's review branches ({@code
 * ChangeBranchesTest}) use it.
 */
public final class GitSshServer implements AutoCloseable {

  private final Path bare;
  private final SshServer server;
  private final KeyPair hostKey;
  private final KeyPair clientKey;
  private final AtomicInteger uploads = new AtomicInteger();
  private final AtomicInteger receives = new AtomicInteger();

  public GitSshServer(Path bare) throws IOException, GeneralSecurityException {
    this.bare = bare;
    hostKey = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    clientKey = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPublickeyAuthenticator(
        (user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
    server.setCommandFactory((channel, command) -> new GitCommand(command));
    server.start();
  }

  public String url() {
    return "ssh://git@127.0.0.1:" + server.getPort() + "/repo.git";
  }

  public int port() {
    return server.getPort();
  }

  /** The key this server shows (its fingerprint is what a refusal names). */
  public PublicKey hostKey() {
    return hostKey.getPublic();
  }

  /** The accepted client key, OpenSSH text without a passphrase (an ssh-key setting). */
  public String clientPrivateKey() throws IOException, GeneralSecurityException {
    return clientPrivateKey(null);
  }

  /** The same, encrypted with {@code passphrase} (null: none). */
  public String clientPrivateKey(String passphrase) throws IOException, GeneralSecurityException {
    return privateKey(clientKey, passphrase);
  }

  /** A key pair as OpenSSH private key text, encrypted with {@code passphrase} (null: none). */
  public static String privateKey(KeyPair pair, String passphrase)
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

  /** The known_hosts line of this server (an ssh-known-hosts setting). */
  public String knownHosts() {
    return knownHosts(hostKey.getPublic());
  }

  /** A known_hosts line for this server's address with another key (an impostor's). */
  public String knownHosts(PublicKey key) {
    return KnownHostHashValue.createHostPattern("127.0.0.1", server.getPort())
        + " "
        + PublicKeyEntry.toString(key)
        + "\n";
  }

  public int uploads() {
    return uploads.get();
  }

  public int receives() {
    return receives.get();
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }

  /**
   * "git-upload-pack '/repo.git'" or "git-receive-pack '/repo.git'", as an SSH git host runs it.
   */
  private final class GitCommand implements Command {
    private final String command;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    GitCommand(String command) {
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
      Thread.ofPlatform().daemon().name("git-ssh-command").start(this::run);
    }

    private void run() {
      boolean upload = command.equals("git-upload-pack '/repo.git'");
      if (!upload && !command.equals("git-receive-pack '/repo.git'")) {
        try {
          err.write(("unknown command: " + command + "\n").getBytes(StandardCharsets.UTF_8));
          err.flush();
        } catch (IOException e) {
          // the client went away
        }
        exit.onExit(1, "unknown command");
        return;
      }
      try (Repository repo =
          new FileRepositoryBuilder().setGitDir(bare.toFile()).setBare().build()) {
        if (upload) {
          uploads.incrementAndGet();
          new UploadPack(repo).upload(in, out, err);
        } else {
          receives.incrementAndGet();
          new ReceivePack(repo).receive(in, out, err);
        }
        out.flush();
        exit.onExit(0);
      } catch (IOException | RuntimeException e) {
        exit.onExit(1, String.valueOf(e.getMessage()));
      }
    }

    @Override
    public void destroy(ChannelSession channel) {}
  }
}
