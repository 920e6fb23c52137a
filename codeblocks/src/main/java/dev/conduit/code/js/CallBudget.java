package dev.conduit.code.js;

import org.graalvm.polyglot.HostAccess;

/**
 * What a call may still allocate, asked by the prelude before one operation that would allocate a
 * lot at once (a huge buffer, typed array, filled array or string). The {@link Watchdog} only sees
 * an allocation after it happened; one such operation could take gigabytes before that, and a few
 * calls at once could fill the heap under every other call. Only the prelude holds this object:
 * blocks never see it.
 */
public final class CallBudget {

  private final Watchdog.Watch watch;

  CallBudget(Watchdog.Watch watch) {
    this.watch = watch;
  }

  /** Bytes the call may still allocate before its watchdog stops it (negative when past it). */
  @HostAccess.Export
  public double remaining() {
    return watch.maxAllocation - watch.allocatedSoFar();
  }
}
