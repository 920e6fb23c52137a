package dev.conduit.runtime;

import dev.conduit.runtime.accounts.AccountCipher;
import dev.conduit.runtime.accounts.AccountTokens;
import dev.conduit.runtime.accounts.Accounts;
import dev.conduit.runtime.accounts.ConnectFlow;
import dev.conduit.runtime.accounts.Links;
import dev.conduit.runtime.alerts.Alerts;
import dev.conduit.runtime.alerts.Deliveries;
import dev.conduit.runtime.alerts.Mailer;
import dev.conduit.runtime.alerts.WebhookSender;
import dev.conduit.runtime.auth.Members;
import dev.conduit.runtime.config.RuntimeConfig;
import dev.conduit.runtime.invoke.AuthorizationCodeGrant;
import dev.conduit.runtime.invoke.CodeBlocks;
import dev.conduit.runtime.invoke.Invoker;
import dev.conduit.runtime.invoke.Recorder;
import dev.conduit.runtime.invoke.TokenManager;
import dev.conduit.runtime.invoke.Upstream;
import dev.conduit.runtime.limits.Bulkhead;
import dev.conduit.runtime.limits.CircuitBreaker;
import dev.conduit.runtime.logs.RequestLogStore;
import dev.conduit.runtime.logs.RequestLogWriter;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.store.Database;
import dev.conduit.runtime.store.JdbcAccountStore;
import dev.conduit.runtime.store.JdbcIdentityStore;
import dev.conduit.runtime.store.JdbcTokenStore;
import dev.conduit.seal.Opener;
import dev.conduit.seal.SealException;
import dev.conduit.seal.Sealer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The runtime's parts, wired once at start: the bundles, the invoke engine, the request-log writer,
 * alerts, the identity store. Resources get what they need from here.
 */
@ApplicationScoped
public class Runtime {

  private static final Logger LOG = Logger.getLogger(Runtime.class.getName());

  @Inject RuntimeConfig config;

  @Inject Database database;

  private final Clock clock = Clock.systemUTC();
  private BundleRegistry registry;
  private Invoker invoker;
  private TokenManager tokens;
  private RequestLogStore logStore;
  private RequestLogWriter logWriter;
  private Alerts alerts;
  private Deliveries deliveries;
  private JdbcIdentityStore identityStore;
  private Members members;
  private ScheduledExecutorService housekeeping;
  private ThreadPoolExecutor background;
  private Upstream upstream;
  private final AtomicLong backgroundDropped = new AtomicLong();
  private CodeBlocksAdapter code;
  private Bulkhead perApplication;
  private Accounts accounts;

