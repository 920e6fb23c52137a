package dev.conduit.code.bench;

import dev.conduit.code.CodeSource;
import dev.conduit.code.Language;
import dev.conduit.code.Tenant;
import dev.conduit.code.languages.CodeRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What pinning Python workers to one organization + connection costs (issue 11): the memory a
 * worker holds, and a connection's first call when a spare worker is ready and when the pool is
 * full (another connection's idle worker is evicted and a new one started). The warm cost is
 * CodeBlocksBench's (it runs as one connection). Prints medians and every sample in ms.
 *
 * <p>Not a test. Run with bench/code-blocks/run.sh, or with the test class path: {@code java -cp
 * ... dev.conduit.code.bench.PythonTenantsBench [rounds] [pool size]}.
 */
public final class PythonTenantsBench {

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int size =
        args.length > 1 ? Integer.parseInt(args[1]) : CodeRunner.Config.defaults().pythonWorkers();
    CodeSource block =
        new CodeSource("bench/before.py", Language.PYTHON, CodeBlocksBench.PY_BEFORE);
    Map<String, Object> input =
        Map.of(
            "input",
            Map.of("phone", "+86 13800138000", "msg", "hello"),
            "connection",
            Map.of("secret", "s3cr3t"));
    Duration t = Duration.ofSeconds(60);
    try (CodeRunner runner = new CodeRunner(CodeRunner.Config.defaults().withPythonWorkers(size))) {
      // every worker started and warm: one connection per worker, each called a few times
      for (int i = 0; i < size; i++) {
        for (int k = 0; k < 20; k++) {
          runner.run(new Tenant("org-" + i, "warm"), block, input, t);
        }
      }
      long[] perWorker = memoryOfWorkers();
      System.out.printf(
          "pool of %d workers, all warm: per worker RSS %.0f MiB, PSS %.0f MiB (%d processes)%n",
          size, perWorker[0] / 1024.0 / size, perWorker[1] / 1024.0 / size, perWorker[2]);
      System.out.printf(
          "this JVM (the server's side, for scale): heap used %.0f MiB%n",
          (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0);

      // a new connection while the pool is full: the least recently used idle worker is
      // evicted and a spare started for it; its first call waits for that start
      List<Double> evicting = new ArrayList<>();
      List<Double> warm = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        Tenant fresh = new Tenant("org-cold", "conn-" + r);
        long start = System.nanoTime();
        runner.run(fresh, block, input, t);
        evicting.add((System.nanoTime() - start) / 1e6);
        start = System.nanoTime();
        runner.run(fresh, block, input, t);
        warm.add((System.nanoTime() - start) / 1e6);
      }
      // a new connection while a spare is ready: a pool with room for every round's connection;
      // it keeps two spares ready, and each round waits until the one its last call took is back
      List<Double> spare = new ArrayList<>();
      try (CodeRunner spares =
          new CodeRunner(CodeRunner.Config.defaults().withPythonWorkers(rounds + 2))) {
        for (int r = 0; r < rounds; r++) {
          while (spares.pythonWorkersStarted() < 2 + r) {
            Thread.sleep(100);
          }
          long start = System.nanoTime();
          spares.run(new Tenant("org-spare", "conn-" + r), block, input, t);
          spare.add((System.nanoTime() - start) / 1e6);
        }
      }
      System.out.printf(
          "first call of a new connection, a spare ready:       median %7.1f ms %s%n",
          median(spare), spare);
      System.out.printf(
          "first call of a new connection, pool full (evicts): median %7.1f ms %s%n",
          median(evicting), evicting);
      System.out.printf(
          "its second call (warm, own worker):                  median %7.1f ms %s%n",
          median(warm), warm);
      System.out.printf(
          "%d cores; load average %s; Python workers: %s%n",
          Runtime.getRuntime().availableProcessors(),
          Files.readString(Path.of("/proc/loadavg")).strip(),
          runner.pythonConfinementInEffect());
    }
  }

  /**
   * RSS and PSS (KiB) of every process below this JVM (the workers and their sandboxes), and their
   * count.
   */
  static long[] memoryOfWorkers() {
    long rss = 0;
    long pss = 0;
    long n = 0;
    for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/smaps_rollup"))) {
          if (line.startsWith("Rss:")) {
            rss += Long.parseLong(line.replaceAll("\\D", ""));
          } else if (line.startsWith("Pss:")) {
            pss += Long.parseLong(line.replaceAll("\\D", ""));
          }
        }
        n++;
      } catch (IOException | NumberFormatException e) {
        // gone meanwhile
      }
    }
    return new long[] {rss, pss, n};
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }
}
