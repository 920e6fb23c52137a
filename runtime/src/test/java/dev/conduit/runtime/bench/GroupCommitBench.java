package dev.conduit.runtime.bench;

import dev.conduit.runtime.logs.RequestLogStore;
import dev.conduit.runtime.logs.RequestLogWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * Who runs a request log's group commit, in one JVM on one durable H2 file (WRITE_DELAY=0), the two
 * ways in turns (A, B, A, B, ...) so a burst of load on a shared machine hits both alike:
 *
 * <ul>
 *   <li>writer: every commit on the writer thread, the caller parked until it is done (before);
 *   <li>callers: a caller commits the queued logs itself when no commit is running (now).
 * </ul>
 *
 * <p>For each number of calling threads: the rows committed per second and the time a caller waits
 * in {@code write}, p50 and p99, then the medians and the median of the per-pair ratios (callers /
 * writer). Run: bench/runtime/group-commit.sh (or java -cp ... GroupCommitBench DIR [rounds]
 * [seconds] [threads...])
 */
public final class GroupCommitBench {

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args[0]));
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int[] threads =
        args.length > 3
            ? Arrays.stream(args, 3, args.length).mapToInt(Integer::parseInt).toArray()
            : new int[] {1, 32};
    JdbcConnectionPool db = DurabilityBench.pool(dir.resolve("logs-" + UUID.randomUUID()), 0);
    System.out.printf(
        "%d rounds of %d s per thread count and way, %d cores%n",
        rounds, seconds, Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "%-6s %-8s %-8s %12s %10s %10s%n",
        "round", "threads", "commits", "logs/s", "p50 us", "p99 us");
    // per thread count: each counted round's {writer, callers} results
    List<List<DurabilityBench.Result[]>> all = new ArrayList<>();
    for (int t : threads) {
      all.add(new ArrayList<>());
    }
    try (RequestLogWriter writer = new RequestLogWriter(new RequestLogStore(db), 10_000, false);
        RequestLogWriter callers = new RequestLogWriter(new RequestLogStore(db), 10_000, true)) {
      for (int r = 0; r <= rounds; r++) { // round 0 warms up and is not counted
        for (int i = 0; i < threads.length; i++) {
          DurabilityBench.Result a = DurabilityBench.logs(writer, true, threads[i], seconds);
          DurabilityBench.Result b = DurabilityBench.logs(callers, true, threads[i], seconds);
          print(r, threads[i], "writer", a);
          print(r, threads[i], "callers", b);
          if (r > 0) {
            all.get(i).add(new DurabilityBench.Result[] {a, b});
          }
        }
      }
      System.out.printf(
          "late: writer %d, callers %d; commits led by callers: %d%n",
          writer.late(), callers.late(), callers.ledByCallers());
    }
    for (int i = 0; i < threads.length; i++) {
      List<DurabilityBench.Result[]> rows = all.get(i);
      for (int way = 0; way < 2; way++) {
        int w = way;
        System.out.printf(
            "median %2d threads %-8s %10.0f logs/s p50 %8.0f us p99 %8.0f us%n",
            threads[i],
            way == 0 ? "writer" : "callers",
            DurabilityBench.med(rows.stream().mapToDouble(x -> x[w].perSecond()).toArray()),
            DurabilityBench.med(rows.stream().mapToDouble(x -> x[w].p50Micros()).toArray()),
            DurabilityBench.med(rows.stream().mapToDouble(x -> x[w].p99Micros()).toArray()));
      }
      System.out.printf(
          "median callers/writer, %d threads: logs/s %.2f, p50 %.2f, p99 %.2f%n",
          threads[i],
          DurabilityBench.med(
              rows.stream().mapToDouble(x -> x[1].perSecond() / x[0].perSecond()).toArray()),
          DurabilityBench.med(
              rows.stream().mapToDouble(x -> x[1].p50Micros() / x[0].p50Micros()).toArray()),
          DurabilityBench.med(
              rows.stream().mapToDouble(x -> x[1].p99Micros() / x[0].p99Micros()).toArray()));
    }
    db.dispose();
  }

  private static void print(int round, int threads, String way, DurabilityBench.Result r) {
    System.out.printf(
        "%-6s %-8d %-8s %12.0f %10.0f %10.0f%n",
        round == 0 ? "warm" : round, threads, way, r.perSecond(), r.p50Micros(), r.p99Micros());
  }
}
