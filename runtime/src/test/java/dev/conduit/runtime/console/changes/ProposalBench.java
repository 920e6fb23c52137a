package dev.conduit.runtime.console.changes;

import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.cli.JsonFileEdit;
import dev.conduit.compiler.codecache.CachedCodeSyntax;
import dev.conduit.compiler.codecache.CheckerVersion;
import dev.conduit.compiler.codecache.CodeCheckStore;
import dev.conduit.compiler.source.GitSource;
import dev.conduit.runtime.gitops.GitSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import tools.jackson.databind.node.ObjectNode;

/**
 * "Make the branch" on a large organization (bench/console/propose.sh): the repository committed on
 * main of a bare remote over file://, then an API's name changed and proposed, RUNS times each way,
 * in turns in one JVM. Before: the check and the push as two passes (a fetch of the whole branch
 * and a compile of both sides each); after, cold: {@link ChangeBranches#proposeIfValid} in one
 * pass, nothing kept between proposals; after, warm: the same with the organization's copy kept
 * ({@link RemoteCopies}), the base's bundle kept ({@link BaseBundles}) and the code-check cache (a
 * fresh folder, filled by the warm-up); warm, branch moved: main gets a commit from elsewhere
 * before each proposal, so the fetch brings it and the new base compiles (a server serving that
 * commit would give its bundle instead). Then the new commit's compile phase by phase, as the warm
 * proposal runs it. Prints medians in ms.
 */
public final class ProposalBench {
  private ProposalBench() {}

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args[0]);
    Path tmp = Files.createTempDirectory("proposal-bench");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    ExampleRemote remote = ExampleRemote.in(tmp, repo, "large");
    var source = remote.source;
    Path work = tmp.resolve("work");
    try (Stream<Path> packs = Files.list(remote.remote.resolve("objects/pack"))) {
      long bytes = packs.mapToLong(p -> p.toFile().length()).sum();
      // what a warm copy holds in memory, near enough: the branch's objects as packed
      System.out.printf("the repository packed: %.1f MB%n", bytes / 1e6);
    }
    List<String> apis;
    try (Stream<Path> all = Files.walk(work.resolve("connections"))) {
      apis =
          all.filter(p -> p.toString().endsWith(".json") && p.getParent().endsWith("apis"))
              .map(p -> work.relativize(p).toString())
              .sorted()
              .toList();
    }
    String api = apis.getFirst();
    ChangeBranches cold =
        new ChangeBranches(
            new Compiler(CodeSyntaxes.engines()),
            Clock.systemUTC(),
            () -> GitSettings.DEFAULT_FETCH_TIMEOUT_SECONDS,
            RemoteCopies.none(),
            BaseBundles.none());
    CodeSyntax cached =
        new CachedCodeSyntax(
            CodeSyntaxes.engines(),
            new CodeCheckStore(tmp.resolve("code-checks")),
            CheckerVersion.current());
    ChangeBranches warm =
        new ChangeBranches(
            new Compiler(cached),
            Clock.systemUTC(),
            () -> GitSettings.DEFAULT_FETCH_TIMEOUT_SECONDS,
            RemoteCopies.warm(),
            BaseBundles.warm(BaseBundles.Served.NOTHING));
    String org = cold.organizationOf(source);
    String base = cold.head(source);
    Map<String, List<Long>> times = new LinkedHashMap<>();
    String lastCommit = null;
    for (int i = 0; i < runs + 1; i++) { // the first of each: a warm-up
      TreeChange one = rename(api, "before " + i);
      Map<String, Long> run = new LinkedHashMap<>();
      long t0 = System.nanoTime();
      var checked = cold.change(source, org, "bench", null, base, one, false);
      valid(checked);
      cold.change(source, org, "bench", null, base, one, true);
      run.put("before (two passes)", since(t0));
      t0 = System.nanoTime();
      valid(cold.proposeIfValid(source, org, "bench", null, base, rename(api, "after " + i)));
      run.put("after, cold (one pass)", since(t0));
      t0 = System.nanoTime();
      var made = warm.proposeIfValid(source, org, "bench", null, base, rename(api, "warm " + i));
      run.put("after, warm", since(t0));
      valid(made);
      lastCommit = made.commit();
      // main moves on (another API renamed, committed and pushed from elsewhere)
      base = commitElsewhere(remote, apis.get(1 + i % (apis.size() - 1)), "moved " + i);
      t0 = System.nanoTime();
      valid(warm.proposeIfValid(source, org, "bench", null, base, rename(api, "moved " + i)));
      run.put("after, warm, branch moved", since(t0));
      if (i > 0) {
        run.forEach((k, v) -> times.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
      }
      System.err.println("run " + i + ": " + run);
    }
    StringBuilder row = new StringBuilder("| " + api + " |");
    long first = median(times.values().iterator().next());
    times.forEach(
        (k, v) ->
            row.append(
                String.format(
                    " %s %d ms %s (%.2fx) |", k, median(v), v, (double) first / median(v))));
    System.out.println(row);
    System.out.println(phases(remote.remote, lastCommit, cached));
  }

  /** The new commit's compile, phase by phase, with the warm proposal's code-check cache. */
  private static String phases(Path remote, String commit, CodeSyntax cached) throws Exception {
    StringBuilder out = new StringBuilder("new commit's compile (warm code-check cache), ms:");
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      for (int i = 0; i < 3; i++) {
        try (GitSource tree = GitSource.open(repo, "large", commit)) {
          long[] t = {System.nanoTime()};
          StringBuilder line = new StringBuilder();
          new Compiler(cached)
              .compile(
                  tree,
                  phase -> {
                    line.append(' ')
                        .append(phase.name().toLowerCase(java.util.Locale.ROOT))
                        .append(' ')
                        .append(since(t[0]));
                    t[0] = System.nanoTime();
                  });
          out.append("\n  run ").append(i).append(':').append(line);
        }
      }
    }
    return out.toString();
  }

  /** A commit on main of the remote from elsewhere: another API renamed. */
  private static String commitElsewhere(ExampleRemote remote, String path, String name)
      throws Exception {
    var node = (ObjectNode) JsonFileEdit.mapper().readTree(remote.file("refs/heads/main", path));
    node.put("name", name);
    return remote.commitOnMain(
        path, new String(ChangeBranches.text(node), java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void valid(ChangeBranches.Proposal p) {
    if (!p.valid()) {
      throw new IllegalStateException(p.problems().toString());
    }
  }

  private static long since(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static TreeChange rename(String path, String name) {
    return new TreeChange() {
      @Override
      public Map<String, byte[]> files(BaseTree base) throws ChangeBranches.Refused {
        var api = base.json(path).orElseThrow();
        api.put("name", name);
        return Map.of(path, ChangeBranches.text(api));
      }

      @Override
      public String message() {
        return "bench: rename " + path + "\n";
      }
    };
  }

  private static long median(List<Long> l) {
    List<Long> s = l.stream().sorted().toList();
    return s.get(s.size() / 2);
  }
}
