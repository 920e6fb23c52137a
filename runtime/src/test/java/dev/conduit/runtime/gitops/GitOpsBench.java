package dev.conduit.runtime.gitops;

import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.source.DirectorySource;
import dev.conduit.runtime.Fixtures;
import dev.conduit.runtime.invoke.PrivateNetworkRule;
import dev.conduit.runtime.registry.BundleRegistry;
import dev.conduit.runtime.store.Databases;
import dev.conduit.seal.Opener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Push to served on two instances with the webhook (issue 14, goal under 5 s), in one JVM: two
 * reconcilers, each with its own registry and copy of the repository and its own thread passing
 * every second as {@link GitOps} does, on one PostgreSQL schema (H2 when PostgreSQL does not
 * answer), following a real bare repository. Each round pushes a commit, hands instance A the
 * webhook's immediate fetch, and times until A (which fetched) and B (which learns the commit from
 * the database) serve it. Two such pairs, each on its own schema, are measured in turns: one as
 * before {@link PeerSignal} (B learns at its next pass), one with it (B is told to fetch at once,
 * and told again when A records the commit). The peer, in the same run: compiling the same tree
 * with the same compiler in this JVM. Liberty and HTTP are left out (GitOpsIT covers them). Run:
 * bench/runtime/gitops.sh.
 */
