package dev.conduit.runtime.gitops;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * One source's ssh:// access for one JGit command: the private key and the accepted host keys come
 * from the source's Config secrets only, held in memory. Nothing of the server's user is read
 * (~/.ssh, its config, its agent, its known_hosts): an instance trusts exactly the host keys its
 * settings name, and an unknown or changed host key is refused (strict checking, nothing asked).
 * Close it after the command: it owns the ssh client.
 */
final class SshConnector implements AutoCloseable {

  /** Why a connection was refused before any git data moved (a bad key, an unknown host). */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /** MINA's auth-timeout (CoreModuleProperties.AUTH_TIMEOUT) as a system property. */
  private static final String AUTH_TIMEOUT = "org.apache.sshd.config.auth-timeout";

  private final String settingPrefix;
  private final URI url;
  private final GitSettings.Credentials.SshKey key;
  private final SshdSessionFactory factory;
  private volatile String hostKeyRefusal;

  /**
   * @param emptyHome a folder of this source that only this process reads: JGit needs a home and an
   *     ssh folder, and gets this empty one instead of the server user's
   */
  SshConnector(
      GitSettings.Source source,
      GitSettings.Credentials.SshKey key,
      Path emptyHome,
      int timeoutSeconds)
      throws Refused, IOException {
    // JGit bounds the TCP connect by the command's timeout but waits for the handshake and the
    // authentication as long as MINA's auth-timeout (2 minutes): a server that accepts and stays
    // silent would hold the fetch that long. The builder gives no hold on the client's properties;
    // MINA reads this system property when no other level sets it. The setting is process-wide
    // like conduit.git.fetch-timeout-seconds itself.
    System.setProperty(AUTH_TIMEOUT, Long.toString(timeoutSeconds * 1000L));
    this.settingPrefix = GitSettings.PREFIX + source.label() + ".";
    this.url = source.url();
    this.key = key;
    List<KeyPair> identities = identities();
    List<KnownHostEntry> knownHosts = knownHosts();
    Path home = privateFolder(emptyHome);
    File homeFile = home.toFile();
    this.factory =
        new SshdSessionFactoryBuilder()
            .setHomeDirectory(homeFile)
            .setSshDirectory(homeFile)
            .setConfigStoreFactory((h, f, u) -> null)
            .setDefaultIdentities(dir -> List.of())
            .setDefaultKnownHostsFiles(dir -> List.of())
            .setDefaultKeysProvider(dir -> identities)
            .setPreferredAuthentications("publickey")
            .setServerKeyDatabase((h, s) -> new Strict(knownHosts))
            .build(null);
  }

  /** Makes the command connect through this connector when its transport is ssh. */
  void configure(TransportCommand<?, ?> command) {
    command.setTransportConfigCallback(this::configure);
  }

  private void configure(Transport transport) {
    if (transport instanceof SshTransport ssh) {
      ssh.setSshSessionFactory(factory);
    }
  }

  /** The reason the server's host key was refused during the last command, if it was. */
  Optional<String> hostKeyRefusal() {
    return Optional.ofNullable(hostKeyRefusal);
  }

  @Override
  public void close() {
    factory.close();
  }

  private List<KeyPair> identities() throws Refused {
    FilePasswordProvider passphrase =
        key.passphrase().isPresent()
            ? FilePasswordProvider.of(key.passphrase().get())
            : FilePasswordProvider.EMPTY;
    List<KeyPair> pairs = new ArrayList<>();
    try {
      Iterable<KeyPair> loaded =
          SecurityUtils.loadKeyPairIdentities(
              null,
              NamedResource.ofName(settingPrefix + "ssh-key"),
              new ByteArrayInputStream(key.privateKey().getBytes(StandardCharsets.UTF_8)),
              passphrase);
      if (loaded != null) {
        loaded.forEach(pairs::add);
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // the parser's message only names the resource (the setting), never the key's text
      throw new Refused(
          settingPrefix
              + "ssh-key: not a private key that can be read"
              + (key.passphrase().isPresent() ? " with " + settingPrefix + "ssh-passphrase" : "")
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
    if (pairs.isEmpty()) {
      throw new Refused(
          settingPrefix + "ssh-key: holds no private key (OpenSSH or PEM text expected)");
    }
    return List.copyOf(pairs);
  }

  private List<KnownHostEntry> knownHosts() throws Refused {
    List<KnownHostEntry> entries;
    try {
      entries = KnownHostEntry.readKnownHostEntries(new StringReader(key.knownHosts()), true);
    } catch (IOException | RuntimeException e) {
      throw new Refused(
          settingPrefix + "ssh-known-hosts: not known_hosts lines: " + e.getMessage());
    }
    if (entries == null || entries.isEmpty()) {
      throw new Refused(settingPrefix + "ssh-known-hosts: holds no host key line");
    }
    return List.copyOf(entries);
  }

  private static Path privateFolder(Path dir) throws IOException {
    Files.createDirectories(dir);
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing secret is written there anyway
    }
    return dir;
  }

  /** Accepts exactly the keys the settings list for the source's host and port. */
  private final class Strict implements ServerKeyDatabase {
    private final List<KnownHostEntry> entries;

    Strict(List<KnownHostEntry> entries) {
      this.entries = entries;
    }

    private String host() {
      return url.getHost();
    }

    private int port() {
      return url.getPort() < 0 ? 22 : url.getPort();
    }

    @Override
    public List<PublicKey> lookup(
        String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
      return keys(false);
    }

    @Override
    public boolean accept(
        String connectAddress,
        InetSocketAddress remoteAddress,
        PublicKey serverKey,
        Configuration config,
        CredentialsProvider provider) {
      for (PublicKey revoked : keys(true)) {
        if (KeyUtils.compareKeys(revoked, serverKey)) {
          return refuse("is marked @revoked in " + settingPrefix + "ssh-known-hosts", serverKey);
        }
      }
      for (PublicKey known : keys(false)) {
        if (KeyUtils.compareKeys(known, serverKey)) {
          hostKeyRefusal = null;
          return true;
        }
      }
      return refuse(
          keys(false).isEmpty()
              ? "is unknown: " + settingPrefix + "ssh-known-hosts has no line for this host"
              : "does not match " + settingPrefix + "ssh-known-hosts (changed, or another server)",
          serverKey);
    }

    private boolean refuse(String why, PublicKey serverKey) {
      hostKeyRefusal =
          "the host key of "
              + host()
              + ":"
              + port()
              + " ("
              + KeyUtils.getKeyType(serverKey)
              + " "
              + KeyUtils.getFingerPrint(serverKey)
              + ") "
              + why
              + "; nothing was fetched";
      return false;
    }

    private List<PublicKey> keys(boolean revoked) {
      List<PublicKey> keys = new ArrayList<>();
      for (KnownHostEntry e : entries) {
        boolean isRevoked = "revoked".equals(e.getMarker());
        if (isRevoked != revoked || (e.getMarker() != null && !isRevoked)) {
          continue; // @cert-authority lines: certificates are not supported, so never trusted
        }
        if (!e.isHostMatch(host(), port()) || e.getKeyEntry() == null) {
          continue;
        }
        try {
          keys.add(e.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING));
        } catch (IOException | GeneralSecurityException ex) {
          // an unreadable line trusts nothing
        }
      }
      return keys;
    }
  }
}
