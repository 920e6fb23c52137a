package dev.conduit.runtime.gitops;

import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.library.PublicLibrary;
import dev.conduit.runtime.gitops.DeploymentStore.State;
import dev.conduit.runtime.metrics.RuntimeMetrics;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.registry.LoadedOrganization;
import dev.conduit.runtime.store.Database;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * GitOps in the server (docs/gitops.md): one thread runs a {@link Reconciler} pass every second
 * (the database is read every pass, so an instance serves a newer commit within a second of
 * learning of it; Git is fetched every {@code conduit.git.poll-seconds}), the push webhook and
 * admins ask for an immediate fetch, and admins pin and unpin. Sources added to or removed from the
 * configuration are picked up by the next pass.
 */
@ApplicationScoped
public class GitOps {

  private static final Logger LOG = Logger.getLogger(GitOps.class.getName());
  static final String WORK_DIR = GitSettings.PREFIX + "work-dir";
  static final String LIBRARY = PublicLibrary.PROPERTY;

  @Inject BundleRegistry registry;

  @Inject Clock clock;

  @Inject Database database;

  @Inject RuntimeMetrics metrics;

  private Reconciler reconciler;
  private DeploymentStore store;
  private ScheduledExecutorService thread;
  private Optional<PeerSignal> peers = Optional.empty();
  private final Set<String> fetchRequested = ConcurrentHashMap.newKeySet();

