package dev.conduit.bench.compiler;

import dev.conduit.bundle.BundleCodec;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.PhaseHook;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.source.DirectorySource;
import dev.conduit.compiler.source.SourceException;
import dev.conduit.compiler.source.SourceTree;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where one process's time goes, phase by phase, timed on {@link Compiler#compile} itself through
 * its {@link PhaseHook}: {@code PhaseTimes DIR [--runs N] [--code engines|none]} compiles DIR N
 * times (default 5) in this JVM, checking code blocks with the real engines (as the CLI does) or
 * not at all, and prints each phase's time in the first run (cold: class loading, schema loading,
 * interpreter and JIT warm-up, as in one {@code conduit} process) and the median of the others
 * (warm). Run it with the launcher's JVM flags to match the CLI (bench/compiler/run.sh does).
 */
public final class PhaseTimes {
  private PhaseTimes() {}

  public static void main(String[] args) throws SourceException {
    Path dir = null;
    int runs = 5;
    boolean verbose = false;
    String code = "engines";
    for (int a = 0; a < args.length; a++) {
      if (args[a].equals("--runs")) {
        runs = Integer.parseInt(args[++a]);
      } else if (args[a].equals("--code")) {
        code = args[++a];
      } else if (args[a].equals("--verbose")) {
        verbose = true;
      } else {
        dir = Path.of(args[a]);
      }
    }
    if (dir == null || runs < 1) {
      System.err.println("usage: PhaseTimes DIR [--runs N] [--code engines|none] [--verbose]");
      System.exit(2);
      return;
    }
    long jvmStartMs = ManagementFactory.getRuntimeMXBean().getUptime();
    Compiler compiler =
        new Compiler(code.equals("none") ? CodeSyntax.NONE : CodeSyntaxes.engines());
    List<Map<String, Long>> all = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      all.add(timeOnce(compiler, dir));
    }
    System.out.printf(
        Locale.ROOT,
        "%s, code blocks checked by %s, %d runs in one JVM (JVM up %d ms "
            + "before the first run)%n%n",
        dir.getFileName(),
        code.equals("none") ? "nothing (CodeSyntax.NONE)" : "the real engines",
        runs,
        jvmStartMs);
    System.out.printf(
        Locale.ROOT, "| phase | first run (ms) | share | warm median (ms) | share |%n");
    System.out.printf(Locale.ROOT, "|---|---:|---:|---:|---:|%n");
    Map<String, Long> warm = new LinkedHashMap<>();
    long coldTotal = 0;
    long warmTotal = 0;
    for (String p : ROWS) {
      coldTotal += all.get(0).get(p);
      long[] rest = all.stream().skip(runs > 1 ? 1 : 0).mapToLong(m -> m.get(p)).sorted().toArray();
      long median = rest[rest.length / 2];
      if (rest.length % 2 == 0) {
        median = (rest[rest.length / 2 - 1] + rest[rest.length / 2]) / 2;
      }
      warm.put(p, median);
      warmTotal += median;
    }
    for (String p : ROWS) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %.0f | %.0f%% | %.0f | %.0f%% |%n",
          p,
          all.get(0).get(p) / 1e6,
          100.0 * all.get(0).get(p) / coldTotal,
          warm.get(p) / 1e6,
          100.0 * warm.get(p) / warmTotal);
    }
    System.out.printf(
        Locale.ROOT, "| total | %.0f | | %.0f | |%n", coldTotal / 1e6, warmTotal / 1e6);
    if (verbose) {
      all.forEach(System.out::println);
    }
  }

  /**
   * The rows: the phases {@link Compiler#compile} reports through its {@link PhaseHook} (list
   * includes the directory walk before it), then finish (the rest of compile: the code checkers
   * closed, diagnostics sorted) and emit (the bundle's bytes, what {@code BundleFile.write}
   * writes).
   */
  private static final List<String> ROWS =
      Stream.concat(
              Arrays.stream(PhaseHook.Phase.values()).map(p -> p.name().toLowerCase(Locale.ROOT)),
              Stream.of("finish", "emit"))
          .toList();

  /** One compilation of {@code dir} by the real pipeline, with each row's time in nanoseconds. */
  private static Map<String, Long> timeOnce(Compiler compiler, Path dir) throws SourceException {
    Map<String, Long> nanos = new LinkedHashMap<>();
    long[] last = {System.nanoTime()};
    SourceTree tree = DirectorySource.open(dir);
    Compiler.Result result =
        compiler.compile(
            tree,
            phase -> {
              long now = System.nanoTime();
              nanos.put(phase.name().toLowerCase(Locale.ROOT), now - last[0]);
              last[0] = now;
            });
    long now = System.nanoTime();
    nanos.put("finish", now - last[0]);
    if (result.bundle().isEmpty()) {
      throw new IllegalStateException(dir + " has errors: " + result.diagnostics().getFirst());
    }
    BundleCodec.write(result.bundle().get());
    nanos.put("emit", System.nanoTime() - now);
    return nanos;
  }
}
