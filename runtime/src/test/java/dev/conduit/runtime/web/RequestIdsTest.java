package dev.conduit.runtime.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Request ids come from one generator per thread: threads must still never repeat each other's ids
 * (a generator seeded alike on two threads would), and each id is a version 7 UUID carrying the
 * time it was made.
 */
class RequestIdsTest {

  @Test
  void idsFromManyThreadsAreDistinctTimeOrderedVersion7Uuids() throws Exception {
    int threads = 16;
    int perThread = 2_000;
    Set<String> seen = ConcurrentHashMap.newKeySet();
    long before = System.currentTimeMillis();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    seen.add(RequestIds.next());
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    long after = System.currentTimeMillis();
    assertEquals(threads * perThread, seen.size(), "an id was handed out twice");
    for (String id : seen) {
      UUID u = UUID.fromString(id);
      assertEquals(7, u.version(), id);
      assertEquals(2, u.variant(), id);
      long millis = u.getMostSignificantBits() >>> 16;
      assertTrue(millis >= before && millis <= after, id + " does not carry the time it was made");
    }
  }
}
