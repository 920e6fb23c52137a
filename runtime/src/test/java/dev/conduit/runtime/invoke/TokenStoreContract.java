package dev.conduit.runtime.invoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.runtime.invoke.TokenStore.StoredToken;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The {@link TokenStore} contract as tests: extend this with a store under test (the shared
 * database's store can run the same cases). {@link #store} gets a clock it may use for lease
 * expiry; {@link #advance} moves that clock.
 */
public abstract class TokenStoreContract {

  protected final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-11-23T08:00:00Z"));

  /** A new, empty store whose lease expiry follows {@code clock}. */
  protected abstract TokenStore store(java.time.Clock clock) throws Exception;

  protected java.time.Clock clock() {
    return new java.time.Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public java.time.Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
  }

  protected void advance(Duration d) {
    now.set(now.get().plus(d));
  }

  @Test
  void getReturnsTheLastTokenPutForTheSameKeyOnly() throws Exception {
    TokenStore s = store(clock());
    assertEquals(Optional.empty(), s.get("org", "conn", ""));
    Instant exp = Instant.parse("2026-11-23T09:00:00Z");
    s.put("org", "conn", "", new StoredToken("t1", exp));
    s.put("org", "conn", "", new StoredToken("t2", exp.plusSeconds(60)));
    assertEquals(Optional.of(new StoredToken("t2", exp.plusSeconds(60))), s.get("org", "conn", ""));
    assertEquals(Optional.empty(), s.get("org", "conn", "alice"), "accounts are separate keys");
    assertEquals(Optional.empty(), s.get("org", "other", ""), "connections are separate keys");
    assertEquals(Optional.empty(), s.get("org2", "conn", ""), "organizations are separate keys");
    s.put("org", "conn", "alice", new StoredToken("ta", exp));
    assertEquals("t2", s.get("org", "conn", "").orElseThrow().value());
  }

  @Test
  void aLeaseHasOneHolderUntilReleasedOrExpired() throws Exception {
    TokenStore s = store(clock());
    assertTrue(s.tryLease("org", "conn", "", Duration.ofSeconds(15)));
    assertFalse(s.tryLease("org", "conn", "", Duration.ofSeconds(15)));
    assertTrue(
        s.tryLease("org", "conn", "alice", Duration.ofSeconds(15)),
        "another key has its own lease");
    s.releaseLease("org", "conn", "");
    assertTrue(s.tryLease("org", "conn", "", Duration.ofSeconds(15)));
    advance(Duration.ofSeconds(16));
    assertTrue(
        s.tryLease("org", "conn", "", Duration.ofSeconds(15)), "an expired lease frees itself");
    s.releaseLease("org", "never", ""); // releasing a free lease does nothing
  }

  @Test
  void concurrentCallersGetTheLeaseOnce() throws Exception {
    TokenStore s = store(clock());
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Callable<Boolean>> tries = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        tries.add(() -> s.tryLease("org", "conn", "", Duration.ofSeconds(15)));
      }
      int won = 0;
      for (Future<Boolean> f : pool.invokeAll(tries)) {
        won += f.get() ? 1 : 0;
      }
      assertEquals(1, won);
    }
  }
}
