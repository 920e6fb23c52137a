package dev.conduit.runtime.console.changes;

import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.cli.CodeSyntaxes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * "Make the branch" on a large organization (bench/console/propose.sh): the repository committed on
 * main of a bare remote over file:// ({@link ExampleRemote#of}), then an API's name changed and
 * proposed, RUNS times each way. Before: the check and the push as two passes (a fetch and a
 * compile of both sides each, as proposeIfValid did); after: {@link ChangeBranches#proposeIfValid}
 * in one pass. Prints medians in ms.
 */
public final class ProposalBench {
  private ProposalBench() {}

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args[0]);
    Path tmp = Files.createTempDirectory("proposal-bench");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    var source = ExampleRemote.of(repo, tmp).source;
    String org;
    String api;
    try (Stream<Path> apis = Files.walk(repo.resolve("connections"))) {
      api =
          repo.relativize(
                  apis.filter(p -> p.toString().endsWith(".json") && p.getParent().endsWith("apis"))
                      .sorted()
                      .findFirst()
                      .orElseThrow())
              .toString();
    }
    ChangeBranches changes =
        new ChangeBranches(new Compiler(CodeSyntaxes.engines()), Clock.systemUTC());
    org = changes.organizationOf(source);
    String base = changes.head(source);
    List<Long> before = new ArrayList<>();
    List<Long> after = new ArrayList<>();
    for (int i = 0; i < runs + 1; i++) { // the first of each: a warm-up
      TreeChange one = rename(api, "before " + i);
      long t0 = System.nanoTime();
      var checked = changes.change(source, org, "bench", null, base, one, false);
      if (!checked.valid()) {
        throw new IllegalStateException(checked.problems().toString());
      }
      changes.change(source, org, "bench", null, base, one, true);
      long t1 = System.nanoTime();
      var made =
          changes.proposeIfValid(source, org, "bench", null, base, rename(api, "after " + i));
      long t2 = System.nanoTime();
      if (!made.valid()) {
        throw new IllegalStateException(made.problems().toString());
      }
      if (i > 0) {
        before.add((t1 - t0) / 1_000_000);
        after.add((t2 - t1) / 1_000_000);
      }
      System.err.println(
          "run "
              + i
              + ": before "
              + (t1 - t0) / 1_000_000
              + " ms, after "
              + (t2 - t1) / 1_000_000
              + " ms");
    }
    long b = median(before);
    long a = median(after);
    System.out.printf(
        "| %s | before (two passes) %d ms %s | after (one pass) %d ms %s | %.2fx |%n",
        api, b, before, a, after, (double) b / a);
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
