package dev.conduit.compiler;

import dev.conduit.bundle.Bundle;
import dev.conduit.compiler.check.Checks;
import dev.conduit.compiler.check.CodeChecksAhead;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.diag.Diagnostics;
import dev.conduit.compiler.library.PublicEntries;
import dev.conduit.compiler.library.PublicLibrary;
import dev.conduit.compiler.model.Located;
import dev.conduit.compiler.model.ModelBinder;
import dev.conduit.compiler.model.RepositoryModel;
import dev.conduit.compiler.parse.JsonFiles;
import dev.conduit.compiler.parse.ParsedFile;
import dev.conduit.compiler.resolve.Resolver;
import dev.conduit.compiler.schema.SchemaCheck;
import dev.conduit.compiler.source.ListedFile;
import dev.conduit.compiler.source.SourceFile;
import dev.conduit.compiler.source.SourceReader;
import dev.conduit.compiler.source.SourceTree;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The compiler: load -&gt; parse -&gt; validate -&gt; bind -&gt; resolve -&gt; check -&gt; emit,
 * readable in {@link #compile}. Every phase reports into one {@link Diagnostics} and carries on, so
 * one run reports every problem; the bundle is produced only when there is no error.
 */
public final class Compiler {

  private final CodeSyntax codeSyntax;
  private final SchemaCheck schemaCheck = new SchemaCheck();
  private final Optional<PublicLibrary> publicLibrary;

  /**
   * @param codeSyntax how code blocks are parsed (the real engines in the CLI)
   */
  public Compiler(CodeSyntax codeSyntax) {
    this(codeSyntax, PublicLibrary.configured());
  }

  /**
   * @param publicLibrary where public library installs are found (none: they are errors)
   */
  public Compiler(CodeSyntax codeSyntax, Optional<PublicLibrary> publicLibrary) {
    this.codeSyntax = codeSyntax;
    this.publicLibrary = publicLibrary;
  }

  /**
   * The outcome of one compilation.
   *
   * @param files the repository files the layout knows, with their text (for reports)
   * @param bundle present when there is no error; its source has the commit but no hash yet (the
   *     codec computes it when writing)
   * @param resolved what could be resolved even with errors (for {@code conduit diff})
   */
  public record Result(
      List<Diagnostic> diagnostics,
      Map<String, String> files,
      Optional<Bundle> bundle,
      Optional<Bundle> resolved) {
    public boolean hasErrors() {
      return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
  }

  public Result compile(SourceTree tree) {
    return compile(tree, PhaseHook.NONE, OrganizationBinding.NONE);
  }

  /** The same, for a source bound to one organization (C240 when the commit names another). */
  public Result compile(SourceTree tree, OrganizationBinding binding) {
    return compile(tree, PhaseHook.NONE, binding);
  }

  public Result compile(SourceTree tree, PhaseHook hook) {
    return compile(tree, hook, OrganizationBinding.NONE);
  }

  /**
   * The same, telling {@code hook} as each phase ends (the bench's phase times).
   *
   * @param hook called on this thread, between phases
   */
  public Result compile(SourceTree tree, PhaseHook hook, OrganizationBinding binding) {
    Diagnostics out = new Diagnostics();
    // 1. load, first half: each path classified once (its kind, by where it stands); the kinds
    //    go along with the paths from here on
    List<ListedFile> listed = SourceReader.list(tree, out);
    // the code engines start now, on threads of their own, and check the code files while the
    // JSON files are parsed and validated (check, step 5, then finds them done)
    try (CodeChecksAhead code = CodeChecksAhead.start(codeSyntax, SourceReader.codePaths(listed))) {
      hook.ended(PhaseHook.Phase.LIST);
      return compile(tree, listed, code, hook, binding, out);
    }
  }

  private Result compile(
      SourceTree tree,
      List<ListedFile> listed,
      CodeChecksAhead codeChecks,
      PhaseHook hook,
      OrganizationBinding binding,
      Diagnostics out) {
    // 1. load, second half: the listed files as text
    List<SourceFile> files = SourceReader.read(tree, listed, out);
    Map<String, String> code =
        files.stream()
            .filter(f -> !f.kind().isJson())
            .collect(
                Collectors.toMap(SourceFile::path, SourceFile::text, (a, b) -> a, TreeMap::new));
    codeChecks.submit(code);
    hook.ended(PhaseHook.Phase.LOAD);

    // 2. parse, 3. validate each JSON file against its kind's schema, and bind it to its record
    //    (files are independent: one parallel pass)
    Map<String, Boolean> broken = new ConcurrentHashMap<>();
    List<Located<?>> bound =
        files.parallelStream()
            .filter(f -> f.kind().isJson())
            .<Located<?>>map(
                f -> {
                  Optional<ParsedFile> parsed =
                      JsonFiles.parse(f.path(), f.kind(), f.text(), out::add);
                  boolean ok = parsed.isPresent() && schemaCheck.check(parsed.get(), out);
                  if (!ok) {
                    broken.put(f.path(), true);
                  }
                  return ok ? ModelBinder.record(parsed.get()) : null;
                })
            .filter(Objects::nonNull)
            .toList();
    // a JSON file that could not be read, parsed or validated is "broken": later phases stay
    // quiet about references to it instead of piling follow-on errors onto the real one
    Set<String> validPaths = bound.stream().map(b -> b.file().path()).collect(Collectors.toSet());
    listed.stream()
        .filter(f -> f.kind().isJson() && !validPaths.contains(f.path()))
        .forEach(f -> broken.put(f.path(), true));
    RepositoryModel model = ModelBinder.group(bound, code, tree.paths(), broken.keySet(), out);
    // the public library entries it installs, through the same parse and validate steps
    PublicEntries.attach(model, publicLibrary, schemaCheck, out);
    hook.ended(PhaseHook.Phase.PARSE_VALIDATE_BIND);

    // 4. resolve: the bundle model, installs expanded, defaults filled in
    Optional<Bundle> bundle = new Resolver(model, out).resolve();
    hook.ended(PhaseHook.Phase.RESOLVE);

    // 5. check: the rules beyond the schemas
    Checks.run(model, codeChecks, out);
    binding.check(model, out);
    hook.ended(PhaseHook.Phase.CHECK);

    // 6. emit happens in the caller (emit.BundleFile), only for an error-free result
    Map<String, String> texts =
        files.stream()
            .collect(
                Collectors.toMap(SourceFile::path, SourceFile::text, (a, b) -> a, TreeMap::new));
    String commit = tree.commit().orElse(null);
    Optional<Bundle> resolved = bundle.map(b -> b.withSource(new Bundle.Source(commit, null)));
    return new Result(out.sorted(), texts, out.hasErrors() ? Optional.empty() : resolved, resolved);
  }
}
