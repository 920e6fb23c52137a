package dev.conduit.bench.compiler;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.BundleCodec;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.check.Checks;
import dev.conduit.compiler.check.CodeChecksAhead;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.diag.Diagnostics;
import dev.conduit.compiler.model.Located;
import dev.conduit.compiler.model.ModelBinder;
import dev.conduit.compiler.model.RepositoryModel;
import dev.conduit.compiler.parse.JsonFiles;
import dev.conduit.compiler.parse.ParsedFile;
import dev.conduit.compiler.resolve.Resolver;
import dev.conduit.compiler.schema.SchemaCheck;
import dev.conduit.compiler.source.DirectorySource;
import dev.conduit.compiler.source.FileKind;
import dev.conduit.compiler.source.ListedFile;
import dev.conduit.compiler.source.SourceException;
import dev.conduit.compiler.source.SourceFile;
import dev.conduit.compiler.source.SourceReader;
import dev.conduit.compiler.source.SourceTree;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@link Compiler#compile}'s phases one by one, so each can be timed alone: the same calls in the
 * same order, except that parse, validate and bind (one parallel pass in the compiler) are three
 * passes here. As in the compiler, the code files are checked ahead, on a thread per language
 * started when the files are listed ({@link CodeChecksAhead}): the check phase only waits for what
 * is not done yet. Keep it in step with {@code Compiler.compile} when the pipeline changes; the
 * {@code compile} benchmark times the real method, so a drift shows as a gap between the sum of the
 * phases and the whole.
 */
public final class Phases {

  /** The phases, in pipeline order. */
  public enum Phase {
    LIST,
    LOAD,
    PARSE,
    VALIDATE,
    BIND,
    RESOLVE,
    CHECK,
    EMIT
  }

  private final CodeSyntax code;
  private final SchemaCheck schemaCheck = new SchemaCheck();

  public Phases(CodeSyntax code) {
    this.code = code;
  }

  /** list: the directory walk of {@link DirectorySource#open}. */
  public SourceTree list(Path dir) throws SourceException {
    return DirectorySource.open(dir);
  }

  /** list, second half: each path's kind, once, as the compiler does before the engines start. */
  public List<ListedFile> classify(SourceTree tree, Diagnostics out) {
    return SourceReader.list(tree, out);
  }

  /** load: read and decode the files the layout knows. */
  public List<SourceFile> load(SourceTree tree, List<ListedFile> listed, Diagnostics out) {
    return SourceReader.read(tree, listed, out);
  }

  /** parse: strict JSON, in parallel as in the compiler. */
  public List<ParsedFile> parse(List<SourceFile> files, Diagnostics out) {
    return files.parallelStream()
        .filter(f -> f.kind().isJson())
        .map(f -> JsonFiles.parse(f.path(), f.kind(), f.text(), out::add).orElse(null))
        .filter(Objects::nonNull)
        .toList();
  }

  /** validate: each file against its kind's JSON Schema, in parallel as in the compiler. */
  public List<ParsedFile> validate(List<ParsedFile> parsed, Diagnostics out) {
    return parsed.parallelStream().filter(f -> schemaCheck.check(f, out)).toList();
  }

  /** bind: records (in parallel, as in the compiler) and the repository model. */
  public RepositoryModel bind(
      SourceTree tree,
      List<ListedFile> listed,
      List<SourceFile> files,
      List<ParsedFile> valid,
      Diagnostics out) {
    Map<String, String> code =
        files.stream()
            .filter(f -> !f.kind().isJson())
            .collect(
                Collectors.toMap(SourceFile::path, SourceFile::text, (a, b) -> a, TreeMap::new));
    Set<String> validPaths = valid.stream().map(ParsedFile::path).collect(Collectors.toSet());
    Set<String> broken =
        listed.stream()
            .filter(f -> f.kind().isJson() && !validPaths.contains(f.path()))
            .map(ListedFile::path)
            .collect(Collectors.toSet());
    List<Located<?>> bound = valid.parallelStream().<Located<?>>map(ModelBinder::record).toList();
    return ModelBinder.group(bound, code, tree.paths(), broken, out);
  }

  /** resolve: the bundle model. */
  public Optional<Bundle> resolve(RepositoryModel model, Diagnostics out) {
    return new Resolver(model, out).resolve();
  }

  /** check: the rules beyond the schemas, each code file checked when first asked (JMH's phase). */
  public void check(RepositoryModel model, Diagnostics out) {
    Checks.run(model, code, out);
  }

  /** check: the rules beyond the schemas, with the code files' checks started ahead. */
  public void check(RepositoryModel model, CodeSyntax ahead, Diagnostics out) {
    Checks.run(model, ahead, out);
  }

  /** emit: the bundle's bytes (what BundleFile.write writes), without the file write. */
  public byte[] emit(Bundle bundle) {
    return BundleCodec.write(bundle);
  }

  /** Everything above, once, with the time of each phase in nanoseconds. */
  public Map<Phase, Long> timeAll(Path dir) throws SourceException {
    Map<Phase, Long> nanos = new java.util.EnumMap<>(Phase.class);
    Diagnostics out = new Diagnostics();
    long t = System.nanoTime();
    SourceTree tree = list(dir);
    List<ListedFile> listed = classify(tree, out);
    CodeChecksAhead ahead = CodeChecksAhead.start(code, SourceReader.codePaths(listed));
    t = lap(nanos, Phase.LIST, t);
    List<SourceFile> files = load(tree, listed, out);
    ahead.submit(
        files.stream()
            .filter(f -> f.kind() == FileKind.CODE)
            .collect(Collectors.toMap(SourceFile::path, SourceFile::text)));
    t = lap(nanos, Phase.LOAD, t);
    List<ParsedFile> parsed = parse(files, out);
    t = lap(nanos, Phase.PARSE, t);
    List<ParsedFile> valid = validate(parsed, out);
    t = lap(nanos, Phase.VALIDATE, t);
    RepositoryModel model = bind(tree, listed, files, valid, out);
    t = lap(nanos, Phase.BIND, t);
    Optional<Bundle> bundle = resolve(model, out);
    t = lap(nanos, Phase.RESOLVE, t);
    check(model, ahead, out);
    ahead.close();
    t = lap(nanos, Phase.CHECK, t);
    if (out.hasErrors() || bundle.isEmpty()) {
      throw new IllegalStateException(dir + " has errors: " + out.sorted().getFirst());
    }
    emit(bundle.get());
    lap(nanos, Phase.EMIT, t);
    return nanos;
  }

  private static long lap(Map<Phase, Long> nanos, Phase phase, long start) {
    long now = System.nanoTime();
    nanos.put(phase, now - start);
    return now;
  }
}
