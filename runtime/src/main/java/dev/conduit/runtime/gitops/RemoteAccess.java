package dev.conduit.runtime.gitops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * How every JGit command of this runtime reaches a source's remote (GitOps' fetches, the console's
 * ls-remote, fetch and push of review branches): the source's credentials (a password or token for
 * https, {@link SshConnector} for ssh) and {@code conduit.git.fetch-timeout-seconds}, which bounds
 * the TCP connect, the ssh handshake and authentication, and each read. One place, so that the
 * console cannot reach a remote in a way GitOps does not. Close it after the command: for ssh it
 * owns the client.
 */
public final class RemoteAccess implements AutoCloseable {

  /** The source cannot be reached as configured (a key that cannot be read, no known host). */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * The JDK's HTTP client, which JGit's http(s) transport uses, logs every request's headers at
   * FINE: the Authorization header, a token in base64, included. Pinned at INFO whatever level the
   * root or a trace setting asks for; held here so that the setting is not collected with the
   * logger (java.util.logging keeps loggers weakly).
   */
  private static final Logger JDK_HTTP =
      pinnedAtInfo("sun.net.www.protocol.http.HttpURLConnection");

  private final GitSettings.Source source;
  private final int timeoutSeconds;
  private final SshConnector ssh;
  private Path temporaryHome;

  /**
   * @param sshHome an owner-only folder of this source that only this process reads; JGit's ssh
   *     client gets it instead of the server user's home (unused for other schemes); null: a
   *     temporary one, removed on {@link #close()} (the console, which keeps nothing on disk)
   */
  public RemoteAccess(GitSettings.Source source, int timeoutSeconds, Path sshHome) throws Refused {
    this.source = source;
    this.timeoutSeconds = timeoutSeconds;
    if (source.credentials() instanceof GitSettings.Credentials.SshKey key) {
      try {
        temporaryHome = sshHome == null ? Files.createTempDirectory("conduit-ssh-") : null;
        this.ssh =
            new SshConnector(
                source, key, sshHome == null ? temporaryHome : sshHome, timeoutSeconds);
      } catch (SshConnector.Refused | IOException e) {
        removeTemporaryHome();
        throw new Refused(e.getMessage());
      }
    } else {
      this.ssh = null;
    }
  }

  private static Logger pinnedAtInfo(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.INFO);
    return logger;
  }

  public int timeoutSeconds() {
    return timeoutSeconds;
  }

  /** The command with this source's remote, timeout and credentials. */
  public <C extends TransportCommand<C, ?>> C configure(C command) {
    command.setTimeout(timeoutSeconds);
    if (ssh != null) {
      ssh.configure(command);
    } else if (source.credentials() instanceof GitSettings.Credentials.Password p) {
      command.setCredentialsProvider(
          new UsernamePasswordCredentialsProvider(p.username(), p.password()));
    }
    return command;
  }

  /**
   * Why the ssh server's host key was refused during the last command, if it was: JGit says only
   * "server key did not validate", the connector knows which key and why.
   */
  public Optional<String> hostKeyRefusal() {
    return ssh == null ? Optional.empty() : ssh.hostKeyRefusal();
  }

  @Override
  public void close() {
    if (ssh != null) {
      ssh.close();
    }
    removeTemporaryHome();
  }

  private void removeTemporaryHome() {
    if (temporaryHome == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(temporaryHome)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // an empty folder in the temporary directory: nothing secret is ever written there
    }
    temporaryHome = null;
  }
}
