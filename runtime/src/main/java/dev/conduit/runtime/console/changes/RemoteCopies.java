package dev.conduit.runtime.console.changes;

import dev.conduit.runtime.gitops.GitSettings;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.util.FS;

/**
 * The organizations' repositories kept in memory between proposals, so that a proposal fetches only
 * what is new on the branch (a fetch into a warm copy sends the remote what it already has). Every
 * proposal still fetches: the branch's head is the remote's now (a stale page is detected as
 * before), and the source's credentials and host key are checked on every proposal.
 *
 * <p>An edit form reads the branch at its head from the same copy ({@link #atHead}): it fetches
 * only when the copy is not at the head the remote names now (a cheap ls-remote, which checks the
 * credentials and host key as a fetch does), so opening forms while nothing is merged fetches once.
 *
 * <p>A copy is keyed by the organization, the remote URL and the branch: another organization's
 * proposal or form never reads it, even for the same URL. Nothing is written to disk. Bounded: at
 * most {@code maxCopies} copies (the least recently used one is dropped), and a copy that has
 * gathered {@code maxPacks} packs (one per fetch that brought something and one per proposal's
 * commit) is replaced by a fresh fetch, so its memory stays near the repository's packed size.
 *
 * <p>Concurrent proposals: fetches into one copy take turns (its lock); reading objects and
 * inserting a proposal's commit need no lock (JGit's in-memory object database takes new packs
 * atomically). A dropped copy is closed when its last proposal is done with it (JGit's use count).
 */
public final class RemoteCopies {

  /** Whose copy: the organization the page is of and its remote branch. */
  record Key(String organizationId, String url, String ref) {}

  /** Fetches the source's branch into a repository (ChangeBranches: through RemoteAccess). */
  @FunctionalInterface
  interface Fetch {
    void into(Repository repo) throws GitAPIException, IOException, ChangeBranches.Refused;
  }

  /**
   * A repository holding the branch as fetched for this proposal; close it when done.
   *
   * @param head the branch's commit as this proposal's fetch found it (null: the remote has no such
   *     branch)
   */
  record Lease(Repository repo, ObjectId head, Runnable forget) implements AutoCloseable {
    /** The copy must not serve again (it turned out to hold another organization's repository). */
    void discard() {
      forget.run();
    }

    @Override
    public void close() {
      repo.close();
    }
  }

  private static final class Copy {
    final Repository repo = newRepository();
    final ReentrantLock fetching = new ReentrantLock();
  }

  private final int maxCopies;
  private final int maxPacks;
  private final Map<Key, Copy> copies = new LinkedHashMap<>(16, 0.75f, true);
  private final AtomicInteger fetches = new AtomicInteger();

  /**
   * @param maxCopies how many organizations' copies are kept (0: none, every proposal fetches the
   *     whole branch into a repository of its own, as before)
   * @param maxPacks how many packs a copy gathers before it is replaced by a fresh fetch
   */
  public RemoteCopies(int maxCopies, int maxPacks) {
    this.maxCopies = maxCopies;
    this.maxPacks = maxPacks;
  }

  /** The server's: a copy for each of up to 8 organizations, fetched afresh after 64 packs. */
  public static RemoteCopies warm() {
    return new RemoteCopies(8, 64);
  }

  /** No copies kept: each proposal fetches the whole branch (the bench's "before"). */
  public static RemoteCopies none() {
    return new RemoteCopies(0, 0);
  }

  /** The branch of {@code source} fetched now, in the organization's copy. */
  Lease fetch(String organizationId, GitSettings.Source source, Fetch fetch)
      throws GitAPIException, IOException, ChangeBranches.Refused {
    return lease(organizationId, source, null, fetch);
  }

  /**
   * The branch of {@code source} at {@code head} (the commit the remote names now) in the
   * organization's copy: fetched only when the copy holds the branch at another commit or not yet.
   */
  Lease atHead(String organizationId, GitSettings.Source source, ObjectId head, Fetch fetch)
      throws GitAPIException, IOException, ChangeBranches.Refused {
    return lease(organizationId, source, head, fetch);
  }

  /** How many fetches the kept copies made (tests: a form opened again fetches nothing). */
  int fetches() {
    return fetches.get();
  }

  /** {@code known} null: fetch whatever the copy holds. */
  private Lease lease(String organizationId, GitSettings.Source source, ObjectId known, Fetch fetch)
      throws GitAPIException, IOException, ChangeBranches.Refused {
    if (maxCopies == 0) {
      return fresh(source, fetch);
    }
    Key key = new Key(organizationId, source.url().toString(), source.ref());
    Copy copy = copyFor(key);
    copy.fetching.lock();
    try {
      ObjectId held = copy.repo.resolve(source.ref());
      if (known == null || !known.equals(held)) {
        fetches.incrementAndGet();
        fetch.into(copy.repo);
        held = copy.repo.resolve(source.ref());
      }
      return new Lease(copy.repo, held, () -> drop(key, copy));
    } catch (GitAPIException | IOException | ChangeBranches.Refused | RuntimeException e) {
      copy.repo.close(); // this proposal's use of it
      throw e;
    } finally {
      copy.fetching.unlock();
    }
  }

  /** A repository of its own, not kept (reading which organization a source holds, once). */
  static Lease fresh(GitSettings.Source source, Fetch fetch)
      throws GitAPIException, IOException, ChangeBranches.Refused {
    Repository repo = newRepository();
    try {
      fetch.into(repo);
      return new Lease(repo, repo.resolve(source.ref()), () -> {});
    } catch (GitAPIException | IOException | ChangeBranches.Refused | RuntimeException e) {
      repo.close();
      throw e;
    }
  }

  /** How many copies are kept now (tests). */
  synchronized int size() {
    return copies.size();
  }

  /** The key's copy, counted as used by the caller (close the lease to give it back). */
  private synchronized Copy copyFor(Key key) {
    Copy copy = copies.get(key);
    if (copy != null && packs(copy.repo) >= maxPacks) {
      drop(key, copy);
      copy = null;
    }
    if (copy == null) {
      copy = new Copy();
      copies.put(key, copy);
      while (copies.size() > maxCopies) {
        var eldest = copies.entrySet().iterator().next();
        drop(eldest.getKey(), eldest.getValue());
      }
    }
    copy.repo.incrementOpen();
    return copy;
  }

  /** Forgets the copy; the repository closes when the last proposal using it is done. */
  private synchronized void drop(Key key, Copy copy) {
    if (copies.remove(key, copy)) {
      copy.repo.close(); // the map's use
    }
  }

  private static int packs(Repository repo) {
    try {
      return ((InMemoryRepository) repo).getObjectDatabase().getPacks().length;
    } catch (IOException e) {
      return Integer.MAX_VALUE; // unreadable: fetch afresh
    }
  }

  private static Repository newRepository() {
    try {
      return new InMemoryRepository.Builder()
          .setRepositoryDescription(new DfsRepositoryDescription("console"))
          .setFS(FS.DETECTED) // the file:// transport still reads the file system
          .build();
    } catch (IOException e) {
      throw new IllegalStateException("an in-memory repository needs no I/O", e);
    }
  }
}
