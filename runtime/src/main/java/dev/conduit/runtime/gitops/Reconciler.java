package dev.conduit.runtime.gitops;

import dev.conduit.bundle.Bundle;
import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.runtime.gitops.CommitCompiler.Compiled;
import dev.conduit.runtime.gitops.DeploymentStore.State;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.registry.LoadedOrganization;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;
import tools.jackson.databind.json.JsonMapper;

/**
 * One instance's side of GitOps, one pass at a time (docs/gitops.md, "Convergence"):
 *
 * <ol>
 *   <li>re-read the settings: sources added start, sources removed stop serving;
 *   <li>when due (or asked by the webhook), fetch each branch; a head newer than the one the
 *       database knows is compiled, and the instance that moves the database's head first records
 *       the deployment (the current commit moves only when it compiled clean);
 *   <li>serve what the database says: the pinned commit, else the current one, compiled here from
 *       this instance's own copy of the repository.
 * </ol>
 *
 * Not thread-safe by design: {@link GitOps} runs every pass on one thread.
 */
final class Reconciler {

  private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());
  static final String SOURCE_PREFIX = "git:";
  private static final int MAX_DIAGNOSTICS_KEPT = 500;
  private static final int COMPILED_KEPT = 3;

  /** What this instance knows about one source beyond the database: for admins. */
  record Local(
      GitSettings.Source source,
      String serving,
      String lastFetched,
      Instant lastFetchAt,
      String problem,
      Instant problemAt) {}

  private final Supplier<GitSettings> settings;
  private final BundleRegistry registry;
  private final DeploymentStore store;
  private final CommitCompiler compiler;
  private final Path workDir;
  private final Clock clock;
  private final JsonMapper json = JsonMapper.builder().build();

  private final Map<String, GitMirror> mirrors = new LinkedHashMap<>();
  private final Map<String, Map<String, Compiled>> compiled = new LinkedHashMap<>();
  private final Map<String, Local> local = new ConcurrentHashMap<>();
  private final Map<String, Long> nextFetchMs = new LinkedHashMap<>();
  private final Map<String, String> refused = new LinkedHashMap<>();
  private final Map<String, Long> retryAtMs = new ConcurrentHashMap<>();
  private volatile GitSettings last = GitSettings.read(k -> Optional.empty());
  private List<String> reportedProblems = List.of();
  private final Map<String, String> failureLogged = new HashMap<>();

  Reconciler(
      Supplier<GitSettings> settings,
      BundleRegistry registry,
      DeploymentStore store,
      CommitCompiler compiler,
      Path workDir,
      Clock clock) {
    this.settings = settings;
    this.registry = registry;
    this.store = store;
    this.compiler = compiler;
    this.workDir = workDir;
    this.clock = clock;
  }

  /** The settings of the last pass. */
  GitSettings settings() {
    return last;
  }

  /** Why commits compile in the server although a worker was asked for, if they do. */
  Optional<String> compileWorkerUnavailable() {
    return compiler.workerUnavailable();
  }

  /** How compile workers are confined on this machine (bubblewrap, or why not). */
  String compileWorkerConfinement() {
    return compiler.confinement();
  }

  Optional<Local> local(String label) {
    return Optional.ofNullable(local.get(label));
  }

  /**
   * One pass over every source.
   *
   * @param fetchNow labels to fetch now whatever their schedule (the webhook, an admin)
   */
  void pass(Set<String> fetchNow) {
    GitSettings s = settings.get();
    last = s;
    if (!s.problems().equals(reportedProblems)) {
      s.problems().forEach(p -> LOG.warning("GitOps setting not used: " + p));
      reportedProblems = s.problems();
    }
    Set<String> configured = new HashSet<>();
    for (GitSettings.Source source : s.sources()) {
      configured.add(source.label());
      long now = clock.millis();
      boolean fetch =
          fetchNow.contains(source.label()) || now >= nextFetchMs.getOrDefault(source.label(), 0L);
      if (fetch) {
        nextFetchMs.put(source.label(), now + s.pollSeconds() * 1000L);
      }
      try {
        reconcile(source, fetch);
        if (local(source.label()).map(Local::problem).isEmpty()) {
          failureLogged.remove(source.label()); // a failure that comes back is logged again
        }
      } catch (Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
          return; // the server stops: that is no failure of the source's
        }
        // a database outage, a bug, or an Error (a stack overflow or no memory compiling, a class
        // that does not link) in one source: say so, keep its last good bundle serving, go on with
        // the other sources, try again next pass. An Error too: GitOps stopping for every
        // organization because of one is worse than carrying on after it
        warnOnce(source, "reconcile failed: " + describe(e));
      }
    }
    for (String gone : new HashSet<>(mirrors.keySet())) {
      if (!configured.contains(gone)) {
        mirrors.remove(gone).close();
        compiler.forget(gone);
        compiled.remove(gone);
        local.remove(gone);
        failureLogged.remove(gone);
        nextFetchMs.remove(gone);
        refused.remove(gone);
        registry.remove(SOURCE_PREFIX + gone);
      }
    }
  }

  private void reconcile(GitSettings.Source source, boolean fetch) {
    String label = source.label();
    GitMirror mirror = mirror(source);
    if (mirror == null) {
      return;
    }
    State state = store.state(label);
    boolean fetchFailed = false;
    // a fetch still running from an earlier pass is collected on every pass, without waiting
    if (fetch || mirror.fetching()) {
      try {
        String head = mirror.fetch(last.fetchTimeoutSeconds());
        update(label, l -> new Local(source, l.serving(), head, clock.instant(), null, null));
        store.fetchSucceeded(label);
        evaluate(mirror, state, head);
        state = store.state(label);
      } catch (GitMirror.StillFetching e) {
        fetchFailed = true;
        problem(source, e.getMessage());
      } catch (GitMirror.FetchException e) {
        fetchFailed = true;
        store.fetchFailed(label, e.getMessage());
        problem(source, e.getMessage());
        LOG.warning("GitOps " + label + ": " + e.getMessage() + " (the last good bundle serves)");
      }
    }
    serve(mirror, state, fetchFailed);
  }

  /** A fetched head the database has not seen: compile it, and record it if this instance wins. */
  private void evaluate(GitMirror mirror, State state, String head) {
    String label = mirror.source().label();
    if (head.equals(state.head())) {
      return;
    }
    try {
      if (state.head() != null
          && mirror.has(state.head())
          && mirror.isAncestor(head, state.head())) {
        return; // another instance has already evaluated a newer commit: this fetch is stale
      }
    } catch (IOException e) {
      problem(mirror.source(), "cannot compare commits: " + e.getMessage());
      return;
    }
    Compiled c = compile(mirror, head);
    if (c.failure() != null) {
      // not the commit's fault, perhaps: nothing recorded, the next fetch compiles it again
      warnOnce(mirror.source(), "commit " + head + " not compiled: " + c.failure());
      return;
    }
    c = keptToItsOrganization(mirror.source(), state, c);
    String orgId = c.bundle().map(b -> b.organization().id()).orElse(null);
    String current = c.bundle().isPresent() ? head : state.current();
    if (!store.advance(label, state.head(), head, current, orgId)) {
      return; // another instance recorded it first
    }
    Deployment.Result result =
        c.bundle().isEmpty()
            ? Deployment.Result.REFUSED
            : state.pinned() != null ? Deployment.Result.HELD : Deployment.Result.DEPLOYED;
    GitMirror.CommitInfo info =
        mirror.info(head).orElse(new GitMirror.CommitInfo(head, null, null, null));
    store.record(
        label,
        orgId != null ? orgId : state.organizationId(),
        info,
        null,
        result,
        c.diagnostics().size(),
        diagnosticsJson(c.diagnostics()));
    LOG.info(
        "GitOps "
            + label
            + ": commit "
            + head
            + " "
            + result.text()
            + (c.bundle().isEmpty()
                ? " (" + c.errors() + " errors; the last good bundle serves)"
                : ""));
  }

  /**
   * An unbound source (no conduit.git.NAME.organization) keeps to the organization it has served,
   * and never takes one that another source has served: the database remembers both. Otherwise a
   * commit naming another organization's id, refused only as a duplicate while that organization is
   * loaded, would be recorded as good and served first after a restart (sources are served in the
   * order they are listed), taking over that organization's admins and what the database keeps for
   * it (request logs, alerts, tokens, accounts). Refused as C240 refuses it for a bound source.
   */
  private Compiled keptToItsOrganization(GitSettings.Source source, State state, Compiled c) {
    if (source.organization().isPresent() || c.bundle().isEmpty()) {
      return c; // a bound source: the compiler checked the binding (C240)
    }
    String named = c.bundle().get().organization().id();
    String why;
    if (state.organizationId() != null && !state.organizationId().equals(named)) {
      why =
          "this source has served organization "
              + state.organizationId()
              + ", but organization.json says "
              + named
              + ": the commit is refused";
    } else {
      Optional<String> other = store.otherSourceOf(named, source.label());
      if (other.isEmpty()) {
        return c;
      }
      why =
          "organization "
              + named
              + " is served by the Git source \""
              + other.get()
              + "\", not by this one: the commit is refused";
    }
    Diagnostic refusal =
        new Diagnostic(
            Code.C240,
            Code.C240.defaultSeverity(),
            source.path().isEmpty() ? "organization.json" : source.path() + "/organization.json",
            0,
            0,
            "/id",
            why,
            "a repository serves one organization: fix the id, or bind each source with"
                + " conduit.git.NAME.organization");
    List<Diagnostic> diagnostics = new ArrayList<>(c.diagnostics());
    diagnostics.add(refusal);
    return new Compiled(c.commit(), Optional.empty(), List.copyOf(diagnostics), null);
  }

  /** Serves the database's target commit, if this instance does not already. */
  private void serve(GitMirror mirror, State state, boolean fetchFailed) {
    GitSettings.Source source = mirror.source();
    String target = state.target();
    Local l = local.get(source.label());
    if (target == null || (l != null && target.equals(l.serving()))) {
      return;
    }
    if (!mirror.has(target)) {
      if (fetchFailed) {
        // the remote did not answer this pass: asking again would hold the pass twice as long
        return;
      }
      // another instance fetched a newer commit first: fetch now rather than at the next poll
      try {
        String head = mirror.fetch(last.fetchTimeoutSeconds());
        update(
            source.label(), x -> new Local(source, x.serving(), head, clock.instant(), null, null));
      } catch (GitMirror.FetchException e) {
        problem(source, "cannot serve commit " + target + ": " + e.getMessage());
        return;
      }
      if (!mirror.has(target)) {
        problem(source, "commit " + target + " is not on the remote's branch any more");
        return;
      }
    }
    if (target.equals(refused.get(source.label()))) {
      return; // refused already (its reason is shown): wait for another target
    }
    Compiled c = compile(mirror, target);
    if (c.failure() != null) {
      warnOnce(source, "commit " + target + " not compiled: " + c.failure());
      return;
    }
    if (c.bundle().isEmpty()) {
      refused.put(source.label(), target);
      problem(source, "commit " + target + " does not compile here (" + c.errors() + " errors)");
      return;
    }
    BundleRegistry.PathState installed =
        registry.install(SOURCE_PREFIX + source.label(), c.bundle().get());
    if (installed.lastError() != null
        && (installed.current() == null
            || !target.equals(installed.current().bundle().source().commit()))) {
      refused.put(source.label(), target);
      problem(source, "commit " + target + " refused: " + installed.lastError());
      return;
    }
    update(
        source.label(),
        x -> new Local(source, target, x.lastFetched(), x.lastFetchAt(), null, null));
  }

  private Compiled compile(GitMirror mirror, String commit) {
    Map<String, Compiled> cache =
        compiled.computeIfAbsent(mirror.source().label(), k -> new LinkedHashMap<>());
    Compiled c = cache.get(commit);
    String retryKey = mirror.source().label() + "@" + commit;
    if (c != null
        && c.failure() != null
        && clock.millis() >= retryAtMs.getOrDefault(retryKey, 0L)) {
      c = null; // a failed compile's answer is kept for a poll interval, then tried again
    }
    if (c == null) {
      c = compileOrFailure(mirror, commit);
      if (c.failure() != null) {
        retryAtMs.put(retryKey, clock.millis() + last.pollSeconds() * 1000L);
      } else {
        retryAtMs.remove(retryKey);
      }
      cache.put(commit, c);
      while (cache.size() > COMPILED_KEPT) {
        String oldest = cache.keySet().iterator().next();
        cache.remove(oldest);
        retryAtMs.remove(mirror.source().label() + "@" + oldest);
      }
    }
    return c;
  }

  /**
   * A compile that throws (a bug, or an Error compiling in the server: a code check's stack
   * overflow on deeply nested code, no memory) gives no answer for the commit, as a worker that
   * crashed: kept and tried again by the same rule, rather than compiled again every pass.
   */
  private Compiled compileOrFailure(GitMirror mirror, String commit) {
    try {
      return compiler.compile(mirror, commit, last.compile(), serving(mirror.source()));
    } catch (RuntimeException | Error e) {
      if (Thread.currentThread().isInterrupted()) {
        throw e; // the server stops: no failure of the commit's (pass)
      }
      return CompileWorkerProcess.failed(commit, "compiling it threw " + describe(e));
    }
  }

  /**
   * The bundle this instance serves for a source now, or null: a new commit's bundle is read
   * sharing its unchanged parts ({@link CommitCompiler#compile(GitMirror, String,
   * GitSettings.Compile, Bundle)}).
   */
  private Bundle serving(GitSettings.Source source) {
    return registry
        .state(SOURCE_PREFIX + source.label())
        .map(BundleRegistry.PathState::current)
        .map(LoadedOrganization::bundle)
        .orElse(null);
  }

  /** The bundle this instance compiled for a commit, if it still holds it (tests, benchmarks). */
  Optional<Bundle> compiledBundle(String label, String commit) {
    return Optional.ofNullable(compiled.getOrDefault(label, Map.of()).get(commit))
        .flatMap(Compiled::bundle);
  }

  private GitMirror mirror(GitSettings.Source source) {
    GitMirror m = mirrors.get(source.label());
    if (m != null && m.source().equals(source)) {
      return m;
    }
    if (m != null) {
      // url, branch, path or credentials changed: a fresh copy, compiled anew
      m.close();
      compiled.remove(source.label());
      refused.remove(source.label());
    }
    try {
      m = new GitMirror(source, workDir.resolve(source.label()));
    } catch (IOException | RuntimeException e) {
      problem(source, "cannot open the local copy under " + workDir + ": " + e.getMessage());
      mirrors.remove(source.label());
      return null;
    }
    mirrors.put(source.label(), m);
    return m;
  }

  /** A runtime exception's own message (phrased for people), else the throwable's kind too. */
  private static String describe(Throwable e) {
    return e instanceof RuntimeException && e.getMessage() != null
        ? e.getMessage()
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /**
   * A failure of one source, shown to admins every time, logged once while the source keeps failing
   * the same way (a pass a second would fill the log).
   */
  private void warnOnce(GitSettings.Source source, String why) {
    problem(source, why);
    if (!why.equals(failureLogged.put(source.label(), why))) {
      String org =
          registry
              .state(SOURCE_PREFIX + source.label())
              .map(BundleRegistry.PathState::current)
              .map(o -> ", organization " + o.bundle().organization().id())
              .orElse("");
      LOG.warning("GitOps " + source.label() + org + ": " + why + " (the last good bundle serves)");
    }
  }

  private void problem(GitSettings.Source source, String message) {
    update(
        source.label(),
        l ->
            new Local(
                source, l.serving(), l.lastFetched(), l.lastFetchAt(), message, clock.instant()));
  }

  private void update(String label, java.util.function.UnaryOperator<Local> change) {
    local.compute(
        label,
        (k, l) -> change.apply(l != null ? l : new Local(null, null, null, null, null, null)));
  }

  private String diagnosticsJson(List<Diagnostic> diagnostics) {
    List<Map<String, Object>> out =
        diagnostics.stream().limit(MAX_DIAGNOSTICS_KEPT).map(Reconciler::diagnostic).toList();
    return json.writeValueAsString(out);
  }

  static Map<String, Object> diagnostic(Diagnostic d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", d.code().name());
    m.put("severity", d.severity().name().toLowerCase());
    m.put("file", d.file());
    m.put("line", d.line());
    m.put("column", d.column());
    m.put("message", d.message());
    m.put("hint", d.hint());
    return m;
  }

  void close() {
    compiler.close();
    mirrors.values().forEach(GitMirror::close);
    mirrors.clear();
  }
}
