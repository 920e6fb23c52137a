package it.dev.conduit.runtime;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.source.DirectorySource;
import dev.conduit.runtime.store.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Push to served on two instances with the webhook (issue 14, goal under 5 s): each round pushes a
 * commit to the bare repository, sends the signed webhook to instance A, and times until A (which
 * fetched) and B (which learns it from the database) serve it, polling each one's admin state every
 * 20 ms. The peer, measured in the same run: compiling the same tree in this JVM with the same
 * compiler (the part of the work that does not depend on GitOps). Not a test: run by
 * bench/runtime/gitops.sh; figures in docs/benchmarks.md ("GitOps").
 */
class GitOpsPushBench {

  @Test
  void pushToServed() throws Exception {
    int rounds = Integer.getInteger("bench.rounds", 7);
    String schema = Databases.newPostgresSchema();
    assumeTrue(schema != null, Databases.skipMessage());
    try (GitOpsCluster c = new GitOpsCluster(schema, 600)) {
      c.start();
      Path whoami = c.remote.workTree().resolve("connections/basic/apis/whoami.json");
      Compiler compiler = new Compiler(CodeSyntaxes.engines());
      compile(compiler, c.remote.workTree()); // the engines start once, as in a running server
      List<Double> servedA = new ArrayList<>();
      List<Double> servedB = new ArrayList<>();
      List<Double> compiled = new ArrayList<>();
      String original = Files.readString(whoami);
      for (int i = 1; i <= rounds; i++) {
        String name = "Whoami " + i;
        String commit =
            c.remote.push(
                "round " + i,
                w ->
                    Files.writeString(
                        whoami,
                        original.replace("\"name\": \"Whoami\"", "\"name\": \"" + name + "\"")));
        long pushed = System.nanoTime();
        if (c.webhook(c.a, GitOpsCluster.sign(GitOpsCluster.PUSH_EVENT), null).statusCode()
            != 202) {
          throw new AssertionError("webhook refused");
        }
        CompletableFuture<Double> b =
            CompletableFuture.supplyAsync(() -> awaitMillis(c, c.b, commit, pushed));
        servedA.add(awaitMillis(c, c.a, commit, pushed));
        servedB.add(b.join());
        long t0 = System.nanoTime();
        compile(compiler, c.remote.workTree());
        compiled.add((System.nanoTime() - t0) / 1e6);
        System.out.printf(
            "[bench] round %d: served on A %.0f ms, on B %.0f ms; compile alone %.0f ms%n",
            i, servedA.getLast(), servedB.getLast(), compiled.getLast());
      }
      double a = median(servedA);
      double bMedian = median(servedB);
      double comp = median(compiled);
      System.out.printf(
          "[bench] medians of %d: push to served on A %.0f ms, on B %.0f ms (B/A %.2f);"
              + " compile alone %.0f ms (served on B / compile %.1f); worst on B %.0f ms%n",
          rounds,
          a,
          bMedian,
          bMedian / a,
          comp,
          bMedian / comp,
          servedB.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }
  }

  private static double awaitMillis(GitOpsCluster c, CrashServer s, String commit, long from) {
    try {
      c.await(
          s,
          "/gitops",
          g -> commit.equals(g.get("servedHere").asString(null)),
          Duration.ofSeconds(120),
          20);
      return (System.nanoTime() - from) / 1e6;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
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
