package dev.conduit.runtime.gitops;

import dev.conduit.bundle.Bundle;
import dev.conduit.bundle.BundleCodec;
import dev.conduit.bundle.BundleException;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.OrganizationBinding;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.diag.Severity;
import dev.conduit.compiler.library.PublicLibrary;
import dev.conduit.compiler.source.GitSource;
import dev.conduit.compiler.source.SourceException;
import dev.conduit.compiler.source.SourceTree;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;

/**
 * One commit of a source compiled in this process by the same compiler as {@code conduit compile}
 * (code blocks parsed by the real engines), into a bundle written and read back through the codec,
 * so what is served carries its content hash exactly as a bundle file would.
 */
final class CommitCompiler {

  /**
   * The outcome for one commit.
   *
   * @param bundle present when the commit compiled without error
   * @param diagnostics every problem the compiler reported (warnings too), or one made-up
   *     diagnostic when the commit could not be read at all
   */
  record Compiled(String commit, Optional<Bundle> bundle, List<Diagnostic> diagnostics) {
    long errors() {
      return diagnostics.stream().filter(Diagnostic::isError).count();
    }
  }

  private final Compiler compiler;

  /**
   * Where the compiler's parallel pass runs: its own threads rather than the JVM's common pool, so
   * that they are started by the compiling thread and share its lowered priority (GitOps' thread:
   * {@link BackgroundPriority}) without lowering anything else that uses the common pool. The
   * threads end after a minute without work.
   */
  private final ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());

  CommitCompiler(CodeSyntax codeSyntax, Optional<PublicLibrary> publicLibrary) {
    this.compiler = new Compiler(codeSyntax, publicLibrary);
  }

  /** Compiles on this compiler's own threads; the caller waits. */
  Compiled compile(GitMirror mirror, String commit) {
    return pool.submit(() -> compileHere(mirror, commit)).join();
  }

  private Compiled compileHere(GitMirror mirror, String commit) {
    GitSettings.Source source = mirror.source();
    String origin = source.url() + "@" + commit;
    try (GitSource whole = GitSource.open(mirror.repository(), origin, commit);
        SourceTree tree = source.path().isEmpty() ? whole : new Subfolder(whole, source.path())) {
      Compiler.Result result =
          compiler.compile(
              tree,
              source.organization().map(OrganizationBinding::to).orElse(OrganizationBinding.NONE));
      if (result.bundle().isEmpty()) {
        return new Compiled(commit, Optional.empty(), result.diagnostics());
      }
      byte[] bytes = BundleCodec.write(result.bundle().get());
      return new Compiled(
          commit,
          Optional.of(BundleCodec.read(new ByteArrayInputStream(bytes))),
          result.diagnostics());
    } catch (SourceException | BundleException e) {
      return new Compiled(
          commit,
          Optional.empty(),
          List.of(new Diagnostic(Code.C001, Severity.ERROR, "", 0, 0, null, e.getMessage(), null)));
    }
  }
}