  /**
   * After the runtime's parts are wired (wiring/RuntimeParts observes the same event with the
   * default priority, APPLICATION + 500): the registry and clock injected here are its producers'.
   */
  void start(
      @Observes
          @Priority(Interceptor.Priority.APPLICATION + 600)
          @Initialized(ApplicationScoped.class)
          Object event) {
    Config config = ConfigProvider.getConfig();
    // a weak push-webhook secret stops the start: a webhook that looks guarded but is not is worse
    // than an operator reading one clear line
    GitSettings.weakWebhookSecret(
            config
                .getOptionalValue(GitSettings.PREFIX + "webhook-secret", String.class)
                .map(String::strip)
                .filter(s -> !s.isEmpty()))
        .ifPresent(
            why -> {
              LOG.severe("Conduit does not start: " + why);
              throw new IllegalStateException(why);
            });
    store = new DeploymentStore(database.dataSource(), clock, metrics);
    Path workDir = Path.of(config.getOptionalValue(WORK_DIR, String.class).orElse("gitops"));
    CompileWorkerProcess.sweep(workDir);
    Optional<PublicLibrary> library =
        config.getOptionalValue(LIBRARY, String.class).map(d -> PublicLibrary.at(Path.of(d)));
    reconciler =
        new Reconciler(
            () -> GitSettings.read(ConfigProvider.getConfig()),
            registry,
            store,
            new CommitCompiler(CodeSyntaxes.engines(), library),
            workDir.toAbsolutePath(),
            clock);
    GitSettings first = GitSettings.read(config);
    // the thread runs even with no source: one configured later (a dynamic config source) starts
    // at the next pass; a pass without sources only reads the settings
    thread =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("conduit-gitops").factory());
    // compiling a commit (seconds of CPU for a large repository) must not take the cores from
    // the calls being served: the thread, and the compiler's threads it starts, run niced
    thread.execute(
        () -> {
          String why = BackgroundPriority.lowerCurrentThread();
          if (why != null) {
            LOG.info("GitOps compiles at normal priority: " + why);
          }
        });
    thread.scheduleWithFixedDelay(this::pass, 0, 1, TimeUnit.SECONDS);
    // on PostgreSQL the other instances hear of a change at once instead of at their next pass
    peers = PeerSignal.start(database.dataSource(), this::signalled);
    store.onChange(() -> peers.ifPresent(p -> p.send(PeerSignal.Kind.CHANGED)));
    LOG.info(
        "GitOps on: "
            + first.sources().size()
            + " sources, fetched every "
            + first.pollSeconds()
            + " s, local copies under "
            + workDir.toAbsolutePath());
  }

  private void pass() {
    Set<String> now = new HashSet<>(fetchRequested);
    fetchRequested.removeAll(now);
    try {
      reconciler.pass(now);
    } catch (Throwable e) {
      // what one source throws is its own failure (Reconciler.pass); this is the rest of the pass
      // (the settings). Whatever it is, the thread must live on: a task that throws is never run
      // again by its executor, and GitOps would stop for every organization. Stopping ends it.
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      LOG.warning("GitOps pass failed: " + e + " (next pass in a second)");
    }
  }

  /** Another instance's signal: a pass now (and a fetch first, when it was asked for one). */
  private void signalled(PeerSignal.Kind kind) {
    if (kind == PeerSignal.Kind.FETCH) {
      fetchHere(Set.of());
    } else {
      thread.execute(this::pass);
    }
  }

  /**
   * Fetches the named sources (all when empty) now, on the GitOps thread; the other instances are
   * told to fetch too (on PostgreSQL), so that they compile the new commit beside this one rather
   * than after it.
   */
  public void fetchNow(Set<String> labels) {
    if (thread == null) {
      return;
    }
    fetchHere(labels);
    peers.ifPresent(p -> p.send(PeerSignal.Kind.FETCH));
  }

  private void fetchHere(Set<String> labels) {
    fetchRequested.addAll(
        labels.isEmpty()
            ? reconciler.settings().sources().stream().map(GitSettings.Source::label).toList()
            : labels);
    thread.execute(this::pass);
  }

  /** The webhook's outcome. */
  public enum Hook {
    ACCEPTED,
    OFF,
    BAD_SIGNATURE
  }

  /** A push webhook: checked against the shared secret, then a fetch of every source now. */
  public Hook webhook(byte[] body, String signature, String token) {
    Optional<String> secret =
        reconciler == null ? Optional.empty() : reconciler.settings().webhookSecret();
    if (thread == null || secret.isEmpty()) { // not started yet, or no secret: off
      return Hook.OFF;
    }
    if (!WebhookSignature.valid(secret.get(), body, signature, token)) {
      return Hook.BAD_SIGNATURE;
    }
    fetchNow(Set.of());
    return Hook.ACCEPTED;
  }

  /** The Git source label an organization is served from, if it follows Git. */
  public Optional<String> sourceOf(LoadedOrganization org) {
    return org.path().startsWith(Reconciler.SOURCE_PREFIX)
        ? Optional.of(org.path().substring(Reconciler.SOURCE_PREFIX.length()))
        : Optional.empty();
  }

  /** What an admin sees of a source: the database's word and this instance's. */
  public record Status(
      String source,
      String url,
      String branch,
      String path,
      int pollSeconds,
      String head,
      String current,
      String pinned,
      String servedHere,
      String fetchError,
      String fetchErrorAt,
      String problemHere,
      String problemHereAt,
      int fetchTimeoutSeconds,
      String compileIn) {}

  public Status status(String label) {
    State s = store.state(label);
    Reconciler.Local l = reconciler.local(label).orElse(null);
    GitSettings.Source src = reconciler.settings().source(label).orElse(null);
    return new Status(
        label,
        src == null ? null : src.url().toString(),
        src == null ? null : src.branch(),
        src == null ? null : src.path(),
        reconciler.settings().pollSeconds(),
        s.head(),
        s.current(),
        s.pinned(),
        l == null ? null : l.serving(),
        s.fetchError(),
        s.fetchErrorAt() == null ? null : s.fetchErrorAt().toString(),
        l == null ? null : l.problem(),
        l == null || l.problemAt() == null ? null : l.problemAt().toString(),
        reconciler.settings().fetchTimeoutSeconds(),
        compileIn(reconciler.settings().compile()));
  }

  /** Where commits compile, as admins read it: the setting, or why a worker could not be used. */
  private String compileIn(GitSettings.Compile compile) {
    if (compile.in() == GitSettings.CompileIn.SERVER) {
      return compile.in().text();
    }
    String kind =
        compile.in() == GitSettings.CompileIn.WORKER
            ? "compile workers kept warm, at most " + compile.warm().pool() + ", one per source"
            : "a compile worker per commit";
    return reconciler
        .compileWorkerUnavailable()
        .map(why -> "server (no compile worker: " + why + ")")
        .orElse(
            compile.in().text()
                + " ("
                + kind
                + ", -Xmx"
                + compile.workerHeapMb()
                + "m, at most "
                + compile.timeoutSeconds()
                + " s; "
                + reconciler.compileWorkerConfinement()
                + ")");
  }

  public List<Deployment> history(String label, int limit, int offset) {
    return store.history(label, limit, offset);
  }

  public Optional<Deployment> deployment(String label, String id) {
    return store.deployment(label, id);
  }

  /** Pin refused: the commit is not a good commit of this source. */
  public static final class NotAGoodCommit extends Exception {
    NotAGoodCommit(String message) {
      super(message);
    }
  }

  /**
   * Pins the source to an earlier commit that compiled clean (full id or a prefix of 7 or more);
   * every instance serves it within a second.
   */
  public Deployment pin(String label, String commit, String actor) throws NotAGoodCommit {
    if (commit == null || !commit.matches("[0-9a-f]{7,40}")) {
      throw new NotAGoodCommit(
          "commit: give a commit id (7 to 40 lower-case hex characters) from the history");
    }
    String full =
        store
            .goodCommit(label, commit)
            .orElseThrow(
                () ->
                    new NotAGoodCommit(
                        "commit "
                            + commit
                            + ": no commit of this organization's history with that id compiled"
                            + " clean (or the prefix is ambiguous): see GET .../gitops/deployments"));
    store.pin(label, full);
    Deployment d = recordAdmin(label, full, actor, Deployment.Result.PINNED);
    thread.execute(this::pass);
    return d;
  }

  /** Unpins: the newest good commit of the branch serves again. Empty when it was not pinned. */
  public Optional<Deployment> unpin(String label, String actor) {
    if (!store.unpin(label)) {
      return Optional.empty();
    }
    State s = store.state(label);
    Deployment d =
        s.current() == null
            ? null
            : recordAdmin(label, s.current(), actor, Deployment.Result.UNPINNED);
    thread.execute(this::pass);
    return Optional.ofNullable(d);
  }

  private Deployment recordAdmin(
      String label, String commit, String actor, Deployment.Result result) {
    State s = store.state(label);
    return store.record(
        label,
        s.organizationId(),
        store.history(label, 1000, 0).stream()
            .filter(d -> d.commit().equals(commit))
            .findFirst()
            .map(d -> new GitMirror.CommitInfo(commit, d.author(), d.committedAt(), d.subject()))
            .orElse(new GitMirror.CommitInfo(commit, null, null, null)),
        actor,
        result,
        0,
        null);
  }

  @PreDestroy
  void stop() {
    peers.ifPresent(PeerSignal::close);
    if (thread != null) {
      thread.shutdownNow();
      try {
        thread.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (reconciler != null) {
      reconciler.close();
    }
  }
}
