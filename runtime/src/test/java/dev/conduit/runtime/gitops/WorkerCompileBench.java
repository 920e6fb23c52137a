package dev.conduit.runtime.gitops;

import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.worker.CompileWorker;
import dev.conduit.runtime.gitops.CommitCompiler.Compiled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;

/**
 * Where a commit of a large repository spends its time in each place it can compile (issue 14: push
 * to served on a 10,000-API repository took 23.5 s with the kept-warm worker against 6.7 s in the
 * server): {@link CommitCompiler#compile} timed for each variant on the same commit, the variants
 * in turns (A, B, C, then B, C, A, ...) so that a burst of load hits them alike, on a thread niced
 * as GitOps' own is. A variant is {@code server}, {@code process}, or {@code worker:HEAP_MB} (a
 * kept-warm worker with that -Xmx, each variant its own). Each round pushes a commit renaming one
 * API, as reconcile.sh does. The worker's own account of each commit (its compile, its write of the
 * bundle, its collection, the server's read) is printed from WarmCompileWorker's FINE record, and
 * the worker JVM's resident memory after each commit. Run: bench/runtime/worker-compile.sh.
 */
public final class WorkerCompileBench {

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args[0]));
    Path tree = Path.of(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    List<String> variants =
        List.of(
            Optional.ofNullable(System.getenv("VARIANTS")).orElse("worker:512 server").split(" "));
    Logger fine = Logger.getLogger(WarmCompileWorker.class.getName());
    ConsoleHandler handler = new ConsoleHandler();
    handler.setLevel(Level.FINE);
    handler.setFormatter(
        new SimpleFormatter() {
          @Override
          public String format(java.util.logging.LogRecord r) {
            return "[bench]   " + r.getMessage() + System.lineSeparator();
          }
        });
    fine.addHandler(handler);
    fine.setLevel(Level.FINE);

    Path bare = GitRemote.holding(tree, dir.resolve("remote.git"), dir.resolve("work"));
    Map<String, String> config =
        Map.of("conduit.git.organizations", "gen", "conduit.git.gen.url", bare.toUri().toString());
    GitSettings.Source source =
        GitSettings.read(k -> Optional.ofNullable(config.get(k))).sources().getFirst();
    try (GitRemote remote = GitRemote.reopen(bare, dir.resolve("work"));
        GitMirror mirror = new GitMirror(source, dir.resolve("copies").resolve("gen"))) {
      String head = mirror.fetch(600);
      Path renamed = firstApi(remote.workTree());
      // one thread compiles, as GitOps' own; at this JVM's priority (the script's), not lowered to
      // nice 10 as the server's is: both kinds then run at the same nice value (a worker is
      // niced only up to 10), so what differs is the work, not the priority
      ExecutorService gitops = Executors.newSingleThreadExecutor();
      Map<String, CommitCompiler> compilers = new LinkedHashMap<>();
      Map<String, List<Double>> times = new LinkedHashMap<>();
      for (String v : variants) {
        compilers.put(v, new CommitCompiler(CodeSyntaxes.engines(), Optional.empty()));
        times.put(v, new ArrayList<>());
      }
      // unmeasured: each variant's first commit (a worker's cold start, the server's JIT)
      for (int i = 0; i < 2; i++) {
        for (String v : variants) {
          long t0 = System.nanoTime();
          compile(gitops, compilers.get(v), mirror, head, v);
          System.out.printf(
              "[bench] warm-up %d, %s: %.0f ms%n", i + 1, v, (System.nanoTime() - t0) / 1e6);
        }
      }
      String original = Files.readString(renamed);
      for (int round = 1; round <= rounds; round++) {
        String name = "Renamed in round " + round;
        String commit =
            remote.push(
                "round " + round,
                w ->
                    Files.writeString(
                        renamed,
                        original.replaceFirst(
                            "\"name\": \"[^\"]*\"", "\"name\": \"" + name + "\"")));
        mirror.fetch(600);
        List<String> order = new ArrayList<>(variants);
        java.util.Collections.rotate(order, -(round - 1));
        for (String v : order) {
          long t0 = System.nanoTime();
          Compiled c = compile(gitops, compilers.get(v), mirror, commit, v);
          double ms = (System.nanoTime() - t0) / 1e6;
          times.get(v).add(ms);
          System.out.printf(
              "[bench] round %d, %s: %.0f ms%s (load %s)%n", round, v, ms, rss(v), load());
          if (c.bundle().isEmpty() || !c.bundle().get().source().commit().equals(commit)) {
            throw new IllegalStateException(
                v + ": no bundle of " + commit + ": " + c.diagnostics());
          }
        }
      }
      double first = median(times.get(variants.getFirst()));
      for (String v : variants) {
        double m = median(times.get(v));
        System.out.printf(
            "[bench] %s: median of %d %.0f ms (%.2f of %s)%n",
            v, rounds, m, m / first, variants.getFirst());
      }
      compilers.values().forEach(CommitCompiler::close);
      gitops.shutdown();
    }
  }

  private static Compiled compile(
      ExecutorService gitops, CommitCompiler compiler, GitMirror mirror, String commit, String v)
      throws Exception {
    String[] kind = v.split(":");
    GitSettings.CompileIn in = GitSettings.CompileIn.valueOf(kind[0].toUpperCase());
    int heap = kind.length > 1 ? Integer.parseInt(kind[1]) : 512;
    GitSettings.Compile settings = new GitSettings.Compile(in, 1800, heap);
    Compiled c = gitops.submit(() -> compiler.compile(mirror, commit, settings)).get();
    if (c.failure() != null) {
      throw new IllegalStateException(v + ": " + c.failure());
    }
    return c;
  }

  /** The kept-warm worker JVMs' resident memory, when the variant has one. */
  private static String rss(String v) {
    if (!v.startsWith("worker")) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    ProcessHandle.current()
        .descendants()
        .filter(
            p ->
                List.of(p.info().arguments().orElse(new String[0]))
                    .contains(CompileWorker.class.getName()))
        .forEach(
            p -> {
              try {
                Files.readAllLines(Path.of("/proc/" + p.pid() + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:") || l.startsWith("VmHWM:"))
                    .forEach(l -> b.append(", ").append(l.replaceAll("\\s+", " ")));
              } catch (Exception e) {
                // gone meanwhile
              }
            });
    return b.toString();
  }

  private static Path firstApi(Path work) throws Exception {
    try (Stream<Path> files = Files.walk(work.resolve("connections"))) {
      return files
          .filter(p -> p.toString().endsWith(".json") && p.getParent().endsWith("apis"))
          .filter(p -> !work.relativize(p).startsWith(Path.of("connections", "bench")))
          .sorted()
          .findFirst()
          .orElseThrow();
    }
  }

  private static String load() throws Exception {
    return String.join(
        " ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
  }

  private static double median(List<Double> values) {
    List<Double> s = values.stream().sorted().toList();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
