package dev.conduit.runtime.gitops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * This instance's bare copy of one source's branch: fetched from the remote with JGit, read without
 * a checkout. Each instance keeps its own (under {@code conduit.git.work-dir}); what is served
 * comes from the database's choice of commit, not from which instance fetched first.
 */
final class GitMirror implements AutoCloseable {

  /** A fetch that failed (unreachable remote, refused credentials, no such branch). */
  static final class FetchException extends Exception {
    FetchException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Who made a commit and when, for the deployment history. */
  record CommitInfo(String id, String author, Instant committedAt, String subject) {}

  private static final int TIMEOUT_SECONDS = 30;

  private final GitSettings.Source source;
  private final Repository repository;
  private final Path sshHome;

  GitMirror(GitSettings.Source source, Path dir) throws IOException {
    this.source = source;
    // inside the bare copy (git ignores it): the empty home JGit's ssh client gets instead of ~
    this.sshHome = dir.resolve("ssh-home");
    Files.createDirectories(dir);
    this.repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
    if (!Files.exists(dir.resolve("config"))) {
      repository.create(true);
    }
  }

  GitSettings.Source source() {
    return source;
  }

  Repository repository() {
    return repository;
  }

  /** The branch's newest commit on the remote, fetched into this copy. */
  String fetch() throws FetchException {
    if (!(source.credentials() instanceof GitSettings.Credentials.SshKey key)) {
      return fetch(null);
    }
    try (SshConnector ssh = new SshConnector(source, key, sshHome)) {
      try {
        return fetch(ssh);
      } catch (FetchException e) {
        // JGit says only "server key did not validate": the connector knows which and why
        if (ssh.hostKeyRefusal().isPresent()) {
          throw new FetchException(
              "cannot fetch branch "
                  + source.branch()
                  + " of "
                  + source.url()
                  + ": "
                  + ssh.hostKeyRefusal().get(),
              null);
        }
        throw e;
      }
    } catch (SshConnector.Refused | IOException e) {
      throw new FetchException(
          "cannot fetch branch " + source.branch() + " of " + source.url() + ": " + e.getMessage(),
          null);
    }
  }

  private String fetch(SshConnector ssh) throws FetchException {
    String tracking = "refs/remotes/origin/" + source.branch();
    try (Git git = Git.wrap(repository)) {
      FetchCommand fetch =
          git.fetch()
              .setRemote(source.url().toString())
              .setRefSpecs(new RefSpec("+" + source.ref() + ":" + tracking))
              .setTimeout(TIMEOUT_SECONDS);
      if (ssh != null) {
        ssh.configure(fetch);
      } else if (source.credentials() instanceof GitSettings.Credentials.Password p) {
        fetch.setCredentialsProvider(
            new UsernamePasswordCredentialsProvider(p.username(), p.password()));
      }
      fetch.call();
      Ref ref = repository.exactRef(tracking);
      if (ref == null || ref.getObjectId() == null) {
        throw new FetchException("the remote has no branch " + source.branch(), null);
      }
      return ref.getObjectId().getName();
    } catch (GitAPIException | IOException | RuntimeException e) {
      throw new FetchException(
          "cannot fetch branch " + source.branch() + " of " + source.url() + ": " + reason(e), e);
    }
  }

  /** The innermost message: JGit wraps the transport's reason in layers that repeat the URL. */
  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Whether this copy has the commit (another instance may have fetched a newer one first). */
  boolean has(String commit) {
    try {
      return repository.getObjectDatabase().has(ObjectId.fromString(commit));
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /** True when {@code older} is {@code newer} or one of its ancestors. */
  boolean isAncestor(String older, String newer) throws IOException {
    try (RevWalk walk = new RevWalk(repository)) {
      return walk.isMergedInto(
          walk.parseCommit(ObjectId.fromString(older)),
          walk.parseCommit(ObjectId.fromString(newer)));
    }
  }

  Optional<CommitInfo> info(String commit) {
    try (RevWalk walk = new RevWalk(repository)) {
      RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
      PersonIdent author = c.getAuthorIdent();
      return Optional.of(
          new CommitInfo(
              c.getName(),
              author.getName() + " <" + author.getEmailAddress() + ">",
              author.getWhenAsInstant(),
              c.getShortMessage()));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    repository.close();
  }
}