public final class GitOpsBench {

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args[0]));
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    String compileIn =
        Optional.ofNullable(System.getenv("COMPILE_IN"))
            .orElse(GitSettings.DEFAULT_COMPILE_IN.text());
    String schema = Databases.newPostgresSchema();
    String schema2 = schema == null ? null : Databases.newPostgresSchema();
    DataSource db =
        schema != null
            ? Databases.postgres(schema)
            : Databases.h2(Files.createTempDirectory(dir, "h2"));
    DataSource db2 =
        schema2 != null
            ? Databases.postgres(schema2)
            : Databases.h2(Files.createTempDirectory(dir, "h2b"));
    System.out.println("[bench] database: " + (schema != null ? "PostgreSQL" : "H2"));
    Map<String, String> config;
    try (GitRemote remote = new GitRemote(dir.resolve("remote.git"), dir.resolve("work"))) {
      Path whoami = remote.workTree().resolve("connections/basic/apis/whoami.json");
      // run from the project's root (the script) or the runtime module
      Path template =
          Files.exists(Fixtures.TEMPLATE)
              ? Fixtures.TEMPLATE
              : Path.of("runtime").resolve(Fixtures.TEMPLATE);
      String first =
          remote.push(
              "first",
              w ->
                  Fixtures.repository(
                      template, w, "http://127.0.0.1:9", Fixtures.KEYS.publicKey()));
      // COMPILE_IN=worker|process|server (the script's environment): where commits compile
      config =
          Map.of(
              "conduit.git.organizations",
              "fixture",
              "conduit.git.fixture.url",
              remote.url(),
              "conduit.git.poll-seconds",
              "600",
              "conduit.git.compile-in",
              compileIn);
      System.out.println("[bench] conduit.git.compile-in=" + compileIn);
      // two pairs of instances, each pair on its own database, measured in turns: one that learns
      // of a change only at its next pass (as before PeerSignal), one told at once (PostgreSQL)
      Pair polled =
          new Pair(
              new Instance(db, config, dir.resolve("a"), false),
              new Instance(db, config, dir.resolve("b"), false));
      Pair signalled =
          new Pair(
              new Instance(db2, config, dir.resolve("c"), true),
              new Instance(db2, config, dir.resolve("d"), true));
      for (Pair p : List.of(polled, signalled)) {
        p.a.webhook();
        await(p.a, first);
        await(p.b, first);
      }
      Compiler compiler = new Compiler(CodeSyntaxes.engines());
      compile(compiler, remote.workTree());

      List<Double> compiled = new ArrayList<>();
      String original = Files.readString(whoami);
      for (int i = 1; i <= rounds; i++) {
        String name = "Whoami " + i;
        String commit =
            remote.push(
                "round " + i,
                w ->
                    Files.writeString(
                        whoami,
                        original.replace("\"name\": \"Whoami\"", "\"name\": \"" + name + "\"")));
        // in turns: a burst of load from elsewhere hits both kinds alike
        List<Pair> order = i % 2 == 1 ? List.of(polled, signalled) : List.of(signalled, polled);
        for (Pair p : order) {
          long pushed = System.nanoTime();
          p.a.webhook();
          p.onA.add((await(p.a, commit) - pushed) / 1e6);
          p.onB.add((await(p.b, commit) - pushed) / 1e6);
        }
        long t0 = System.nanoTime();
        compile(compiler, remote.workTree());
        compiled.add((System.nanoTime() - t0) / 1e6);
        System.out.printf(
            "[bench] round %d: polled: served on A %.0f ms, on B %.0f ms; signalled: on A %.0f"
                + " ms, on B %.0f ms; compile alone %.0f ms%n",
            i,
            polled.onA.getLast(),
            polled.onB.getLast(),
            signalled.onA.getLast(),
            signalled.onB.getLast(),
            compiled.getLast());
      }
      double mC = median(compiled);
      for (Pair p : List.of(polled, signalled)) {
        double mA = median(p.onA);
        double mB = median(p.onB);
        System.out.printf(
            "[bench] %s, medians of %d: push to served on A %.0f ms, on B %.0f ms (B/A %.2f);"
                + " compile alone %.0f ms (A/compile %.1f); worst on B %.0f ms%n",
            p == polled ? "polled" : "signalled",
            rounds,
            mA,
            mB,
            mB / mA,
            mC,
            mA / mC,
            p.onB.stream().mapToDouble(d -> d).max().orElse(0));
        p.a.stop();
        p.b.stop();
      }
    }
  }

  /** Two instances on one database, and what was measured of them. */
  private record Pair(Instance a, Instance b, List<Double> onA, List<Double> onB) {
    Pair(Instance a, Instance b) {
      this(a, b, new ArrayList<>(), new ArrayList<>());
    }
  }

  /** One instance: as GitOps wires it, a pass every second on one thread. */
  private static final class Instance {
    final BundleRegistry registry =
        new BundleRegistry(
            new Opener(Fixtures.KEYS.privateKeyset()), Clock.systemUTC(), PrivateNetworkRule.NONE);
    final Reconciler reconciler;
    final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();

    final Optional<PeerSignal> peers;

    /**
     * @param signals whether to signal and hear the other instances (PeerSignal, PostgreSQL only)
     */
    Instance(DataSource db, Map<String, String> config, Path workDir, boolean signals)
        throws Exception {
      DeploymentStore store = new DeploymentStore(db, Clock.systemUTC());
      reconciler =
          new Reconciler(
              () -> GitSettings.read(k -> Optional.ofNullable(config.get(k))),
              registry,
              store,
              new CommitCompiler(CodeSyntaxes.engines(), Optional.empty()),
              Files.createDirectories(workDir),
              Clock.systemUTC());
      thread.scheduleWithFixedDelay(() -> reconciler.pass(Set.of()), 0, 1, TimeUnit.SECONDS);
      peers =
          signals
              ? PeerSignal.start(
                  db,
                  kind ->
                      thread.execute(
                          () ->
                              reconciler.pass(
                                  kind == PeerSignal.Kind.FETCH ? Set.of("fixture") : Set.of())))
              : Optional.empty();
      store.onChange(() -> peers.ifPresent(p -> p.send(PeerSignal.Kind.CHANGED)));
    }

    /** What the webhook does: an immediate pass that fetches (and the others told to). */
    void webhook() {
      thread.execute(() -> reconciler.pass(Set.of("fixture")));
      peers.ifPresent(p -> p.send(PeerSignal.Kind.FETCH));
    }

    String serving() {
      return registry
          .organization(Fixtures.ORG)
          .map(o -> o.bundle().source().commit())
          .orElse(null);
    }

    void stop() {
      peers.ifPresent(PeerSignal::close);
      thread.shutdownNow();
      reconciler.close();
    }
  }

  /** Waits until the instance serves the commit; returns System.nanoTime() then. */
  private static long await(Instance i, String commit) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!commit.equals(i.serving())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not served in 120 s: " + commit);
      }
      Thread.sleep(2);
    }
    return System.nanoTime();
  }

  private static void compile(Compiler compiler, Path tree) throws Exception {
    try (var source = DirectorySource.open(tree)) {
      if (compiler.compile(source).hasErrors()) {
        throw new AssertionError("the bench repository does not compile");
      }
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
