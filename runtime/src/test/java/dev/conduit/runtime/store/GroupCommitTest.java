package dev.conduit.runtime.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.runtime.identity.IdentityStore;
import dev.conduit.runtime.identity.IdentityStore.Token;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Code redeems sharing commits ({@link GroupCommit} under {@link JdbcIdentityStore}) on both
 * databases: every caller gets its own answer, a code is still first for exactly one caller even
 * when both uses share one transaction, and one caller's failure is not the others'.
 */
class GroupCommitTest {

  @TempDir static Path dir;

  static Stream<Arguments> databases() {
    return Stream.of(Arguments.of("h2"), Arguments.of("postgresql"));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void concurrentRedeemsOfDistinctCodesAllSucceedWithTheirTokens(String kind) throws Exception {
    DataSource ds = Databases.open(kind, dir);
    try (GroupCommit commits = new GroupCommit(ds, "test")) {
      JdbcIdentityStore store = new JdbcIdentityStore(ds, commits);
      Instant now = Instant.now();
      store.saveGrant(new IdentityStore.Grant("g", "APP", "org", "carol", now, null));
      int n = 48;
      for (int i = 0; i < n; i++) {
        store.saveCode(code("c" + i, now));
      }
      List<Boolean> first = atOnce(n, i -> redeem(store, "c" + i, "t" + i, now));
      assertEquals(n, first.stream().filter(b -> b).count(), "every fresh code is redeemed");
      for (int i = 0; i < n; i++) {
        assertTrue(store.token("t" + i + "-access").isPresent(), "access token of " + i);
        assertTrue(store.token("t" + i + "-refresh").isPresent(), "refresh token of " + i);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void twoRedeemsOfOneCodeInOneBatchIssueTokensOnce(String kind) throws Exception {
    DataSource ds = Databases.open(kind, dir);
    try (GroupCommit commits = new GroupCommit(ds, "test")) {
      JdbcIdentityStore store = new JdbcIdentityStore(ds, commits);
      Instant now = Instant.now();
      store.saveGrant(new IdentityStore.Grant("g", "APP", "org", "carol", now, null));
      store.saveCode(code("same", now));
      // the writer held by a first work, so both redeems queue and share the next transaction
      List<Boolean> first =
          whileWriterHeld(
              commits,
              2,
              () -> redeem(store, "same", "a", now),
              () -> redeem(store, "same", "b", now));
      assertEquals(1, first.stream().filter(b -> b).count(), "first for exactly one: " + first);
      assertEquals(2, tokensOf(ds, "g"), "one redeem's access and refresh token, no more");
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aFailingWorkFailsAloneAndTheOthersOfItsBatchCommit(String kind) throws Exception {
    DataSource ds = Databases.open(kind, dir);
    try (GroupCommit commits = new GroupCommit(ds, "test")) {
      JdbcIdentityStore store = new JdbcIdentityStore(ds, commits);
      Instant now = Instant.now();
      store.saveGrant(new IdentityStore.Grant("g", "APP", "org", "carol", now, null));
      store.saveCode(code("one", now));
      store.saveCode(code("two", now));
      store.saveToken(
          new Token("taken-access", Token.Kind.ACCESS, "g", now.plusSeconds(60), null, null));
      // "two" issues a token whose hash exists: its insert fails, and with it the shared batch
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = pool.submit(() -> hold(commits, held, release));
        assertTrue(held.await(30, TimeUnit.SECONDS));
        Future<Boolean> good = pool.submit(() -> redeem(store, "one", "ok", now));
        Future<Boolean> bad = pool.submit(() -> redeem(store, "two", "taken", now));
        awaitQueued(commits, 2);
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        assertTrue(good.get(30, TimeUnit.SECONDS), "the other redeem of the batch succeeds");
        ExecutionException e =
            org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> bad.get(30, TimeUnit.SECONDS));
        assertInstanceOf(Jdbc.StoreException.class, e.getCause());
      } finally {
        pool.shutdownNow();
      }
      assertTrue(store.token("ok-access").isPresent(), "committed despite its batch's failure");
      assertTrue(store.useCode("one").orElseThrow().used(), "the good code stays used");
      assertTrue(
          !store.useCode("two").orElseThrow().used(),
          "the failed redeem left its code unused (its transaction was rolled back)");
    }
  }

  /** Redeems a code issuing {@code prefix}-access and -refresh; true when it was first. */
  static boolean redeem(JdbcIdentityStore store, String code, String prefix, Instant now) {
    return store
        .redeemCode(
            code,
            found ->
                found.value().used()
                    ? List.of()
                    : List.of(
                        new Token(
                            prefix + "-access",
                            Token.Kind.ACCESS,
                            found.grant().id(),
                            now.plusSeconds(60),
                            null,
                            null),
                        new Token(
                            prefix + "-refresh",
                            Token.Kind.REFRESH,
                            found.grant().id(),
                            now.plusSeconds(60),
                            null,
                            null)))
        .map(found -> !found.value().used())
        .orElseThrow();
  }

  static IdentityStore.Code code(String hash, Instant now) {
    return new IdentityStore.Code(hash, "g", "http://cb", null, now.plusSeconds(600), false);
  }

  static int tokensOf(DataSource ds, String grant) throws Exception {
    try (Connection c = ds.getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT COUNT(*) FROM idp_token WHERE grant_id = '" + grant + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Holds the writer inside a work until {@code release}: what queues meanwhile shares a batch. */
  static Void hold(GroupCommit commits, CountDownLatch held, CountDownLatch release) {
    return commits.run(
        "hold",
        c -> {
          held.countDown();
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        });
  }

  /** Runs the calls while the writer is held, all queued before it is released; their answers. */
  @SafeVarargs
  static <T> List<T> whileWriterHeld(
      GroupCommit commits, int queued, java.util.concurrent.Callable<T>... calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.length + 1);
    try {
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<?> holder = pool.submit(() -> hold(commits, held, release));
      assertTrue(held.await(30, TimeUnit.SECONDS));
      List<Future<T>> answers = new ArrayList<>();
      for (var call : calls) {
        answers.add(pool.submit(call));
      }
      awaitQueued(commits, queued);
      release.countDown();
      holder.get(30, TimeUnit.SECONDS);
      List<T> out = new ArrayList<>();
      for (Future<T> f : answers) {
        out.add(f.get(30, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  static void awaitQueued(GroupCommit commits, int n) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (commits.queued() < n && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertEquals(n, commits.queued(), "works queued behind the held one");
  }

  /** Runs n calls at once (one thread each), the i-th from {@code call}; their answers in order. */
  static <T> List<T> atOnce(int n, java.util.function.IntFunction<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int me = i;
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return call.apply(me);
                }));
      }
      go.countDown();
      List<T> out = new ArrayList<>();
      for (Future<T> f : answers) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
