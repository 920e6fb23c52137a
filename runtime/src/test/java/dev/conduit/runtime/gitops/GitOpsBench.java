package dev.conduit.runtime.gitops;

import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.source.DirectorySource;
import dev.conduit.runtime.Fixtures;
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
 * the database) serve it. The peer, in the same run: compiling the same tree with the same compiler
 * in this JVM. Liberty and HTTP are left out (GitOpsIT covers them). Run: bench/runtime/gitops.sh.
 */
public final class GitOpsBench {

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args[0]));
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    String schema = Databases.newPostgresSchema();
    DataSource db =
        schema != null
            ? Databases.postgres(schema)
            : Databases.h2(Files.createTempDirectory(dir, "h2"));
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
      config =
          Map.of(
              "conduit.git.organizations", "fixture",
              "conduit.git.fixture.url", remote.url(),
              "conduit.git.poll-seconds", "600");
      Instance a = new Instance(db, config, dir.resolve("a"));
      Instance b = new Instance(db, config, dir.resolve("b"));
      a.webhook();
      await(a, first);
      await(b, first);
      Compiler compiler = new Compiler(CodeSyntaxes.engines());
      compile(compiler, remote.workTree());

      List<Double> onA = new ArrayList<>();
      List<Double> onB = new ArrayList<>();
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
        long pushed = System.nanoTime();
        a.webhook();
        double servedA = await(a, commit) - pushed;
        double servedB = await(b, commit) - pushed;
        onA.add(servedA / 1e6);
        onB.add(servedB / 1e6);
        long t0 = System.nanoTime();
        compile(compiler, remote.workTree());
        compiled.add((System.nanoTime() - t0) / 1e6);
        System.out.printf(
            "[bench] round %d: served on A %.0f ms, on B %.0f ms; compile alone %.0f ms%n",
            i, onA.getLast(), onB.getLast(), compiled.getLast());
      }
      double mA = median(onA);
      double mB = median(onB);
      double mC = median(compiled);
      System.out.printf(
          "[bench] medians of %d: push to served on A %.0f ms, on B %.0f ms (B/A %.2f); compile"
              + " alone %.0f ms (A/compile %.1f); worst on B %.0f ms%n",
          rounds, mA, mB, mB / mA, mC, mA / mC, onB.stream().mapToDouble(d -> d).max().orElse(0));
      a.stop();
      b.stop();
    }
  }

  /** One instance: as GitOps wires it, a pass every second on one thread. */
  private static final class Instance {
    final BundleRegistry registry =
        new BundleRegistry(new Opener(Fixtures.KEYS.privateKeyset()), Clock.systemUTC());
    final Reconciler reconciler;
    final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();

    Instance(DataSource db, Map<String, String> config, Path workDir) throws Exception {
      reconciler =
          new Reconciler(
              () -> GitSettings.read(k -> Optional.ofNullable(config.get(k))),
              registry,
              new DeploymentStore(db, Clock.systemUTC()),
              new CommitCompiler(CodeSyntaxes.engines(), Optional.empty()),
              Files.createDirectories(workDir),
              Clock.systemUTC());
      thread.scheduleWithFixedDelay(() -> reconciler.pass(Set.of()), 0, 1, TimeUnit.SECONDS);
    }

    /** What the webhook does: an immediate pass that fetches. */
    void webhook() {
      thread.execute(() -> reconciler.pass(Set.of("fixture")));
    }

    String serving() {
      return registry
          .organization(Fixtures.ORG)
          .map(o -> o.bundle().source().commit())
          .orElse(null);
    }

    void stop() {
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
