package it.dev.conduit.runtime;

import dev.conduit.bundle.BundleCodec;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.gitops.GitHttpServer;
import dev.conduit.runtime.gitops.GitRemote;
import dev.conduit.seal.Opener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Prepares the integration tests' server (run by Maven before it starts): the fixture organization
 * pointed at the test upstream's port, and the two example organizations with the demo connection
 * pointed at the test server's port, all sealed to the demo runtime key.
 */
public final class ItFixtures {

  /** The test server's HTTPS port (its authenticated /metrics): a few above its HTTP port. */
  static int httpsPort(int serverPort) {
    return serverPort + 3;
  }

  /** Where {@link ItGitHost} serves Initech's repository over HTTP: two above its HTTP port. */
  static int gitPort(int serverPort) {
    return serverPort + 2;
  }

  /** The token {@link ItGitHost} asks for, made anew each run by {@link #main}. */
  static Path gitToken(Path dir) {
    return dir.resolve("initech-git.token");
  }

  /** Where the test server sends alert mail: AlertsIT's GreenMail listens there. */
  static int smtpPort(int serverPort) {
    return serverPort + 9;
  }

  /**
   * @param args the runtime module's folder, the output folder, the test server's port, the test
   *     upstream's port, the test server's folder
   */
  public static void main(String[] args) throws Exception {
    Path module = Path.of(args[0]);
    Path root = module.getParent();
    Path dir = Path.of(args[1]);
    String serverPort = args[2];
    String upstreamPort = args[3];
    Files.createDirectories(dir);
    Path demoKey = root.resolve("connections-repo/demo-keys/runtime-key.DEMO-ONLY.json");
    String publicKey = new Opener(Files.readString(demoKey)).publicKey();
    Path fixture =
        Fixtures.repository(
            module.resolve(Fixtures.TEMPLATE),
            fresh(dir.resolve("fixture-repo")),
            "http://127.0.0.1:" + upstreamPort,
            publicKey);
    Files.write(dir.resolve("fixture.bundle.json"), BundleCodec.write(Fixtures.compile(fixture)));
    // the same organization with one connection whose secret does not open (ReloadIT)
    Path broken = Fixtures.copy(fixture, fresh(dir.resolve("fixture-wecom-unopenable-repo")));
    Fixtures.swapInCiphertextOf(broken, "wecom", "cc");
    Files.write(
        dir.resolve("fixture-wecom-unopenable.bundle.json"),
        BundleCodec.write(Fixtures.compile(broken)));
    Path acme = Fixtures.copy(root.resolve("connections-repo"), fresh(dir.resolve("acme-repo")));
    Path demo = acme.resolve("connections/demo/connection.json");
    Files.writeString(
        demo, Files.readString(demo).replace("127.0.0.1:9080", "127.0.0.1:" + serverPort));
    Path demoGithub = acme.resolve("connections/demo-github/connection.json");
    Files.writeString(demoGithub, Files.readString(demoGithub).replace(":9080", ":" + serverPort));
    Files.write(dir.resolve("acme.bundle.json"), BundleCodec.write(Fixtures.compile(acme)));
    // Acme's repository as a Git remote (a bare repository over file://): the console's changes
    // become branches there (ConsoleIT)
    Path acmeRemote = remote(acme, dir.resolve("acme.git"));
    // an organization served from Git (GitOps), and a public library with a newer version of an
    // entry it installs: ConsoleLibraryIT's deployments, "update available" and upgrade. Its
    // remote is reached over HTTP with a token (ItGitHost), as a team's Git host would be: the
    // deployments page shows that address, not a folder of this machine
    remote(
        ConsoleRepos.initech(
            fresh(dir.resolve("initech-repo")),
            publicKey,
            root.resolve("library"),
            root.resolve("connections-repo")),
        dir.resolve("initech.git"));
    String gitToken = java.util.UUID.randomUUID().toString();
    Files.writeString(gitToken(dir), gitToken);
    Path library = ConsoleRepos.library(root.resolve("library"), fresh(dir.resolve("library")));
    Files.write(
        dir.resolve("globex.bundle.json"),
        BundleCodec.write(Fixtures.compile(root.resolve("examples/globex-repo"))));
    // the test server's HTTPS key (/metrics) is made anew at its start with this run's random
    // keystore_password: a key.p12 left by an earlier run has the earlier password
    Files.deleteIfExists(Path.of(args[4]).resolve("resources/security/key.p12"));
    // the test server's configuration: its own port, these bundles, the demo key
    Path config = Files.createDirectories(dir.resolve("liberty-config"));
    // what Arquillian's Liberty container attaches through and deploys into (InContainerIT):
    // the local connector and the dropins folder; tests only
    Path overrides = Files.createDirectories(config.resolve("configDropins/overrides"));
    Files.writeString(
        overrides.resolve("arquillian.xml"),
        String.join(
            "\n",
            "<server description=\"integration tests only\">",
            "  <featureManager>",
            "    <feature>localConnector-1.0</feature>",
            "  </featureManager>",
            "  <applicationMonitor updateTrigger=\"polled\" pollingRate=\"500ms\" dropinsEnabled=\"true\"/>",
            "</server>",
            ""));
    Files.writeString(
        config.resolve("server.env"),
        String.join(
            "\n",
            "HTTP_PORT=" + serverPort,
            "CONDUIT_BUNDLES="
                + dir.resolve("fixture.bundle.json").toAbsolutePath()
                + ","
                + dir.resolve("acme.bundle.json").toAbsolutePath()
                + ","
                + dir.resolve("globex.bundle.json").toAbsolutePath(),
            "CONDUIT_SEALING_PRIVATE_KEY=" + demoKey.toAbsolutePath().normalize(),
            "CONDUIT_DEMO_ENABLED=true",
            // the organizations whose connections call this machine: the fixture's upstreams
            // (WireMock, it.upstream.port) and Acme's demo upstream (this server); Globex and
            // Initech are not named, and none of their connections needs it
            "CONDUIT_UPSTREAM_PRIVATE_NETWORK_ORGANIZATIONS=" + Fixtures.ORG + "," + ItSupport.ACME,
            // small bulkheads and body deadline, so StallIT can fill them with a few calls
            "CONDUIT_INVOKE_MAX_CALLS_PER_CONNECTION=" + StallIT.PER_CONNECTION,
            "CONDUIT_INVOKE_MAX_CALLS_PER_APPLICATION=" + StallIT.PER_APPLICATION,
            "CONDUIT_INVOKE_BODY_READ_SECONDS=" + StallIT.BODY_SECONDS,
            // the ITs fail the same fixture upstreams on purpose, many times in a row, and assert
            // each failure's own code: the circuit breaker (CircuitBreakerInvokeTest) stays off
            "CONDUIT_INVOKE_CIRCUIT_FAILURES=0",
            "CONDUIT_PUBLIC_URL=http://localhost:" + serverPort,
            "CONDUIT_GIT_ORGANIZATIONS=acme,initech",
            "CONDUIT_GIT_ACME_URL=" + acmeRemote.toUri(),
            // /metrics over HTTPS (MetricsIT); the default keystore's password, random per run
            "HTTPS_PORT=" + httpsPort(Integer.parseInt(serverPort)),
            "keystore_password=" + java.util.UUID.randomUUID(),
            // alert mail to AlertsIT's GreenMail, tried often: a mail attempted before it listens
            // is retried within seconds
            "CONDUIT_ALERTS_SMTP_HOST=127.0.0.1",
            "CONDUIT_ALERTS_SMTP_PORT=" + smtpPort(Integer.parseInt(serverPort)),
            "CONDUIT_ALERTS_SMTP_FROM=conduit-it@localhost",
            "CONDUIT_ALERTS_DELIVERY_INTERVAL_MS=500",
            "CONDUIT_ALERTS_RETRY_BACKOFF_MS=1000",
            "CONDUIT_ALERTS_RETRY_MAX_BACKOFF_MS=2000",
            "CONDUIT_ALERTS_RETRY_MAX_ATTEMPTS=30",
            "CONDUIT_GIT_INITECH_URL=" + GitHttpServer.url(gitPort(Integer.parseInt(serverPort))),
            "CONDUIT_GIT_INITECH_PASSWORD=" + gitToken,
            "CONDUIT_LIBRARY=" + library.toAbsolutePath(),
            ""));
    System.out.println("[it] bundles and server configuration written to " + dir);
  }

  /** The tree committed once on main of a new bare repository, as a team's remote holds it. */
  private static Path remote(Path tree, Path bare) throws Exception {
    return GitRemote.holding(
        tree, fresh(bare), fresh(bare.resolveSibling(bare.getFileName() + "-work")));
  }

  static Path fresh(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(dir);
  }
}
