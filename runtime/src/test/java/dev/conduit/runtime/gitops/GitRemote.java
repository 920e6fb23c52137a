package dev.conduit.runtime.gitops;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A real Git remote for the GitOps tests: a bare repository on disk (reached as file://) and a work
 * tree that commits and pushes to it, as a team's merge would. Public for the integration tests.
 */
public final class GitRemote implements AutoCloseable {

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
    this.bare = bare;
    this.work = work;
    Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
    Files.createDirectories(work);
    this.git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call();
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

  /** Edits, commits everything and pushes main; returns the new commit's id. */
  public String push(String message, Edit edit) throws Exception {
    edit.apply(work);
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    PersonIdent who = new PersonIdent("Dana Dev", "dana@example.com");
    RevCommit c = git.commit().setMessage(message).setAuthor(who).setCommitter(who).call();
    git.push().setRemote(url()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main")).call();
    return c.getName();
  }

  @Override
  public void close() {
    git.close();
  }
}
