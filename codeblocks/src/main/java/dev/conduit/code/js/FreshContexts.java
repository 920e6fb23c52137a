package dev.conduit.code.js;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
            } catch (RuntimeException e) {
              // the engine closed under a context being built: nothing to report. Otherwise the
              // next take() builds its own context and its caller meets the same error
              if (!closed) {
                throw e;
              }
            } finally {
              refilling.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      refilling.set(false); // closing
    }
  }

  /**
   * Stops the refill and waits (briefly) for a context being built to be done. The engine must not
   * close under a context that is still being initialized: GraalVM's close then waits for that
   * context's thread while the thread waits for the engine's lock, and neither returns (seen in
   * JavaScriptEngineTest, 2026-12-03).
   */
  @Override
  public void close() {
    closed = true;
    refill.shutdown();
    try {
      if (!refill.awaitTermination(10, TimeUnit.SECONDS)) {
        refill.shutdownNow();
      }
    } catch (InterruptedException e) {
      refill.shutdownNow();
      Thread.currentThread().interrupt();
    }
    for (Ready r; (r = ready.poll()) != null; ) {
      try {
        r.context().close(true);
      } catch (RuntimeException e) {
        // closing anyway
      }
    }
  }
}
