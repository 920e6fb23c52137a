package dev.conduit.bench.compiler;

import com.sun.management.ThreadMXBean;
import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.BundleCodec;
import dev.conduit.bundle.BundleException;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.source.DirectorySource;
import dev.conduit.compiler.source.SourceException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What reading the next bundle of a large organization leaves in the heap (issue 14: the swap's
 * tail is the collector copying the new bundle's objects). {@code BundleReadCost [CONNECTIONS]
 * [ROUNDS]} generates an organization of CONNECTIONS x 10 APIs, compiles it, renames one API as
 * reconcile.sh's commits do, compiles again, then reads the second bundle while the first is held
 * (as the served one is), in turns:
 *
 * <ul>
 *   <li>{@code tree}: as BundleCodec read before 2026-12-03, the whole file as a tree, then bound;
 *   <li>{@code plain}: {@code BundleCodec.read(in)}, bound as it streams;
 *   <li>{@code shared}: {@code BundleCodec.read(in, served)}, what GitOps now does.
 * </ul>
 *
 * Per read: the bytes the reading thread allocated, the heap the new bundle keeps beyond the served
 * one (used after a full collection, minus the same with the served bundle only), and the time.
 * Medians over the rounds. Figures: docs/benchmarks.md.
 */
public final class BundleReadCost {
  private BundleReadCost() {}

  public static void main(String[] args) throws Exception {
    int connections = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("bundle-read-cost");
    try {
      Path org = dir.resolve("org");
      RepoGenerator.generate(org, connections, 10, 42);
      byte[] first = compile(org);
      rename(org);
      byte[] second = compile(org);
      Bundle served = BundleCodec.read(new ByteArrayInputStream(first));
      System.out.printf(
          Locale.ROOT,
          "%d connections x 10 APIs, bundle %.1f MB, %d rounds of tree, plain, shared%n",
          connections,
          second.length / 1e6,
          rounds);
      List<String> variants = List.of("tree", "plain", "shared");
      List<List<double[]>> results = new ArrayList<>();
      variants.forEach(v -> results.add(new ArrayList<>()));
      for (int r = 0; r < rounds + 1; r++) {
        for (int v = 0; v < variants.size(); v++) {
          double[] m = measure(variants.get(v), second, served);
          if (r > 0) { // round 0 warms the code paths up: its time is the first read's
            results.get(v).add(m);
          } else {
            System.out.printf(Locale.ROOT, "first read, %s: %.0f ms%n", variants.get(v), m[2]);
          }
        }
      }
      System.out.println("variant  allocated MB  kept beyond served MB  ms   (medians)");
      for (int v = 0; v < variants.size(); v++) {
        List<double[]> rs = results.get(v);
        System.out.printf(
            Locale.ROOT,
            "%-8s %12.1f %22.1f %4.0f%n",
            variants.get(v),
            median(rs, 0),
            median(rs, 1),
            median(rs, 2));
      }
    } finally {
      RepoGenerator.delete(dir);
    }
  }

  private static byte[] compile(Path org) throws SourceException {
    Compiler.Result result = new Compiler(CodeSyntax.NONE).compile(DirectorySource.open(org));
    return BundleCodec.write(
        result
            .bundle()
            .orElseThrow(() -> new IllegalStateException("errors: " + result.diagnostics())));
  }

  /** Renames the first API file's API, as each commit of reconcile.sh does. */
  private static void rename(Path org) throws IOException {
    Path api;
    try (Stream<Path> walk = Files.walk(org.resolve("connections"))) {
      api =
          walk.filter(p -> p.getParent().getFileName().toString().equals("apis"))
              .filter(p -> p.toString().endsWith(".json"))
              .sorted()
              .findFirst()
              .orElseThrow();
    }
    String text = Files.readString(api);
    Files.writeString(api, text.replaceFirst("\"name\": \"", "\"name\": \"Renamed "));
  }

  /** {allocated MB, kept MB, ms} of one read of {@code bytes} while {@code served} is held. */
  private static double[] measure(String variant, byte[] bytes, Bundle served)
      throws BundleException {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = usedAfterGc(memory);
    long allocated = threads.getCurrentThreadAllocatedBytes();
    long start = System.nanoTime();
    Bundle next =
        switch (variant) {
          case "tree" ->
              BundleCodec.mapper()
                  .treeToValue(
                      BundleCodec.mapper().readTree(new ByteArrayInputStream(bytes)), Bundle.class);
          case "plain" -> BundleCodec.read(new ByteArrayInputStream(bytes));
          default -> BundleCodec.read(new ByteArrayInputStream(bytes), served);
        };
    long ms = (System.nanoTime() - start) / 1_000_000;
    long alloc = threads.getCurrentThreadAllocatedBytes() - allocated;
    long kept = usedAfterGc(memory) - before;
    if (next.connections().size() != served.connections().size()) {
      throw new IllegalStateException("not the same organization");
    }
    return new double[] {alloc / 1e6, kept / 1e6, ms};
  }

  private static long usedAfterGc(MemoryMXBean memory) {
    System.gc();
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static double median(List<double[]> rounds, int index) {
    double[] xs = rounds.stream().mapToDouble(r -> r[index]).sorted().toArray();
    return xs.length % 2 == 1 ? xs[xs.length / 2] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2;
  }
}
