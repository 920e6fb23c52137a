package dev.conduit.runtime.gitops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
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

  /**
   * Why an ssh:// source cannot be fetched. JGit's SSH transport is a module of its own
   * (org.eclipse.jgit.ssh.apache or .ssh.jsch) that the Maven repository this project builds from
   * does not offer at the project's JGit version; without it JGit fails deep inside with a message
   * about a missing SshSessionFactory, so the reason is said here, before anything is tried.
   */
  static final String NO_SSH =
      "ssh:// remotes need JGit's SSH transport, which this build does not include: use an"
          + " https:// address with a token in conduit.git.NAME.password (docs/gitops.md, Limits)";

  private final GitSettings.Source source;
  private final Repository repository;

  GitMirror(GitSettings.Source source, Path dir) throws IOException {
    this.source = source;
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
    if ("ssh".equals(source.url().getScheme())) {
      throw new FetchException("cannot fetch " + source.url() + ": " + NO_SSH, null);
    }
    String tracking = "refs/remotes/origin/" + source.branch();
    try (Git git = Git.wrap(repository)) {
      git.fetch()
          .setRemote(source.url().toString())
          .setRefSpecs(new RefSpec("+" + source.ref() + ":" + tracking))
          .setCredentialsProvider(credentials())
          .setTimeout(TIMEOUT_SECONDS)
          .call();
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

  private CredentialsProvider credentials() {
    return switch (source.credentials()) {
      case GitSettings.Credentials.Password p ->
          new UsernamePasswordCredentialsProvider(p.username(), p.password());
      // never reached: fetch refuses ssh:// first (NO_SSH)
      case GitSettings.Credentials.SshKey k -> null;
      case GitSettings.Credentials.None n -> null;
    };
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
