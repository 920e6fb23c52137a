package dev.conduit.runtime.bench;

import dev.conduit.runtime.identity.IdentityStore;
import dev.conduit.runtime.identity.IdentityStore.Code;
import dev.conduit.runtime.identity.IdentityStore.Grant;
import dev.conduit.runtime.identity.IdentityStore.Issue;
import dev.conduit.runtime.identity.IdentityStore.Token;
import dev.conduit.runtime.store.JdbcIdentityStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * A code exchange's database work on a durable H2 file (WRITE_DELAY=0), the two ways in turns (A,
 * B, A, B, ...) so a burst of load on a shared machine hits both alike:
 *
 * <ul>
 *   <li>two: the code's use with its grant in one transaction, the two tokens in a second (before);
 *   <li>one: {@link IdentityStore#exchangeCode}, use and tokens in one transaction (now).
 * </ul>
 *
 * <p>T threads each store a fresh code and exchange it, as fast as they can; only the exchange is
 * timed (p50, p99), and the rate is exchanges per second of the round (the code's insert, the same
 * for both, included). Prints each round, the medians and the median of the per-pair ratios. Run:
 * bench/identity/exchange.sh (or java -cp ... ExchangeBench DIR [rounds] [seconds] [threads])
 */
public final class ExchangeBench {

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args[0]));
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 32;
    JdbcConnectionPool db = DurabilityBench.pool(dir.resolve("idp-" + UUID.randomUUID()), 0);
    JdbcIdentityStore store = new JdbcIdentityStore(db);
    System.out.printf(
        "%d rounds of %d s per way, %d threads, %d cores%n",
        rounds, seconds, threads, Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "%-6s %-4s %14s %10s %10s%n", "round", "way", "exchanges/s", "p50 us", "p99 us");
    List<DurabilityBench.Result[]> all = new ArrayList<>();
    for (int r = 0; r <= rounds; r++) { // round 0 warms up and is not counted
      DurabilityBench.Result two = run(store, false, threads, seconds);
      DurabilityBench.Result one = run(store, true, threads, seconds);
      print(r, "two", two);
      print(r, "one", one);
      if (r > 0) {
        all.add(new DurabilityBench.Result[] {two, one});
      }
    }
    for (int w = 0; w < 2; w++) {
      int k = w;
      System.out.printf(
          "median %-4s %10.0f/s p50 %8.0f us p99 %8.0f us%n",
          w == 0 ? "two" : "one",
          DurabilityBench.med(all.stream().mapToDouble(x -> x[k].perSecond()).toArray()),
          DurabilityBench.med(all.stream().mapToDouble(x -> x[k].p50Micros()).toArray()),
          DurabilityBench.med(all.stream().mapToDouble(x -> x[k].p99Micros()).toArray()));
    }
    System.out.printf(
        "median one/two: exchanges/s %.2f, p50 %.2f, p99 %.2f%n",
        DurabilityBench.med(
            all.stream().mapToDouble(x -> x[1].perSecond() / x[0].perSecond()).toArray()),
        DurabilityBench.med(
            all.stream().mapToDouble(x -> x[1].p50Micros() / x[0].p50Micros()).toArray()),
        DurabilityBench.med(
            all.stream().mapToDouble(x -> x[1].p99Micros() / x[0].p99Micros()).toArray()));
    db.dispose();
  }

  static DurabilityBench.Result run(
      JdbcIdentityStore store, boolean oneTransaction, int threads, int seconds)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch go = new CountDownLatch(1);
    long[][] latencies = new long[threads][];
    int[] counts = new int[threads];
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int me = t;
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    long[] mine = new long[1 << 18];
                    String grant = UUID.randomUUID().toString();
                    store.saveGrant(new Grant(grant, "APP", "org", "carol", Instant.now(), null));
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    int n = 0;
                    while (!stop.get() && n < mine.length) {
                      Instant now = Instant.now();
                      String code = UUID.randomUUID().toString();
                      store.saveCode(
                          new Code(code, grant, "http://cb", null, now.plusSeconds(60), false));
                      Token access =
                          new Token(
                              UUID.randomUUID().toString(),
                              Token.Kind.ACCESS,
                              grant,
                              now.plusSeconds(600),
                              null,
                              null);
                      Token refresh =
                          new Token(
                              UUID.randomUUID().toString(),
                              Token.Kind.REFRESH,
                              grant,
                              now.plusSeconds(3600),
                              null,
                              null);
                      long t0 = System.nanoTime();
                      if (oneTransaction) {
                        store
                            .exchangeCode(code, found -> Issue.tokens(access, refresh))
                            .orElseThrow();
                      } else {
                        store.useCodeOfGrant(code).orElseThrow();
                        store.saveTokens(access, refresh);
                      }
                      mine[n++] = System.nanoTime() - t0;
                    }
                    counts[me] = n;
                    latencies[me] = mine;
                  }));
    }
    long t0 = System.nanoTime();
    go.countDown();
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread w : workers) {
      w.join();
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    int total = Arrays.stream(counts).sum();
    long[] merged = new long[total];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(latencies[t], 0, merged, at, counts[t]);
      at += counts[t];
    }
    Arrays.sort(merged);
    return new DurabilityBench.Result(
        total / elapsed, merged[total / 2] / 1e3, merged[(int) (total * 0.99)] / 1e3);
  }

  private static void print(int round, String way, DurabilityBench.Result r) {
    System.out.printf(
        "%-6s %-4s %14.0f %10.0f %10.0f%n",
        round == 0 ? "warm" : round, way, r.perSecond(), r.p50Micros(), r.p99Micros());
  }
}
