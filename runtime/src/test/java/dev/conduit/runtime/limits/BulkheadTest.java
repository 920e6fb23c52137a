package dev.conduit.runtime.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BulkheadTest {

  @Test
  void refusesTheCallOverTheLimitAndTakesItAgainOnceAPlaceIsFree() {
    Bulkhead b = new Bulkhead(2);
    Bulkhead.Permit one = b.enter("org/hanging");
    Bulkhead.Permit two = b.enter("org/hanging");
    assertNotNull(one);
    assertNotNull(two);
    assertNull(b.enter("org/hanging"), "a third call is refused at once");
    assertNotNull(b.enter("org/other"), "another key has its own places");
    one.close();
    one.close(); // closing twice gives back one place, not two
    assertEquals(1, b.inFlight("org/hanging"));
    assertNotNull(b.enter("org/hanging"));
    assertNull(b.enter("org/hanging"));
  }

  @Test
  void zeroMeansNoLimit() {
    Bulkhead b = Bulkhead.unlimited();
    for (int i = 0; i < 1000; i++) {
      assertNotNull(b.enter("k"));
    }
  }

  @Test
  void concurrentCallersNeverHoldMoreThanTheLimit() throws Exception {
    Bulkhead b = new Bulkhead(5);
    AtomicInteger held = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    for (int i = 0; i < 2000; i++) {
                      try (Bulkhead.Permit p = b.enter("k")) {
                        if (p == null) {
                          refused.incrementAndGet();
                          continue;
                        }
                        most.accumulateAndGet(held.incrementAndGet(), Math::max);
                        held.decrementAndGet();
                      }
                    }
                  }));
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(0, b.inFlight("k"), "every place given back");
    assertEquals(true, most.get() <= 5, "at most 5 at once, saw " + most.get());
  }
}
