package dev.conduit.runtime.wiring;

import dev.conduit.runtime.accounts.AccountCache;
import dev.conduit.runtime.accounts.AccountTokens;
import dev.conduit.runtime.accounts.Accounts;
import dev.conduit.runtime.accounts.ConnectFlow;
import dev.conduit.runtime.accounts.Links;
import dev.conduit.runtime.alerts.Alerts;
import dev.conduit.runtime.alerts.Deliveries;
import dev.conduit.runtime.alerts.Mailer;
import dev.conduit.runtime.alerts.WebhookSender;
import dev.conduit.runtime.auth.Members;
import dev.conduit.runtime.code.CodeBlocksAdapter;
import dev.conduit.runtime.config.RuntimeConfig;
import dev.conduit.runtime.identity.IdentitySettings;
import dev.conduit.runtime.identity.SignInThrottle;
import dev.conduit.runtime.invoke.AuthorizationCodeGrant;
import dev.conduit.runtime.invoke.InMemoryTokenStore;
import dev.conduit.runtime.invoke.Invoker;
import dev.conduit.runtime.invoke.Recorder;
import dev.conduit.runtime.invoke.TokenManager;
import dev.conduit.runtime.invoke.Upstream;
import dev.conduit.runtime.limits.Bulkhead;
import dev.conduit.runtime.limits.CircuitBreaker;
import dev.conduit.runtime.logs.Background;
import dev.conduit.runtime.logs.RequestLogJournal;
import dev.conduit.runtime.logs.RequestLogStore;
import dev.conduit.runtime.logs.RequestLogWriter;
import dev.conduit.runtime.metrics.RuntimeMetrics;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.store.Database;
import dev.conduit.runtime.store.GroupCommit;
import dev.conduit.runtime.store.JdbcAccountStore;
import dev.conduit.runtime.store.JdbcIdentityStore;
import dev.conduit.runtime.store.JdbcTokenStore;
import dev.conduit.runtime.store.SecretsAtRest;
import dev.conduit.seal.Opener;
import dev.conduit.seal.SealException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The runtime's parts, built once at start (the bundles, the invoke engine, the request-log writer,
 * alerts, the identity store, accounts) and handed to the rest of the application as CDI beans:
 * each producer below is the one place its type comes from, and a resource declares what it needs
 * with {@code @Inject}. Nothing imports this package: it sits on top of every other one.
 */
@ApplicationScoped
public class RuntimeParts {

  private static final Logger LOG = Logger.getLogger(RuntimeParts.class.getName());

  @Inject RuntimeConfig config;

  @Inject Database database;

  /** The application registry of MicroProfile Metrics (server.xml's mpMetrics feature). */
  @Inject MetricRegistry metricRegistry;

  private final Clock clock = Clock.systemUTC();
  private BundleRegistry registry;
  private Invoker invoker;
  private TokenManager tokens;
  private RequestLogStore logStore;
  private RequestLogWriter logWriter;
  private Alerts alerts;
  private Deliveries deliveries;
  private WebhookSender webhookSender;
  private JdbcIdentityStore identityStore;
  private GroupCommit identityCommits;
  private Members members;
  private ScheduledExecutorService housekeeping;
  private Background background;
  private Upstream upstream;
  private CodeBlocksAdapter code;
  private Bulkhead perApplication;
  private Accounts accounts;
  // the runtime's own secrets in its database; null without a private key
  private SecretsAtRest secrets;
  private RuntimeMetrics metrics;

  /** Starts with the application, so bundles load and the schema migrates before any request. */
  void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
    metrics = new RuntimeMetrics(metricRegistry);
    Opener opener = openPrivateKey();
    registry = new BundleRegistry(opener, clock, config.privateNetwork());
    registry.loadAll(config.bundles());
    upstream = new Upstream(config.maxResponseBytes());
    var tokenStore =
        secrets == null
            ? new InMemoryTokenStore(clock)
            : new JdbcTokenStore(database.dataSource(), secrets, clock);
    // how much of a body Test API shows and a request log keeps
    Recorder recorder = new Recorder(config.logMaxBodyChars());
    tokens = new TokenManager(upstream, tokenStore, clock, recorder);
    code = new CodeBlocksAdapter(config, metrics);
    // a hanging upstream or a greedy application holds at most this many request threads
    invoker =
        new Invoker(
            upstream,
            tokens,
            code,
            recorder,
            new Bulkhead(config.maxCallsPerConnection()),
            new CircuitBreaker(config.circuit(), clock));
    perApplication = new Bulkhead(config.maxCallsPerApplication());
    logStore = new RequestLogStore(database.dataSource());
    logWriter = new RequestLogWriter(logStore, config.logQueueCapacity(), requestLogJournal());
    alerts = new Alerts(database.dataSource(), clock, alertRecipients());
    webhookSender = new WebhookSender(Duration.ofMillis(config.alertTimeoutMillis()));
    deliveries =
        new Deliveries(
            database.dataSource(),
            clock,
            new Mailer(config.smtp()),
            webhookSender,
            this::webhookTarget,
            config.alertRetry(),
            metrics);
    // code exchanges share commits: durable commits were most of an exchange's cost (issue 16)
    identityCommits = new GroupCommit(database.dataSource(), "identity");
    identityStore = new JdbcIdentityStore(database.dataSource(), identityCommits);
    // one throttle for every password check, counted with the identity provider's (same rows)
    members =
        new Members(clock, new SignInThrottle(identityStore, clock, IdentitySettings.DEFAULT));
    background = new Background();
    registerGauges();
    accounts = secrets == null ? null : startAccounts();
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

