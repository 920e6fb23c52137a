package dev.conduit.bench.compiler;

import dev.conduit.bundle.Bundle;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.diag.Diagnostics;
import dev.conduit.compiler.model.RepositoryModel;
import dev.conduit.compiler.parse.ParsedFile;
import dev.conduit.compiler.source.DirectorySource;
import dev.conduit.compiler.source.ListedFile;
import dev.conduit.compiler.source.SourceException;
import dev.conduit.compiler.source.SourceFile;
import dev.conduit.compiler.source.SourceTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The compiler's pipeline in-process, warm: the whole {@link Compiler#compile} on a generated
 * repository (and with the bundle's bytes, as {@code conduit compile} writes them), and each phase
 * alone on the previous phase's output. Short by default (the machines have 2 shared cores); see
 * docs/benchmarks.md for the command and for longer runs.
 *
 * <p>{@code connections} x {@code apis} sets the repository's size ({@link RepoGenerator}); {@code
 * code} is {@code engines} (what the CLI uses: {@link CodeSyntaxes#engines()}) or {@code none}
 * ({@link CodeSyntax#NONE}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CompilerBenchmark {

  @Param({"100", "1000"})
  public int connections;

  @Param({"10"})
  public int apis;

  @Param({"engines"})
  public String code;

  private Path dir;
  private Phases phases;
  private CodeSyntax syntax;
  // each phase's input, made once by the phases before it
  private SourceTree tree;
  private List<ListedFile> listed;
  private List<SourceFile> files;
  private List<ParsedFile> parsed;
  private List<ParsedFile> valid;
  private RepositoryModel model;
  private Bundle bundle;

  @Setup(Level.Trial)
  public void setUp() throws IOException, SourceException {
    dir = Files.createTempDirectory("conduit-bench-");
    RepoGenerator.generate(dir.resolve("org"), connections, apis, 42);
    syntax =
        switch (code) {
          case "engines" -> CodeSyntaxes.engines();
          case "none" -> CodeSyntax.NONE;
          default -> throw new IllegalArgumentException("code is engines or none, not " + code);
        };
    phases = new Phases(syntax);
    Diagnostics out = new Diagnostics();
    tree = phases.list(dir.resolve("org"));
    listed = phases.classify(tree, out);
    files = phases.load(tree, listed, out);
    parsed = phases.parse(files, out);
    valid = phases.validate(parsed, out);
    model = phases.bind(tree, listed, files, valid, out);
    bundle = phases.resolve(model, out).orElseThrow();
    phases.check(model, out);
    if (out.hasErrors()) {
      throw new IllegalStateException("the generated repository has errors: " + out.sorted());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    RepoGenerator.delete(dir);
  }

  /** What {@code conduit validate} runs after start-up. */
  @Benchmark
  public Compiler.Result compile() throws SourceException {
    return new Compiler(syntax).compile(DirectorySource.open(dir.resolve("org")));
  }

  /** What {@code conduit compile} runs after start-up, up to the bytes it writes. */
  @Benchmark
  public byte[] compileAndEmit() throws SourceException {
    Compiler.Result result = new Compiler(syntax).compile(DirectorySource.open(dir.resolve("org")));
    return phases.emit(result.bundle().orElseThrow());
  }

  /** The directory walk and each path's kind. */
  @Benchmark
  public List<ListedFile> phase1List() throws SourceException {
    return phases.classify(phases.list(dir.resolve("org")), new Diagnostics());
  }

  @Benchmark
  public List<SourceFile> phase2Load() {
    return phases.load(tree, listed, new Diagnostics());
  }

  @Benchmark
  public List<ParsedFile> phase3Parse() {
    return phases.parse(files, new Diagnostics());
  }

  @Benchmark
  public List<ParsedFile> phase4Validate() {
    return phases.validate(parsed, new Diagnostics());
  }

  @Benchmark
  public RepositoryModel phase5Bind() {
    return phases.bind(tree, listed, files, valid, new Diagnostics());
  }

  @Benchmark
  public Optional<Bundle> phase6Resolve() {
    return phases.resolve(model, new Diagnostics());
  }

  @Benchmark
  public Diagnostics phase7Check() {
    Diagnostics out = new Diagnostics();
    phases.check(model, out);
    return out;
  }

  @Benchmark
  public byte[] phase8Emit() {
    return phases.emit(bundle);
  }
}
