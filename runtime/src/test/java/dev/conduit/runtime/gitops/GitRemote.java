package dev.conduit.runtime.gitops;

import dev.conduit.runtime.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

/**
 * The tests' one real Git remote: a bare repository on disk (reached as file://, or served by
 * {@link GitHttpServer} or {@link GitSshServer}) and a work tree that commits and pushes to it, as
 * a team's merge would. GitOps' tests, the console's change tests ({@code ExampleRemote}), their
 * bench and the integration tests' server ({@code ItFixtures}) all build their remotes with it.
 */
public final class GitRemote implements AutoCloseable {

  /** Who commits an organization's repository in {@link #holding}: the example team's CI. */
  public static final PersonIdent TEAM_CI = new PersonIdent("Acme", "ci@acme.invalid");

  /** Who commits in {@link #push(String, Edit)}: a developer merging a change. */
  private static final PersonIdent DEVELOPER = new PersonIdent("Dana Dev", "dana@example.com");

  /** Changes the work tree before a commit. */
  @FunctionalInterface
  public interface Edit {
    void apply(Path workTree) throws Exception;
  }

  private final Path bare;
  private final Path work;
  private final Git git;

  /** A new bare repository at {@code bare}, with an empty work tree at {@code work}. */
  public GitRemote(Path bare, Path work) throws Exception {
    this(bare, work, init(bare, work));
  }

  private GitRemote(Path bare, Path work, Git git) {
    this.bare = bare;
    this.work = work;
    this.git = git;
  }

  private static Git init(Path bare, Path work) throws Exception {
    Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
    Files.createDirectories(work);
    return Git.init().setDirectory(work.toFile()).setInitialBranch("main").call();
  }

  /** The remote {@link #holding} made, with the work tree it left: to push more to it. */
  public static GitRemote reopen(Path bare, Path work) throws Exception {
    return new GitRemote(bare, work, Git.open(work.toFile()));
  }

  public String url() {
    return bare.toUri().toString();
  }

  public Path bare() {
    return bare;
  }

  public Path workTree() {
    return work;
  }

  /**
   * A bare repository at {@code bare} whose main holds a copy of {@code tree} in one commit ("Acme
   * integrations" by {@link #TEAM_CI}), as a team's remote holds its organization; {@code work} is
   * left as the work tree that made it.
   */
  public static Path holding(Path tree, Path bare, Path work) throws Exception {
    try (GitRemote remote = new GitRemote(bare, work)) {
      remote.push(TEAM_CI, "Acme integrations", w -> Fixtures.copy(tree, w));
    }
    return bare;
  }

  /** Edits, commits everything and pushes main; returns the new commit's id. */
  public String push(String message, Edit edit) throws Exception {
    return push(DEVELOPER, message, edit);
  }

  /** The same, committed by {@code who}. */
  public String push(PersonIdent who, String message, Edit edit) throws Exception {
    edit.apply(work);
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    RevCommit c = git.commit().setMessage(message).setAuthor(who).setCommitter(who).call();
    git.push().setRemote(url()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main")).call();
    return c.getName();
  }

  @Override
  public void close() {
    git.close();
  }
}
