package dev.conduit.runtime.console.changes;

import dev.conduit.bundle.Bundle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The base commit's side of a proposal's diff (the bundle as resolved), compiled once per commit: a
 * commit is immutable, so its bundle is too, and the proposals that start from the same commit of
 * the branch (every proposal until the branch moves on) compile only their new commit. When the
 * server serves that very commit of that organization's source, its bundle is taken as it is
 * (GitOps compiled it already).
 *
 * <p>Keyed by the organization, the remote URL and the commit: another organization's entry is
 * never read. At most {@code max} entries (the least recently used is dropped); two proposals
 * asking for the same commit at once wait for one compile.
 */
public final class BaseBundles {

  /** What the server serves: the bundle of this organization's source when it is at this commit. */
  @FunctionalInterface
  public interface Served {
    Optional<Bundle> at(String organizationId, String sourceLabel, String commit);

    Served NOTHING = (organization, label, commit) -> Optional.empty();
  }

  /** Compiles the base commit (the caller's compiler, the caller's copy of the repository). */
  @FunctionalInterface
  interface Compile {
    Optional<Bundle> resolved() throws ChangeBranches.Refused;
  }

  record Key(String organizationId, String url, String commit) {}

  private final int max;
  private final Served served;
  private final Map<Key, CompletableFuture<Optional<Bundle>>> bundles =
      new LinkedHashMap<>(16, 0.75f, true);

  /**
   * @param max how many base bundles are kept (0: none, each proposal compiles its base)
   * @param served the bundles the server serves (taken first)
   */
  public BaseBundles(int max, Served served) {
    this.max = max;
    this.served = served;
  }

  /** Four bases kept, the served ones taken first. */
  public static BaseBundles warm(Served served) {
    return new BaseBundles(4, served);
  }

  /** Nothing kept and nothing served taken: each proposal compiles its base (the bench's). */
  public static BaseBundles none() {
    return new BaseBundles(0, Served.NOTHING);
  }

  /** The base's bundle as resolved (empty when it does not resolve). */
  Optional<Bundle> of(String organizationId, String url, String label, String commit, Compile c)
      throws ChangeBranches.Refused {
    Optional<Bundle> serving = served.at(organizationId, label, commit);
    if (serving.isPresent()) {
      return serving;
    }
    if (max == 0) {
      return c.resolved();
    }
    Key key = new Key(organizationId, url, commit);
    CompletableFuture<Optional<Bundle>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<Bundle>> existing;
    synchronized (this) {
      existing = bundles.putIfAbsent(key, mine);
      while (bundles.size() > max) {
        bundles.remove(bundles.keySet().iterator().next());
      }
    }
    if (existing != null) {
      try {
        return existing.join();
      } catch (CompletionException e) {
        return c.resolved(); // the other proposal's compile failed: this one says why
      }
    }
    try {
      Optional<Bundle> bundle = c.resolved();
      mine.complete(bundle);
      return bundle;
    } catch (ChangeBranches.Refused | RuntimeException e) {
      synchronized (this) {
        bundles.remove(key, mine);
      }
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /** How many bases are kept now (tests). */
  synchronized int size() {
    return bundles.size();
  }
}
