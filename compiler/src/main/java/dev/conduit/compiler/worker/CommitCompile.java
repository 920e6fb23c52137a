package dev.conduit.compiler.worker;

import dev.conduit.bundle.BundleCodec;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.OrganizationBinding;
import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.diag.Severity;
import dev.conduit.compiler.source.GitSource;
import dev.conduit.compiler.source.SourceException;
import dev.conduit.compiler.source.SourceTree;
import dev.conduit.compiler.source.Subfolder;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;

/**
 * One commit of an organization's Git repository compiled into bundle bytes: what the runtime's
 * GitOps runs, in its own process ({@code conduit.git.compile-in=server}) or in a compile worker
 * ({@link CompileWorker}), so that both give the same bytes for the same commit.
 */
public final class CommitCompile {

  private CommitCompile() {}

  /**
   * What one commit gave.
   *
   * @param bundle the bundle as {@link BundleCodec} writes it; empty when the commit has errors or
   *     could not be read
   * @param diagnostics every problem (warnings too), or one C001 when the commit could not be read
   */
  public record Outcome(Optional<byte[]> bundle, List<Diagnostic> diagnostics) {}

  /**
   * @param origin where the commit comes from, for messages (the remote's address and commit)
   * @param path the folder inside the repository that holds organization.json ("" for the root)
   * @param organization the only organization id the commit may carry (C240), if bound
   */
  public static Outcome compile(
      Compiler compiler,
      Repository repository,
      String origin,
      String commit,
      String path,
      Optional<String> organization) {
    try (GitSource whole = GitSource.open(repository, origin, commit);
        SourceTree tree = path.isEmpty() ? whole : new Subfolder(whole, path)) {
      Compiler.Result result =
          compiler.compile(
              tree, organization.map(OrganizationBinding::to).orElse(OrganizationBinding.NONE));
      return new Outcome(
          result.bundle().map(BundleCodec::write), List.copyOf(result.diagnostics()));
    } catch (SourceException e) {
      return new Outcome(Optional.empty(), List.of(unreadable(e.getMessage())));
    }
  }

  /** The one diagnostic for a commit that could not be compiled at all. */
  public static Diagnostic unreadable(String message) {
    return new Diagnostic(Code.C001, Severity.ERROR, "", 0, 0, null, message, null);
  }
}
