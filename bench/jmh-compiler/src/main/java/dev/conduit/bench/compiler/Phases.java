package dev.conduit.bench.compiler;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.BundleCodec;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.check.Checks;
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
 * Each phase of {@link Compiler#compile} alone, on the output of the phase before: what JMH's
 * {@code phase*} benchmarks time (parse, validate and bind, one parallel pass in the compiler, are
 * three here). The pipeline as a whole is timed on the real method, through its {@link
 * dev.conduit.compiler.PhaseHook} ({@link PhaseTimes}), so nothing here has to follow it.
 */
public final class Phases {

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

  /** emit: the bundle's bytes (what BundleFile.write writes), without the file write. */
  public byte[] emit(Bundle bundle) {
    return BundleCodec.write(bundle);
  }
}
