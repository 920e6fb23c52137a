package dev.conduit.runtime.bench;

import dev.conduit.runtime.identity.IdentityStore.Grant;
import dev.conduit.runtime.identity.IdentityStore.Token;
import dev.conduit.runtime.logs.RequestLog;
import dev.conduit.runtime.logs.RequestLogJournal;
import dev.conduit.runtime.logs.RequestLogStore;
import dev.conduit.runtime.logs.RequestLogWriter;
import dev.conduit.runtime.logs.SampleLogs;
import dev.conduit.runtime.store.Database;
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
 * What durable commits cost on the embedded H2 (issue 18), in one JVM, the two settings in turns
 * (A, B, A, B, ...) so a burst of load on a shared machine hits both alike: delayed - H2's default
 * WRITE_DELAY (500 ms) and request logs queued without waiting (the runtime before issue 18)
 * durable - WRITE_DELAY=0 and each caller waiting for its request log's commit; journaled (issue
 * 16, request logs only) - WRITE_DELAY=0 and each caller appending its log to the request-log
 * journal, the writer committing in lingering batches (the runtime now, with embedded H2). Two
 * workloads, each with T threads: refresh-token rotations (the identity provider's transaction:
 * mark the old token used, insert the new pair) and request logs (a caller hands a log to the
 * writer; durable waits for the group commit). Prints per round and the medians. Run:
 * bench/runtime/durability.sh (or java -cp ... DurabilityBench DIR [rounds] [seconds] [threads])
 */
public final class DurabilityBench {

