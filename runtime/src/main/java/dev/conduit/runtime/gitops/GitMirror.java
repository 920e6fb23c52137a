package dev.conduit.runtime.gitops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

/**
 * This instance's bare copy of one source's branch: fetched from the remote with JGit (through
 * {@link RemoteAccess}), read without a checkout. Used by one thread at a time (the GitOps pass; a
 * fetch runs on a thread of its own, and JGit lets the pass read the copy meanwhile). Each instance
 * keeps its own (under {@code conduit.git.work-dir}); what is served comes from the database's
 * choice of commit, not from which instance fetched first.
 */
final class GitMirror implements AutoCloseable {

  /** A fetch that failed (unreachable remote, refused credentials, no such branch). */
  static class FetchException extends Exception {
    FetchException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Who made a commit and when, for the deployment history. */
  record CommitInfo(String id, String author, Instant committedAt, String subject) {}

  /**
   * A fetch still moving data after its timeout: not a failure, the caller moves on. Also a {@link
   * FetchException} so that callers that only care whether they have the commit treat it alike.
   */
  static final class StillFetching extends FetchException {
    StillFetching(String message) {
      super(message, null);
    }
  }

  /** Beyond the timeout: JGit's own timeout should have fired first for a silent remote. */
  private static final long GRACE_MS = 5_000;

  private static final String PREFIX_TIMEOUT = GitSettings.PREFIX + "fetch-timeout-seconds";

  private final GitSettings.Source source;
  private final Repository repository;
  private final Path sshHome;
  private FutureTask<String> running;

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

  /**
   * The branch's newest commit on the remote, fetched into this copy. JGit's timeout bounds every
   * silent phase (connect, ssh handshake, each read); the fetch runs on a thread of its own so that
   * a remote answering slowly but steadily (a large first fetch) cannot hold the caller either: it
   * waits {@code timeoutSeconds} plus a grace, then gets {@link StillFetching} and the fetch goes
   * on; a later call collects its result without waiting and never starts a second one beside it.
   */
  String fetch(int timeoutSeconds) throws FetchException {
    long waitMs;
    if (running == null) {
      FutureTask<String> task = new FutureTask<>(() -> fetchNow(timeoutSeconds));
      // a platform thread started here inherits the caller's nice value (BackgroundPriority)
      Thread.ofPlatform().daemon().name("conduit-git-fetch-" + source.label()).start(task);
      running = task;
      waitMs = timeoutSeconds * 1000L + GRACE_MS;
    } else {
      waitMs = 0;
    }
    try {
      String head = running.get(waitMs, TimeUnit.MILLISECONDS);
      running = null;
      return head;
    } catch (TimeoutException e) {
      throw new StillFetching(
          "the fetch of branch "
              + source.branch()
              + " of "
              + source.url()
              + " is still running (data keeps coming, slower than "
              + PREFIX_TIMEOUT
              + " allows to wait); the last good bundle serves meanwhile");
    } catch (ExecutionException e) {
      running = null;
      if (e.getCause() instanceof FetchException f) {
        throw f;
      }
      throw new FetchException(
          "cannot fetch branch " + source.branch() + " of " + source.url() + ": " + reason(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException("the fetch of branch " + source.branch() + " was interrupted", e);
    }
  }

  /** {@link #fetch(int)} with the default timeout (tools and tests). */
  String fetch() throws FetchException {
    return fetch(GitSettings.DEFAULT_FETCH_TIMEOUT_SECONDS);
  }

  /** True while a fetch started by an earlier call has not been collected. */
  boolean fetching() {
    return running != null;
  }

  private String fetchNow(int timeoutSeconds) throws FetchException {
    try (RemoteAccess access = new RemoteAccess(source, timeoutSeconds, sshHome)) {
      try {
        return fetch(access);
      } catch (FetchException e) {
        if (access.hostKeyRefusal().isPresent()) {
          throw new FetchException(
              "cannot fetch branch "
                  + source.branch()
                  + " of "
                  + source.url()
                  + ": "
                  + access.hostKeyRefusal().get(),
              null);
        }
        throw e;
      }
    } catch (RemoteAccess.Refused e) {
      throw new FetchException(
          "cannot fetch branch " + source.branch() + " of " + source.url() + ": " + e.getMessage(),
          null);
    }
  }

  private String fetch(RemoteAccess access) throws FetchException {
    String tracking = "refs/remotes/origin/" + source.branch();
    try (Git git = Git.wrap(repository)) {
      access
          .configure(
              git.fetch()
                  .setRemote(source.url().toString())
                  .setRefSpecs(new RefSpec("+" + source.ref() + ":" + tracking)))
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
    if (running != null) {
      running.cancel(true);
      running = null;
    }
    repository.close();
  }
}