  /**
   * The request-log journal beside an embedded H2 database, with what a crash left in it put into
   * the database first; null (calls wait for the commit) with another database, when turned off, or
   * when it cannot be opened.
   */
  private RequestLogJournal requestLogJournal() {
    if (!config.logJournal()) {
      return null;
    }
    java.util.Optional<Path> file = database.embeddedFile();
    if (file.isEmpty()) {
      return null;
    }
    Path dir = file.get().resolveSibling(file.get().getFileName() + ".request-log-journal");
    try {
      RequestLogJournal journal = RequestLogJournal.open(dir);
      int recovered = journal.recover(logStore::insertMissing);
      if (recovered > 0) {
        LOG.info(
            "request-log journal: "
                + recovered
                + " logs of calls answered before the last stop checked into the database");
      }
      return journal;
    } catch (IOException | RuntimeException e) {
      LOG.warning(
          "the request-log journal in "
              + dir
              + " cannot be used, calls wait for their log's database commit instead: "
              + e);
      return null;
    }
  }

  /** Values read at each scrape from the parts that keep them (docs/metrics.md). */
  private void registerGauges() {
    metrics.gauge(
        "conduit.request.log.queued",
        "request logs waiting for the writer",
        () -> (long) logWriter.queued());
    metrics.gauge(
        "conduit.request.log.dropped",
        "request logs dropped since start because the writer's queue was full",
        logWriter::dropped);
    metrics.gauge(
        "conduit.request.log.failed",
        "request logs the database refused since start",
        logWriter::failed);
    metrics.gauge(
        "conduit.request.log.late",
        "calls answered before their request log was committed (the wait ran out), since start",
        logWriter::late);
    metrics.gauge(
        "conduit.background.dropped",
        "alert checks dropped since start because the background queue was full",
        background::dropped);
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
                    c.allowsPrivateNetwork()));
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
      String keyset = Files.readString(path);
      Opener opener = new Opener(keyset);
      secrets = SecretsAtRest.of(keyset);
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
  private Accounts startAccounts() {
    // every part of accounts writes through the cache, so this server forgets what it changes
    AccountCache store =
        new AccountCache(
            new JdbcAccountStore(database.dataSource(), secrets, clock),
            clock,
            config.accountsCacheLifetime());
    Links links = new Links(config.publicUrl());
    AuthorizationCodeGrant grant = new AuthorizationCodeGrant(upstream, clock);
    AccountTokens accountTokens =
        new AccountTokens(
            store,
            grant,
            links,
            clock,
            a ->
                background.run(
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

  @PreDestroy
  void stop() {
    if (housekeeping != null) {
      housekeeping.shutdownNow();
    }
    if (background != null) {
      background.close();
    }
    if (logWriter != null) {
      logWriter.close();
    }
    if (identityCommits != null) {
      identityCommits.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (webhookSender != null) {
      webhookSender.close();
    }
    if (code != null) {
      code.close();
    }
  }

  // --- the producers: one per type the rest of the application injects ---

  @Produces
  RuntimeMetrics metrics() {
    return metrics;
  }

  @Produces
  Clock clock() {
    return clock;
  }

  @Produces
  BundleRegistry registry() {
    return registry;
  }

  @Produces
  Invoker invoker() {
    return invoker;
  }

  /** The upstream client every invoke sends through (the bench's bare forward endpoint too). */
  @Produces
  Upstream upstream() {
    return upstream;
  }

  /** Calls in flight per application (keyed by organization and application). */
  @Produces
  Bulkhead perApplication() {
    return perApplication;
  }

  @Produces
  RequestLogStore logStore() {
    return logStore;
  }

  @Produces
  RequestLogWriter logWriter() {
    return logWriter;
  }

  @Produces
  Alerts alerts() {
    return alerts;
  }

  /** The alert outbox (mail, webhook), for the admins' list of undelivered alerts. */
  @Produces
  Deliveries alertDeliveries() {
    return deliveries;
  }

  @Produces
  Background background() {
    return background;
  }

  @Produces
  JdbcIdentityStore identityStore() {
    return identityStore;
  }

  @Produces
  Members members() {
    return members;
  }

  /** The code-block engines, and which confinement Python blocks run under (health says). */
  @Produces
  CodeBlocksAdapter codeBlocks() {
    return code;
  }

  /**
   * Accounts of authorization-code connections; null when the runtime has no private key (a
   * dependent-scoped producer may give null: the injection points check for it).
   */
  @Produces
  Accounts accounts() {
    return accounts;
  }
}