  /** Starts with the application, so bundles load and the schema migrates before any request. */
  void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
    Opener opener = openPrivateKey();
    registry = new BundleRegistry(opener, clock);
    registry.loadAll(config.bundles());
    upstream = new Upstream(config.maxResponseBytes());
    Sealer self = null;
    try {
      self = opener == null ? null : new Sealer(opener.publicKey());
    } catch (SealException e) {
      throw new IllegalStateException(e);
    }
    var tokenStore =
        opener == null
            ? new dev.conduit.runtime.invoke.InMemoryTokenStore(clock)
            : new JdbcTokenStore(database.dataSource(), self, opener, clock);
    // how much of a body Test API shows and a request log keeps
    Recorder recorder = new Recorder(config.logMaxBodyChars());
    tokens = new TokenManager(upstream, tokenStore, clock, recorder);
    // a hanging upstream or a greedy application holds at most this many request threads
    invoker =
        new Invoker(
            upstream,
            tokens,
            codeBlocks(),
            recorder,
            new Bulkhead(config.maxCallsPerConnection()),
            new CircuitBreaker(config.circuit(), clock));
    perApplication = new Bulkhead(config.maxCallsPerApplication());
    logStore = new RequestLogStore(database.dataSource());
    logWriter = new RequestLogWriter(logStore, config.logQueueCapacity());
    alerts = new Alerts(database.dataSource(), clock, alertRecipients());
    deliveries =
        new Deliveries(
            database.dataSource(),
            clock,
            new Mailer(config.smtp()),
            new WebhookSender(Duration.ofMillis(config.alertTimeoutMillis())),
            this::webhookTarget,
            config.alertRetry());
    identityStore = new JdbcIdentityStore(database.dataSource());
    members = new Members(clock);
    accounts = opener == null ? null : accounts(Path.of(config.privateKey().get()));
    background =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1000),
            Thread.ofPlatform().daemon().name("conduit-background").factory(),
            (task, pool) -> backgroundDropped.incrementAndGet());
    housekeeping =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("conduit-housekeeping").factory());
    housekeeping.scheduleAtFixedRate(this::purgeLogs, 1, 60, TimeUnit.MINUTES);
    housekeeping.scheduleWithFixedDelay(
        this::deliverAlerts,
        config.alertDeliveryIntervalMillis(),
        config.alertDeliveryIntervalMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Members' e-mails from members.json and connections' webhooks, from the bundles served now. */
  private Alerts.Recipients alertRecipients() {
    return new Alerts.Recipients() {
      @Override
      public java.util.Optional<String> email(String organizationId, String login) {
        return registry
            .organization(organizationId)
            .map(o -> o.membersByLogin().get(login))
            .map(dev.conduit.bundle.Member::email)
            .filter(e -> !e.isBlank());
      }

      @Override
      public java.util.Optional<String> webhookUrl(String organizationId, String connectionId) {
        return webhookTarget(organizationId, connectionId).map(Deliveries.WebhookTarget::url);
      }
    };
  }

  private java.util.Optional<Deliveries.WebhookTarget> webhookTarget(
      String organizationId, String connectionId) {
    return registry
        .organization(organizationId)
        .flatMap(o -> o.connection(connectionId))
        .filter(c -> c.connection().notifications().webhookUrl() != null)
        .filter(c -> c.webhookSigningKey() != null)
        .map(
            c ->
                new Deliveries.WebhookTarget(
                    c.connection().notifications().webhookUrl(),
                    c.webhookSigningKey().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    c.connection().allowPrivateNetwork()));
  }

  private void deliverAlerts() {
    try {
      alerts.refreshOpen();
      deliveries.deliverDue();
    } catch (RuntimeException e) {
      LOG.warning("alert delivery round failed: " + e.getMessage());
    }
  }

  private Opener openPrivateKey() {
    if (config.privateKey().isEmpty()) {
      LOG.warning("no conduit.sealing.private-key: bundles with sealed parameters will be refused");
      return null;
    }
    Path path = Path.of(config.privateKey().get());
    try {
      Opener opener = new Opener(Files.readString(path));
      LOG.info("sealing key " + opener.keyId() + " loaded");
      return opener;
    } catch (IOException e) {
      LOG.severe("cannot read the private sealing key " + path + ": " + e.getMessage());
      return null;
    } catch (SealException e) {
      LOG.severe("the private sealing key " + path + " is not usable: " + e.getMessage());
      return null;
    }
  }

  /**
   * Accounts of authorization-code connections (docs/accounts.md); their tokens need the private
   * key.
   */
  private Accounts accounts(Path privateKey) {
    String keyset;
    try {
      keyset = Files.readString(privateKey);
    } catch (IOException e) {
      LOG.severe(
          "cannot read the private sealing key "
              + privateKey
              + " again: accounts are off: "
              + e.getMessage());
      return null;
    }
    JdbcAccountStore store =
        new JdbcAccountStore(database.dataSource(), AccountCipher.derivedFrom(keyset), clock);
    Links links = new Links(config.publicUrl());
    AuthorizationCodeGrant grant = new AuthorizationCodeGrant(upstream, clock);
    AccountTokens accountTokens =
        new AccountTokens(
            store,
            grant,
            links,
            clock,
            a ->
                background(
                    () -> {
                      String owner =
                          registry
                              .organization(a.organizationId())
                              .flatMap(o -> o.connection(a.connectionId()))
                              .map(c -> c.connection().owner())
                              .orElse(null);
                      alerts.accountNeedsReauthorization(
                          a.organizationId(),
                          a.connectionId(),
                          owner,
                          a.member(),
                          a.id(),
                          a.name(),
                          links.connectPage(a.organizationId(), a.connectionId()));
                    }));
    tokens.useAccounts(accountTokens);
    for (var org : registry.organizations()) {
      for (var c : org.connections().values()) {
        if (c.connection().auth() instanceof dev.conduit.bundle.Auth.AuthorizationCode) {
          LOG.info(
              "connection "
                  + org.id()
                  + "/"
                  + c.id()
                  + ": register the redirect URI "
                  + links.redirectUri(c.id())
                  + " at the provider; members connect accounts at "
                  + links.connectPage(org.id(), c.id()));
        }
      }
    }
    return new Accounts(
        store, new ConnectFlow(store, grant, links, clock), accountTokens, grant, links);
  }

  private CodeBlocks codeBlocks() {
    code = new CodeBlocksAdapter(config);
    return code;
  }

  private void purgeLogs() {
    try {
      long cutoff = clock.millis() - Duration.ofDays(config.logRetentionDays()).toMillis();
      int n = logStore.purgeBefore(cutoff);
      if (n > 0) {
        LOG.info("purged " + n + " request logs older than " + config.logRetentionDays() + " days");
      }
      long alertCutoff = clock.millis() - Duration.ofDays(config.alertRetentionDays()).toMillis();
      int a = alerts.purgeBefore(alertCutoff);
      if (a > 0) {
        LOG.info("purged " + a + " alerts older than " + config.alertRetentionDays() + " days");
      }
    } catch (RuntimeException e) {
      LOG.warning("request log purge failed: " + e.getMessage());
    }
  }

  /**
   * Runs database work that a call causes but must not wait for (alerts) on one background thread;
   * when its bounded queue is full the work is dropped and counted, never blocking.
   */
  public void background(Runnable task) {
    background.execute(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.warning("background task failed: " + e.getMessage());
          }
        });
  }

  /**
   * The confinement Python code blocks run under: "bubblewrap", "UNCONFINED (unsafe opt-in: ...)",
   * "refused: what is missing", "off" or "unavailable".
   */
  public String pythonConfinement() {
    return code == null ? "unavailable" : code.confinementInEffect();
  }

  /** Background tasks dropped because the queue was full. */
  public long backgroundDropped() {
    return backgroundDropped.get();
  }

  @PreDestroy
  void stop() {
    if (housekeeping != null) {
      housekeeping.shutdownNow();
    }
    if (background != null) {
      background.shutdown();
    }
    if (logWriter != null) {
      logWriter.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (code != null) {
      code.close();
    }
  }

  public RuntimeConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  public BundleRegistry registry() {
    return registry;
  }

  public Invoker invoker() {
    return invoker;
  }

  /** Calls in flight per application (keyed by organization and application). */
  public Bulkhead perApplication() {
    return perApplication;
  }

  public TokenManager tokens() {
    return tokens;
  }

  public RequestLogStore logStore() {
    return logStore;
  }

  public RequestLogWriter logWriter() {
    return logWriter;
  }

  public Alerts alerts() {
    return alerts;
  }

  public Deliveries alertDeliveries() {
    return deliveries;
  }

  public JdbcIdentityStore identityStore() {
    return identityStore;
  }

  public Members members() {
    return members;
  }

  /** Accounts of authorization-code connections; null when the runtime has no private key. */
  public Accounts accounts() {
    return accounts;
  }
}
