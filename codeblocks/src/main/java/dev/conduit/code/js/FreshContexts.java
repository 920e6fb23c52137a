package dev.conduit.code.js;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;

/**
 * Contexts made ready before a call needs them: built, with the prelude evaluated, on a background
 * thread. Each is handed out once and closed after its call, exactly like a context built on the
 * call's own thread, so isolation between calls is unchanged; what moves off the call path is the
 * ~0.5 ms it takes to build one (the CPU cost stays). When calls come faster than the background
 * thread refills, a call builds its own.
 */
final class FreshContexts implements AutoCloseable {

  /**
   * A context no call has used yet, and the prelude's entry points in it: {@code budget} takes the
   * call's {@link CallBudget} before the block is evaluated, {@code call} runs main(input).
   */
  record Ready(Context context, Value budget, Value call) {}

  private final Supplier<Ready> factory;
  private final BlockingQueue<Ready> ready;
  private final AtomicBoolean refilling = new AtomicBoolean();
  private final ExecutorService refill =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().daemon().name("conduit-js-contexts").factory());
  private volatile boolean closed;

  FreshContexts(int size, Supplier<Ready> factory) {
    this.factory = factory;
    this.ready = new ArrayBlockingQueue<>(Math.max(1, size));
  }

  /** A never-used context: one prepared in advance if there is one, else built now. */
  Ready take() {
    Ready r = ready.poll();
    if (r == null) {
      r =
          factory
              .get(); // before the refill starts: the first build parses the prelude once for all
    }
    topUp();
    return r;
  }

  private void topUp() {
    if (closed || !refilling.compareAndSet(false, true)) {
      return;
    }
    try {
      refill.execute(
          () -> {
            try {
              while (!closed && ready.remainingCapacity() > 0) {
                Ready r = factory.get();
                if (closed || !ready.offer(r)) {
                  r.context().close(true);
                }
              }
            } finally {
              refilling.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      refilling.set(false); // closing
    }
  }

  @Override
  public void close() {
    closed = true;
    refill.shutdownNow();
    for (Ready r; (r = ready.poll()) != null; ) {
      try {
        r.context().close(true);
      } catch (RuntimeException e) {
        // closing anyway
      }
    }
  }
}
