package dev.conduit.code.python;

import dev.conduit.code.Tenant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The workers not running a call, and the rule that keeps tenants apart: a worker is pinned to the
 * first tenant (organization + connection) it serves and serves no other for its whole life.
 * Nothing a block leaves in a worker (class attributes, library objects, caches, anything) can then
 * reach another tenant's call, whatever the channel: the boundary is the process, not a list of
 * things to reset.
 *
 * <ul>
 *   <li>A spare is a worker that has run nothing yet; it goes to whichever tenant needs one and is
 *       pinned to it.
 *   <li>A tenant with no idle worker of its own and no spare left may evict the least recently used
 *       idle worker of another tenant, while it holds fewer than its fair share (half the pool, at
 *       least one) and no spare is already starting: the evicted worker is killed, never handed
 *       over, and the pool starts a spare in its place. A tenant at its share waits for its own
 *       workers or a spare, so one busy connection cannot drain the others' warm workers, and a
 *       waiting call evicts one worker, not one per look.
 * </ul>
 *
 * Live workers (spares, pinned ones and those starting) never exceed the pool's size. While the
 * pool has room, up to two spares are kept ready, so a connection's first call rarely waits for a
 * worker to start; a worker is only started when {@link #reserveSpares} says so. Thread-safe;
 * waiting callers are woken when a worker comes back or a spare arrives.
 */
final class IdleWorkers {

  /** What {@link #take} found: a worker for the tenant, or another tenant's worker to kill. */
  record Pick(PythonWorker worker, PythonWorker evicted) {}

  private final Deque<PythonWorker> spares = new ArrayDeque<>();

  /** Idle pinned workers, least recently used first. */
  private final LinkedHashSet<PythonWorker> pinned = new LinkedHashSet<>();

  /** Live workers pinned to each tenant, idle or running a call. */
  private final Map<Tenant, Integer> held = new HashMap<>();

  /** Spares kept ready while the pool has room. */
  static final int SPARES = 2;

  private final int size;
  private final int fairShare;
  private int pinnedLive; // live workers pinned to a tenant, idle or running a call
  private int starting; // spares asked for and not yet added

  IdleWorkers(int size) {
    this.size = size;
    this.fairShare = Math.max(1, size / 2);
  }

  /**
   * How many spares the pool should start now (counted as starting from here on): enough for {@link
   * #SPARES} ready, within the pool's size. No eviction while one is starting.
   */
  synchronized int reserveSpares() {
    int want = Math.max(0, Math.min(SPARES, size - pinnedLive) - spares.size() - starting);
    starting += want;
    return want;
  }

  /**
   * A spare that was starting will not come (the pool is closing, or the start is retried later).
   */
  synchronized void spareNotComing() {
    starting = Math.max(0, starting - 1);
    notifyAll();
  }

  /** A fresh worker that has run nothing. */
  synchronized void addSpare(PythonWorker w) {
    starting = Math.max(0, starting - 1);
    spares.addLast(w);
    notifyAll();
  }

  /** A call's worker is idle again, still its tenant's. */
  synchronized void giveBack(PythonWorker w) {
    pinned.add(w);
    notifyAll();
  }

  /**
   * A worker taken from here is gone for good (dead, killed, recycled): its tenant holds one less.
   */
  synchronized void discarded(PythonWorker w) {
    release(w);
    notifyAll();
  }

  private void release(PythonWorker w) {
    Tenant t = w.tenant();
    if (t != null && held.containsKey(t)) {
      held.computeIfPresent(t, (k, n) -> n > 1 ? n - 1 : null);
      pinnedLive--;
    }
  }

  /**
   * A worker for the tenant, or another tenant's to evict (kill) for it; waits up to {@code millis}
   * when neither, and returns null if there is still neither.
   */
  synchronized Pick take(Tenant tenant, long millis) throws InterruptedException {
    Pick p = pick(tenant);
    if (p == null && millis > 0) {
      wait(millis);
      p = pick(tenant);
    }
    return p;
  }

  private Pick pick(Tenant tenant) {
    for (Iterator<PythonWorker> i = pinned.iterator(); i.hasNext(); ) {
      PythonWorker w = i.next();
      if (tenant.equals(w.tenant())) {
        i.remove();
        return new Pick(w, null);
      }
    }
    PythonWorker spare = spares.pollFirst();
    if (spare != null) {
      spare.pinTo(tenant);
      held.merge(tenant, 1, Integer::sum);
      pinnedLive++;
      return new Pick(spare, null);
    }
    if (starting == 0 && held.getOrDefault(tenant, 0) < fairShare) {
      Iterator<PythonWorker> i = pinned.iterator(); // another tenant's, least recently used
      if (i.hasNext()) {
        PythonWorker w = i.next();
        i.remove();
        release(w);
        return new Pick(null, w);
      }
    }
    return null;
  }

  /** How many tenants hold a worker now. */
  synchronized int tenants() {
    return held.size();
  }

  /** Every idle worker (pinned ones, least recently used first, then spares), for tests. */
  synchronized List<PythonWorker> all() {
    List<PythonWorker> all = new ArrayList<>(pinned);
    all.addAll(spares);
    return all;
  }

  /** Removes and returns every idle worker (the pool is closing). */
  synchronized List<PythonWorker> drain() {
    List<PythonWorker> all = all();
    pinned.clear();
    spares.clear();
    held.clear();
    pinnedLive = 0;
    return all;
  }
}
