package dev.conduit.runtime.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * GitOps' thread lowers its own priority, and what it starts (the compiler's code checks, the
 * parallel pass on CommitCompiler's pool) runs lowered too; the threads around it do not.
 */
class BackgroundPriorityTest {

  @Test
  void theThreadAndTheThreadsItStartsRunNicedOthersDoNot() throws Exception {
    assumeTrue(BackgroundPriority.currentNice().isPresent(), "not Linux: nothing to lower");
    int before = BackgroundPriority.currentNice().getAsInt();
    assumeTrue(before < BackgroundPriority.NICE, "already running niced");
    AtomicReference<String> problem = new AtomicReference<>();
    AtomicReference<OptionalInt> self = new AtomicReference<>();
    AtomicReference<OptionalInt> child = new AtomicReference<>();
    AtomicReference<OptionalInt> poolWorker = new AtomicReference<>();
    Thread t =
        Thread.ofPlatform()
            .start(
                () -> {
                  problem.set(BackgroundPriority.lowerCurrentThread());
                  self.set(BackgroundPriority.currentNice());
                  Thread c =
                      Thread.ofPlatform().start(() -> child.set(BackgroundPriority.currentNice()));
                  ForkJoinPool pool = new ForkJoinPool(2);
                  poolWorker.set(pool.submit(BackgroundPriority::currentNice).join());
                  pool.shutdown();
                  try {
                    c.join();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    t.join();
    assumeTrue(problem.get() == null || !problem.get().startsWith("cannot run"), problem.get());
    assertNull(problem.get());
    assertEquals(OptionalInt.of(BackgroundPriority.NICE), self.get());
    assertEquals(OptionalInt.of(BackgroundPriority.NICE), child.get(), "a thread it starts");
    assertEquals(OptionalInt.of(BackgroundPriority.NICE), poolWorker.get(), "its pool's workers");
    // the rest of the process keeps its priority: this thread, and a new thread of its own
    assertEquals(before, BackgroundPriority.currentNice().getAsInt());
    assertEquals(
        before,
        CompletableFuture.supplyAsync(
                BackgroundPriority::currentNice, r -> Thread.ofPlatform().start(r))
            .join()
            .getAsInt());
  }
}
