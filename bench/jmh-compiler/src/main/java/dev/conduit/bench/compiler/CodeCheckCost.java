package dev.conduit.bench.compiler;

import dev.conduit.code.CodeSource;
import dev.conduit.code.languages.CodeChecker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;

/**
 * What checking code blocks costs per file, cold (a fresh JVM, as in one {@code conduit} run):
 * {@code CodeCheckCost VARIANT DIR} checks every code file under DIR once and prints the time per
 * file. One variant per JVM, so each starts cold:
 *
 * <ul>
 *   <li>{@code js} / {@code python}: the compiler's checker ({@link CodeChecker}), as it is;
 *   <li>{@code js-shared-engine}: the same JavaScript check (parse, run the top level, look for
 *       main) with one polyglot Engine shared by the per-file contexts;
 *   <li>{@code js-parse-only}: only the syntax check, every file parsed in one reused context
 *       (deciding "defines main" would then need another way, e.g. a pattern as for Python).
 * </ul>
 *
 * The last two are prototypes of the fixes docs/benchmarks.md recommends, not the product's code.
 */
public final class CodeCheckCost {
  private CodeCheckCost() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: CodeCheckCost js|python|js-shared-engine|js-parse-only DIR");
      System.exit(2);
      return;
    }
    String variant = args[0];
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of(args[1]))) {
      String ext = variant.equals("python") ? ".py" : ".js";
      files =
          walk.filter(p -> p.getParent().getFileName().toString().equals("code"))
              .filter(p -> p.toString().endsWith(ext))
              .sorted()
              .toList();
    }
    List<String> texts = new ArrayList<>();
    for (Path p : files) {
      texts.add(Files.readString(p));
    }
    long start = System.nanoTime();
    int problems =
        switch (variant) {
          case "js" -> checker(files, texts, dev.conduit.code.Language.JAVASCRIPT);
          case "python" -> checker(files, texts, dev.conduit.code.Language.PYTHON);
          case "js-shared-engine" -> sharedEngine(files, texts);
          case "js-parse-only" -> parseOnly(files, texts);
          default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    long nanos = System.nanoTime() - start;
    System.out.printf(
        Locale.ROOT,
        "%s: %d files in %d ms = %.2f ms per file (%d problems)%n",
        variant,
        files.size(),
        nanos / 1_000_000,
        nanos / 1e6 / Math.max(1, files.size()),
        problems);
  }

  private static int checker(
      List<Path> files, List<String> texts, dev.conduit.code.Language language) {
    CodeChecker checker = new CodeChecker();
    int problems = 0;
    for (int i = 0; i < files.size(); i++) {
      problems +=
          checker.check(new CodeSource(files.get(i).toString(), language, texts.get(i))).size();
    }
    return problems;
  }

  private static int sharedEngine(List<Path> files, List<String> texts) {
    int problems = 0;
    try (Engine engine =
        Engine.newBuilder("js")
            .option("engine.WarnInterpreterOnly", "false")
            .out(OutputStream.nullOutputStream())
            .err(OutputStream.nullOutputStream())
            .build()) {
      for (int i = 0; i < files.size(); i++) {
        Source source =
            Source.newBuilder("js", texts.get(i), files.get(i).toString()).buildLiteral();
        try (Context ctx =
            Context.newBuilder("js")
                .engine(engine)
                .allowHostAccess(HostAccess.NONE)
                .allowHostClassLookup(c -> false)
                .allowIO(IOAccess.NONE)
                .resourceLimits(ResourceLimits.newBuilder().statementLimit(100_000, null).build())
                .build()) {
          try {
            ctx.parse(source);
            ctx.eval(source);
          } catch (PolyglotException e) {
            problems++;
            continue;
          }
          if (!ctx.getBindings("js").hasMember("main")) {
            problems++;
          }
        }
      }
    }
    return problems;
  }

  private static int parseOnly(List<Path> files, List<String> texts) {
    int problems = 0;
    try (Context ctx =
        Context.newBuilder("js")
            .allowHostAccess(HostAccess.NONE)
            .allowHostClassLookup(c -> false)
            .allowIO(IOAccess.NONE)
            .option("engine.WarnInterpreterOnly", "false")
            .out(OutputStream.nullOutputStream())
            .err(OutputStream.nullOutputStream())
            .build()) {
      for (int i = 0; i < files.size(); i++) {
        try {
          ctx.parse(Source.newBuilder("js", texts.get(i), files.get(i).toString()).buildLiteral());
        } catch (PolyglotException e) {
          problems++;
        }
      }
    }
    return problems;
  }
}
