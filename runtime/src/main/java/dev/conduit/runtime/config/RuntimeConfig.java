package dev.conduit.runtime.config;

import dev.conduit.runtime.alerts.Deliveries;
import dev.conduit.runtime.alerts.Mailer;
import dev.conduit.runtime.invoke.PrivateNetworkRule;
import dev.conduit.runtime.limits.CircuitBreaker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every setting of the runtime, from MicroProfile Config: server.xml variables, system properties,
 * or environment variables (CONDUIT_BUNDLES for conduit.bundles, and so on). docs/runtime.md lists
 * them with their defaults.
 */
@ApplicationScoped
public class RuntimeConfig {

  @Inject
  @ConfigProperty(name = "conduit.bundles")
  Optional<List<String>> bundles;

  @Inject
  @ConfigProperty(name = "conduit.sealing.private-key")
  Optional<String> privateKey;

  @Inject
  @ConfigProperty(name = "conduit.demo.enabled", defaultValue = "false")
  boolean demoEnabled;

  @Inject
  @ConfigProperty(name = "conduit.public-url", defaultValue = "http://localhost:9080")
  String publicUrl;

  @Inject
  @ConfigProperty(name = "conduit.invoke.max-request-bytes", defaultValue = "1048576")
  int maxRequestBytes;

  @Inject
  @ConfigProperty(name = "conduit.invoke.max-response-bytes", defaultValue = "5242880")
  long maxResponseBytes;

  /**
   * Which organizations' connections may use allowPrivateNetwork: their ids (comma-separated), "*"
   * for all; unset or blank for none, the default. See {@link PrivateNetworkRule}.
   */
  @Inject
  @ConfigProperty(name = PrivateNetworkRule.SETTING)
  Optional<List<String>> privateNetworkOrganizations;

  @Inject
  @ConfigProperty(name = "conduit.invoke.body-read-seconds", defaultValue = "10")
  int bodyReadSeconds;

  @Inject
  @ConfigProperty(name = "conduit.invoke.max-calls-per-connection", defaultValue = "64")
  int maxCallsPerConnection;

  @Inject
  @ConfigProperty(name = "conduit.invoke.max-calls-per-application", defaultValue = "128")
  int maxCallsPerApplication;

  @Inject
  @ConfigProperty(name = "conduit.invoke.circuit.failures", defaultValue = "5")
  int circuitFailures;

  @Inject
  @ConfigProperty(name = "conduit.invoke.circuit.window-ms", defaultValue = "60000")
  long circuitWindowMillis;

  @Inject
  @ConfigProperty(name = "conduit.invoke.circuit.open-ms", defaultValue = "30000")
  long circuitOpenMillis;

  @Inject
  @ConfigProperty(name = "conduit.logs.retention-days", defaultValue = "30")
  int logRetentionDays;

  @Inject
  @ConfigProperty(name = "conduit.logs.queue-capacity", defaultValue = "10000")
  int logQueueCapacity;

  @Inject
  @ConfigProperty(name = "conduit.logs.max-body-chars", defaultValue = "16384")
  int logMaxBodyChars;

  @Inject
  @ConfigProperty(name = "conduit.logs.commit-wait-ms", defaultValue = "2000")
  long logCommitWaitMillis;

  @Inject
  @ConfigProperty(name = "conduit.logs.journal", defaultValue = "true")
  boolean logJournal;

  @Inject
  @ConfigProperty(name = "conduit.identity.access-token-seconds", defaultValue = "604800")
  long accessTokenSeconds;

  @Inject
  @ConfigProperty(name = "conduit.identity.refresh-token-seconds", defaultValue = "2592000")
  long refreshTokenSeconds;

  @Inject
  @ConfigProperty(name = "conduit.accounts.cache-seconds", defaultValue = "5")
  int accountsCacheSeconds;

  @Inject
  @ConfigProperty(name = "conduit.code.python-workers", defaultValue = "4")
  int pythonWorkers;

  @Inject
  @ConfigProperty(name = "conduit.code.bubblewrap", defaultValue = "true")
  boolean bubblewrap;