  record Result(double perSecond, double p50Micros, double p99Micros) {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args[0]));
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 32;
    JdbcConnectionPool delayedDb = pool(dir.resolve("delayed-" + UUID.randomUUID()), 500);
    JdbcConnectionPool durableDb = pool(dir.resolve("durable-" + UUID.randomUUID()), 0);
    JdbcConnectionPool journaledDb = pool(dir.resolve("journaled-" + UUID.randomUUID()), 0);
    // per round: rotations/s, logs/s (durable / delayed), log p50 (journaled / durable)
    List<double[]> ratios = new ArrayList<>();
    List<Result[]> all = new ArrayList<>();
    System.out.printf(
        "%d rounds of %d s per workload and setting, %d threads, %d cores%n",
        rounds, seconds, threads, Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "%-6s %-9s %14s %10s %10s %14s %10s %10s%n",
        "round", "setting", "rotations/s", "p50 us", "p99 us", "logs/s", "p50 us", "p99 us");
    try (RequestLogWriter delayedLogs =
            new RequestLogWriter(new RequestLogStore(delayedDb), 10_000);
        RequestLogWriter durableLogs =
            new RequestLogWriter(new RequestLogStore(durableDb), 10_000);
        RequestLogWriter journaledLogs =
            new RequestLogWriter(
                new RequestLogStore(journaledDb),
                10_000,
                RequestLogJournal.open(dir.resolve("journal-" + UUID.randomUUID())))) {
      for (int r = 0; r <= rounds; r++) { // round 0 warms up and is not counted
        Result ra = rotations(new JdbcIdentityStore(delayedDb), threads, seconds);
        Result la = logs(delayedLogs, false, threads, seconds);
        Result rb = rotations(new JdbcIdentityStore(durableDb), threads, seconds);
        Result lb = logs(durableLogs, true, threads, seconds);
        Result lc = logs(journaledLogs, true, threads, seconds);
        print(r, "delayed", ra, la);
        print(r, "durable", rb, lb);
        print(r, "journaled", null, lc);
        if (r > 0) {
          ratios.add(
              new double[] {
                rb.perSecond() / ra.perSecond(),
                lb.perSecond() / la.perSecond(),
                lc.p50Micros() / lb.p50Micros()
              });
          all.add(new Result[] {ra, la, rb, lb, lc});
        }
      }
      System.out.printf(
          "logs refused while the queue was full: delayed %d, durable %d, journaled %d;"
              + " answered late: durable %d, journaled %d%n",
          delayedLogs.dropped(),
          durableLogs.dropped(),
          journaledLogs.dropped(),
          durableLogs.late(),
          journaledLogs.late());
    }
    System.out.printf(
        "median durable/delayed: rotations/s %.2f, logs/s %.2f; journaled/durable: log p50 %.2f%n",
        median(ratios, 0), median(ratios, 1), median(ratios, 2));
    String[] names = {
      "delayed rotation", "delayed log", "durable rotation", "durable log", "journaled log"
    };
    for (int i = 0; i < names.length; i++) {
      int k = i;
      System.out.printf(
          "median %-17s %10.0f/s p50 %8.0f us p99 %8.0f us%n",
          names[i],
          med(all.stream().mapToDouble(a -> a[k].perSecond()).toArray()),
          med(all.stream().mapToDouble(a -> a[k].p50Micros()).toArray()),
          med(all.stream().mapToDouble(a -> a[k].p99Micros()).toArray()));
    }
    delayedDb.dispose();
    durableDb.dispose();
    journaledDb.dispose();
  }

  static JdbcConnectionPool pool(Path file, int writeDelay) {
    JdbcConnectionPool pool =
        JdbcConnectionPool.create(
            "jdbc:h2:file:"
                + file.toAbsolutePath()
                + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY="
                + writeDelay,
            "conduit",
            "conduit");
    pool.setMaxConnections(40); // server.xml's maxPoolSize
    Database.migrate(pool);
    return pool;
  }

  /** Each thread rotates its own refresh token as fast as it can (what a refresh writes). */
  static Result rotations(JdbcIdentityStore store, int threads, int seconds)
      throws InterruptedException {
    return run(
        threads,
        seconds,
        () -> {
          Instant now = Instant.now();
          String grant = UUID.randomUUID().toString();
          store.saveGrant(new Grant(grant, "APP", "org", "carol", now, null));
          String[] current = {UUID.randomUUID().toString()};
          store.saveToken(
              new Token(current[0], Token.Kind.REFRESH, grant, now.plusSeconds(3600), null, null));
          return () -> {
            Instant at = Instant.now();
            String next = UUID.randomUUID().toString();
            if (!store.rotateRefreshToken(
                current[0],
                at,
                new Token(
                    UUID.randomUUID().toString(),
                    Token.Kind.ACCESS,
                    grant,
                    at.plusSeconds(600),
                    null,
                    null),
                new Token(next, Token.Kind.REFRESH, grant, at.plusSeconds(3600), null, null))) {
              throw new IllegalStateException("a rotation was refused");
            }
            current[0] = next;
          };
        });
  }

  /**
   * Each thread hands over request logs like calls do (a 1 KB response each); the rate is the rows
   * committed per second (without waiting, callers outrun the writer: a refused log makes its
   * caller pause 1 ms, and the rate is then the writer's capacity).
   */
  static Result logs(RequestLogWriter writer, boolean wait, int threads, int seconds)
      throws InterruptedException {
    String body = "{\"status\":200,\"body\":\"" + "x".repeat(1000) + "\"}";
    writer.flush(10_000);
    long before = writer.written();
    long t0 = System.nanoTime();
    Result calls =
        run(
            threads,
            seconds,
            () ->
                () -> {
                  RequestLog log =
                      SampleLogs.ok(
                          UUID.randomUUID().toString(),
                          "org",
                          System.currentTimeMillis(),
                          "{\"method\":\"GET\"}",
                          body);
                  if (wait) {
                    writer.write(log, 2000);
                  } else if (!writer.offer(log)) {
                    Thread.sleep(1);
                  }
                });
    double rows = (writer.written() - before) / ((System.nanoTime() - t0) / 1e9);
    return new Result(rows, calls.p50Micros(), calls.p99Micros());
  }

  interface Op {
    void run() throws Exception;
  }

  interface Setup {
    Op prepare() throws Exception;
  }

  static Result run(int threads, int seconds, Setup setup) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch ready = new CountDownLatch(threads);
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
                    long[] mine = new long[1 << 20];
                    try {
                      Op op = setup.prepare();
                      ready.countDown();
                      go.await();
                      int n = 0;
                      while (!stop.get() && n < mine.length) {
                        long t0 = System.nanoTime();
                        op.run();
                        mine[n++] = System.nanoTime() - t0;
                      }
                      counts[me] = n;
                      latencies[me] = mine;
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }));
    }
    ready.await();
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
    return new Result(total / elapsed, merged[total / 2] / 1e3, merged[(int) (total * 0.99)] / 1e3);
  }

  /** A round's row; a setting that has no rotation workload (journaled) shows dashes. */
  static void print(int round, String setting, Result rotation, Result log) {
    String rotations =
        rotation == null
            ? String.format("%14s %10s %10s", "-", "-", "-")
            : String.format(
                "%14.0f %10.0f %10.0f",
                rotation.perSecond(), rotation.p50Micros(), rotation.p99Micros());
    System.out.printf(
        "%-6s %-9s %s %14.0f %10.0f %10.0f%n",
        round == 0 ? "warm" : round,
        setting,
        rotations,
        log.perSecond(),
        log.p50Micros(),
        log.p99Micros());
  }

  static double median(List<double[]> rows, int column) {
    return med(rows.stream().mapToDouble(r -> r[column]).toArray());
  }

  static double med(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
