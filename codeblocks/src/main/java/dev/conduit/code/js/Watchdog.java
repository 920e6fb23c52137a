package dev.conduit.code.js;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;

/**
 * Stops JavaScript calls that run past their deadline or allocate past their cap, by closing their
 * context from another thread (GraalJS then unwinds the guest code, however it loops). Allocation
 * is what the call's thread allocated since it began (community GraalJS has no heap limit): a cap
 * on total allocation, so a garbage-heavy but harmless block counts too.
 */
final class Watchdog implements AutoCloseable {

  /** Why a watched call was stopped. */
  enum Reason {
    TIMEOUT,
    MEMORY
  }

  /** One call under watch. */
  static final class Watch {
    final Context context;
    final long threadId;
    final long deadlineNanos;
    final long allocationStart;
    final long maxAllocation;
    volatile Reason stopped;

    Watch(Context context, Thread thread, long deadlineNanos, long maxAllocation) {
      this.context = context;
      this.threadId = thread.threadId();
      this.deadlineNanos = deadlineNanos;
      this.allocationStart = allocated(threadId);
      this.maxAllocation = maxAllocation;
    }

    /** Bytes the call's thread allocated since the call began. */
    long allocatedSoFar() {
      return allocated(threadId) - allocationStart;
    }
  }

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("conduit-js-watchdog").factory());

  Watchdog() {
    timer.scheduleWithFixedDelay(this::check, 5, 5, TimeUnit.MILLISECONDS);
  }

  Watch watch(Context context, long timeoutMillis, long maxAllocation) {
    Watch w =
        new Watch(
            context,
            Thread.currentThread(),
            System.nanoTime() + timeoutMillis * 1_000_000,
            maxAllocation);
    watches.add(w);
    return w;
  }

  void release(Watch w) {
    watches.remove(w);
  }

  private void check() {
    long now = System.nanoTime();
    for (Watch w : watches) {
      Reason reason = null;
      if (now - w.deadlineNanos > 0) {
        reason = Reason.TIMEOUT;
      } else if (w.allocatedSoFar() > w.maxAllocation) {
        reason = Reason.MEMORY;
      }
      if (reason != null) {
        w.stopped = reason;
        watches.remove(w);
        // close(true) waits until the call's thread stops, and a thread slow to reach a point
        // where it can would hold this one thread, and with it the deadline and cap of every
        // other call of every organization (JavaScriptStopsTest): each stop gets a thread of its
        // own. Its interrupt also stops a backtracking regular expression, which checks for one
        Thread.ofPlatform()
            .daemon()
            .name("conduit-js-stop")
            .start(
                () -> {
                  try {
                    w.context.close(true);
                  } catch (RuntimeException e) {
                    // the call is ending anyway
                  }
                });
      }
    }
  }

  private static long allocated(long threadId) {
    return THREADS.isThreadAllocatedMemorySupported()
        ? THREADS.getThreadAllocatedBytes(threadId)
        : 0;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