  /**
   * The operator's opt-in to running Python blocks without bubblewrap; its name says what it is.
   */
  public static final String PYTHON_UNCONFINED_UNSAFE = "conduit.code.python-unconfined-unsafe";

  @Inject
  @ConfigProperty(name = PYTHON_UNCONFINED_UNSAFE, defaultValue = "false")
  boolean pythonUnconfinedUnsafe;

  @Inject
  @ConfigProperty(name = "conduit.code.max-timeout-ms", defaultValue = "30000")
  long codeMaxTimeoutMillis;

  @Inject
  @ConfigProperty(name = "conduit.code.js-max-allocation-mb", defaultValue = "256")
  long jsMaxAllocationMb;

  @Inject
  @ConfigProperty(name = "conduit.alerts.smtp.host")
  Optional<String> smtpHost;

  @Inject
  @ConfigProperty(name = "conduit.alerts.smtp.port", defaultValue = "25")
  int smtpPort;

  @Inject
  @ConfigProperty(name = "conduit.alerts.smtp.from", defaultValue = "conduit@localhost")
  String smtpFrom;

  @Inject
  @ConfigProperty(name = "conduit.alerts.smtp.username")
  Optional<String> smtpUsername;

  @Inject
  @ConfigProperty(name = "conduit.alerts.smtp.password")
  Optional<String> smtpPassword;

  @Inject
  @ConfigProperty(name = "conduit.alerts.smtp.starttls", defaultValue = "false")
  boolean smtpStartTls;

  @Inject
  @ConfigProperty(name = "conduit.alerts.timeout-ms", defaultValue = "10000")
  int alertTimeoutMillis;

  @Inject
  @ConfigProperty(name = "conduit.alerts.retry.max-attempts", defaultValue = "6")
  int alertMaxAttempts;

  @Inject
  @ConfigProperty(name = "conduit.alerts.retry.backoff-ms", defaultValue = "30000")
  long alertBackoffMillis;

  @Inject
  @ConfigProperty(name = "conduit.alerts.retry.max-backoff-ms", defaultValue = "3600000")
  long alertMaxBackoffMillis;

  @Inject
  @ConfigProperty(name = "conduit.alerts.delivery-interval-ms", defaultValue = "5000")
  long alertDeliveryIntervalMillis;

  @Inject
  @ConfigProperty(name = "conduit.alerts.retention-days", defaultValue = "90")
  int alertRetentionDays;

  /**
   * How alert mails are sent (conduit.alerts.smtp.*); no host: mail off, inbox and webhook only.
   */
  public Mailer.Settings smtp() {
    return new Mailer.Settings(
        smtpHost.orElse(null),
        smtpPort,
        smtpFrom,
        smtpUsername.orElse(null),
        smtpPassword.orElse(null),
        smtpStartTls,
        alertTimeoutMillis);
  }

  /** How long one SMTP or webhook exchange may take, in milliseconds. */
  public int alertTimeoutMillis() {
    return alertTimeoutMillis;
  }

  /** Attempts and backoff of alert deliveries before they become dead letters. */
  public Deliveries.Retry alertRetry() {
    return new Deliveries.Retry(
        Math.max(1, alertMaxAttempts),
        Math.max(1, alertBackoffMillis),
        Math.max(1, alertMaxBackoffMillis));
  }

  /** How often the outbox is worked through, in milliseconds. */
  public long alertDeliveryIntervalMillis() {
    return Math.max(100, alertDeliveryIntervalMillis);
  }

  public int alertRetentionDays() {
    return alertRetentionDays;
  }

  @Inject
  @ConfigProperty(name = "conduit.bench.forward-url")
  Optional<String> benchForwardUrl;

  private volatile Optional<URI> benchForward;

  /**
   * Jython worker processes for Python code blocks at most, each serving one connection of one
   * organization for its whole life: the number of connections held warm (0 turns Python off).
   */
  public int pythonWorkers() {
    return pythonWorkers;
  }

