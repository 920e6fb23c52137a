package dev.conduit.runtime.console.changes;

import dev.conduit.runtime.gitops.GitRemote;
import dev.conduit.runtime.gitops.GitSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The console's change tests' one fixture: the example organization (connections-repo) committed on
 * main of a real bare repository ({@link GitRemote}), reached over file:// as the runtime reaches
 * any remote, and a clock fixed in one second (so two proposals in a row are made in the same
 * second).
 */
public final class ExampleRemote {

  public static final String ACME = "f0dc6a74-854a-46cb-ab8c-909b7846d34c";
  public static final Path EXAMPLE = Path.of("..", "connections-repo");
  public static final String GLOBEX = "dc6b3b43-bd3c-4214-a71f-aae77ae271f7";
  public static final Path GLOBEX_EXAMPLE = Path.of("..", "examples", "globex-repo");
  public static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-02T11:30:00Z"), ZoneOffset.UTC);

  /** Who commits in {@link #commitOnMain}: someone else's merge. */
  private static final PersonIdent ELSEWHERE = new PersonIdent("Elsewhere", "ci@acme.invalid");

  public final Path remote;
  public final GitSettings.Source source;

  private ExampleRemote(Path remote, String label) {
    this.remote = remote;
    this.source =
        new GitSettings.Source(
            label, remote.toUri(), "main", "", new GitSettings.Credentials.None());
  }

  /** A bare remote.git under {@code tmp} whose main holds the example organization. */
  public static ExampleRemote in(Path tmp) throws Exception {
    return in(tmp, EXAMPLE, "acme");
  }

  /**
   * A bare remote.git under {@code tmp} whose main holds this organization's folder (work/ beside
   * it: the working copy it was committed from, {@link GitRemote#holding}), followed as the source
   * {@code label}.
   */
  public static ExampleRemote in(Path tmp, Path organization, String label) throws Exception {
    return new ExampleRemote(
        GitRemote.holding(organization, tmp.resolve("remote.git"), tmp.resolve("work")), label);
  }

  /** The same with another organization's repository {@code tree} on main (a bench's large one). */
  public static ExampleRemote of(Path tree, Path tmp) throws Exception {
    return in(tmp, tree, "acme");
  }

  /**
   * Main moves on: the working copy's file at {@code path} gets these bytes, committed and pushed
   * to main (someone else's merge). Returns the new commit.
   */
  public String commitOnMain(String path, String text) throws Exception {
    try (GitRemote r = GitRemote.reopen(remote, remote.resolveSibling("work"))) {
      return r.push(ELSEWHERE, "elsewhere", work -> Files.writeString(work.resolve(path), text));
    }
  }

  /** A file on a branch (or any revision) of the remote; null when it is not there. */
  public String file(String revision, String path) throws Exception {
    try (Repository repo = Git.open(remote.toFile()).getRepository();
        TreeWalk walk =
            TreeWalk.forPath(repo, path, repo.parseCommit(repo.resolve(revision)).getTree())) {
      return walk == null
          ? null
          : new String(repo.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The remote's branches, as refs/heads/NAME. */
  public List<String> branches() throws Exception {
    try (Repository repo = Git.open(remote.toFile()).getRepository()) {
      return repo.getRefDatabase().getRefsByPrefix("refs/heads/").stream()
          .map(Ref::getName)
          .toList();
    }
  }
}