  /**
   * How long a server serves an account's calls from its memory (its state, allowed applications
   * and tokens): the bound on how long a removal, consent change or re-authorization made on
   * another server goes unnoticed here. 0: every call reads the database.
   */
  public Duration accountsCacheLifetime() {
    return Duration.ofSeconds(Math.max(0, accountsCacheSeconds));
  }

  /** Confine Python workers with bubblewrap where the machine allows it. */
  public boolean bubblewrap() {
    return bubblewrap;
  }

  /**
   * Run Python blocks even where bubblewrap is not up (unsafe: they can then read files and reach
   * the network); false: they are refused there with CODE_BLOCK_UNAVAILABLE.
   */
  public boolean pythonUnconfinedUnsafe() {
    return pythonUnconfinedUnsafe;
  }

  public long codeMaxTimeoutMillis() {
    return codeMaxTimeoutMillis;
  }

  public long jsMaxAllocationBytes() {
    return jsMaxAllocationMb * 1024 * 1024;
  }

  /** Paths of the bundles to serve, one per organization. */
  public List<String> bundles() {
    return bundles.orElse(List.of());
  }

  /** Path of the runtime's private sealing key (Tink JSON keyset). */
  public Optional<String> privateKey() {
    return privateKey;
  }

  public boolean demoEnabled() {
    return demoEnabled;
  }

  /** How clients reach this runtime (issuer of the identity provider, redirect URIs). */
  public String publicUrl() {
    return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  public PrivateNetworkRule privateNetwork() {
    return PrivateNetworkRule.of(privateNetworkOrganizations.orElse(List.of()));
  }

  public long maxResponseBytes() {
    return maxResponseBytes;
  }

  /** How long an invoke's whole request body may take to arrive, in seconds. */
  public int bodyReadSeconds() {
    return bodyReadSeconds;
  }

  /** Calls one connection may have in flight (0: no limit); more get UPSTREAM_BUSY. */
  public int maxCallsPerConnection() {
    return maxCallsPerConnection;
  }

  /** Calls one application may have in flight (0: no limit); more get TOO_MANY_CALLS. */
  public int maxCallsPerApplication() {
    return maxCallsPerApplication;
  }

  /**
   * The per-connection circuit breaker: consecutive upstream failures (within the window) that open
   * it, 0 for off; how long it stays open before a probe.
   */
  public CircuitBreaker.Settings circuit() {
    return new CircuitBreaker.Settings(
        circuitFailures, Math.max(1, circuitWindowMillis), Math.max(1, circuitOpenMillis));
  }

  public int logRetentionDays() {
    return logRetentionDays;
  }

  public int logQueueCapacity() {
    return logQueueCapacity;
  }

  /**
   * How long a call waits for its request log to be committed before it answers (0: it does not
   * wait, and a crash may lose the logs of the last calls answered).
   */
  public long logCommitWaitMillis() {
    return Math.max(0, logCommitWaitMillis);
  }

  /**
   * Whether a call's request log is made durable in a journal beside an embedded H2 database
   * instead of by waiting for its commit (no effect with other databases).
   */
  public boolean logJournal() {
    return logJournal;
  }

  /** How much of a request or response body the engine records (request logs, Test API). */
  public int logMaxBodyChars() {
    return Math.max(0, logMaxBodyChars);
  }

  /**
   * Benchmarks only: where the bare forward endpoint (POST /bench/forward) sends what it gets;
   * empty (the default) turns the endpoint off (404).
   */
  public Optional<URI> benchForwardUrl() {
    Optional<URI> u = benchForward;
    if (u == null) {
      u = benchForwardUrl.filter(s -> !s.isBlank()).map(RuntimeConfig::benchUri);
      benchForward = u;
    }
    return u;
  }

  private static URI benchUri(String url) {
    try {
      return URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "conduit.bench.forward-url is not a URL (" + e.getMessage() + "): " + url);
    }
  }

  public long accessTokenSeconds() {
    return accessTokenSeconds;
  }

  public long refreshTokenSeconds() {
    return refreshTokenSeconds;
  }
}
