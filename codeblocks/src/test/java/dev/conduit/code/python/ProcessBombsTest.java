package dev.conduit.code.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.conduit.code.CodeFailure;
import dev.conduit.code.CodeSource;
import dev.conduit.code.Language;
import dev.conduit.code.Tenant;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An attacker's probe: a block that got past the worker's second wall (played by a request loop
 * that runs blocks with all of Jython: threads, processes, Java) starts processes and threads. Real
 * workers, under the workers' real confinement. What it starts is bounded per worker, fails its own
 * call, dies with its worker, and another organization's block runs meanwhile.
 */
class ProcessBombsTest {

  /** Runs each block's main(input) with every builtin and import: no second wall. */
  static final String UNWALLED_WORKER =
      """
      import sys, json
      out = sys.stdout
      out.write('{"ready": true}\\n'); out.flush()
      blocks = {}
      while True:
          line = sys.stdin.readline()
          if not line:
              break
          out.write('>'); out.flush()
          req = json.loads(line)
          try:
              if 'source' in req:
                  g = {}
                  exec req['source'] in g
                  blocks[req['key']] = g['main']
              res = {'ok': True, 'result': blocks[req['key']](req['input'])}
          except BaseException, e:
              res = {'ok': False, 'kind': 'ERROR', 'line': 0, 'message': str(e)}
          res['id'] = req['id']; res['compiled'] = 'source' in req
          out.write(json.dumps(res) + '\\n'); out.flush()
      """;

  static final Tenant ATTACKER = new Tenant("attacker", "c");
  static final Tenant OTHER = new Tenant("other", "c");
  static final String PLAIN = "def main(i):\n    return 7\n";

  static PythonWorkers pool(boolean bubblewrap) throws Exception {
    return pool(Sandbox.detect(bubblewrap));
  }

  static PythonWorkers pool(Sandbox sandbox) throws Exception {
    return new PythonWorkers(
        PythonWorkers.jythonJarOnClassPath(),
        Path.of(System.getProperty("java.home"), "bin", "java"),
        2,
        512L * 1024 * 1024,
        sandbox,
        UNWALLED_WORKER);
  }

  static CodeSource py(String file, String text) {
    return new CodeSource("connections/c/code/" + file, Language.PYTHON, text);
  }

  /** A block that runs a shell command and waits for it (the shell may leave processes behind). */
  static String shell(String command) {
    return String.join(
        "\n",
        "from java.lang import ProcessBuilder",
        "def main(i):",
        "    p = ProcessBuilder(['/bin/sh', '-c', '" + command + "']).start()",
        "    return p.waitFor()",
        "");
  }

  /** The processes of this machine running {@code sleep <marker>}, wherever they hang now. */
  static List<ProcessHandle> sleeping(String marker) {
    return ProcessHandle.allProcesses()
        .filter(
            h ->
                h.info().command().orElse("").endsWith("/sleep")
                    && List.of(h.info().arguments().orElse(new String[0])).equals(List.of(marker)))
        .toList();
  }

  /** Waits for each such process to end (a kill is asynchronous); fails if one does not. */
  static void noneSurvives(String marker) throws Exception {
    for (ProcessHandle h : sleeping(marker)) {
      h.onExit().get(60, TimeUnit.SECONDS);
    }
    assertEquals(List.of(), sleeping(marker), "processes of the bomb that survived its call");
  }

  /** The attack fails its call while another organization's block succeeds on the same pool. */
  static CodeFailure attackFailsWhileAnotherOrganizationRuns(
      PythonWorkers pool, String block, long timeoutMillis) throws Exception {
    CompletableFuture<Object> attack =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return pool.run(ATTACKER, py("bomb.py", block), "{}", timeoutMillis);
              } catch (CodeFailure e) {
                return e;
              }
            });
    assertEquals(7L, pool.run(OTHER, py("plain.py", PLAIN), "{}", 60_000));
    Object outcome;
    try {
      outcome = attack.get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause());
    }
    assertTrue(outcome instanceof CodeFailure, "the bomb's call returned " + outcome);
    // the pool recovers: the attacker's next call gets a fresh worker, the other's still works
    assertEquals(7L, pool.run(ATTACKER, py("plain.py", PLAIN), "{}", 60_000));
    assertEquals(7L, pool.run(OTHER, py("plain.py", PLAIN), "{}", 60_000));
    return (CodeFailure) outcome;
  }

  static int leftCount(CodeFailure e) {
    var m =
        java.util.regex.Pattern.compile("stopped: the block left (\\d+) processes or threads")
            .matcher(e.getMessage());
    assertTrue(m.find(), e.getMessage());
    return Integer.parseInt(m.group(1));
  }

  @Test
  void aForkBombIsCappedFailsItsCallAndNoneOfItsProcessesOutlivesIt() throws Exception {
    try (PythonWorkers pool = pool(true)) {
      assumeTrue(pool.sandbox().taskGroups(), "no pids cgroup here: " + pool.sandbox().missing());
      // 1000 processes at once, each waiting 6001 s: far beyond a worker's cap
      CodeFailure e =
          attackFailsWhileAnotherOrganizationRuns(
              pool, shell("i=0; while [ $i -lt 1000 ]; do sleep 6001 & i=$((i+1)); done"), 60_000);
      assertTrue(leftCount(e) < TaskGroups.MAX_TASKS, e.getMessage());
      noneSurvives("6001");
    }
  }

  @Test
  void aThreadBombIsCappedFailsItsCallAndItsThreadsDieWithTheWorker() throws Exception {
    try (PythonWorkers pool = pool(true)) {
      assumeTrue(pool.sandbox().taskGroups(), "no pids cgroup here: " + pool.sandbox().missing());
      // 40 threads: more than a worker's cap leaves room for, fewer than its address space
      String bomb =
          String.join(
              "\n",
              "from java.lang import Thread, Runnable",
              "import time",
              "class Sleep(Runnable):",
              "    def run(self):",
              "        time.sleep(6002)",
              "def main(i):",
              "    n = 0",
              "    try:",
              "        while n < 40:",
              "            t = Thread(Sleep())",
              "            t.setDaemon(True)",
              "            t.start()",
              "            n += 1",
              "    except BaseException:",
              "        pass",
              "    return n",
              "");
      CodeFailure e = attackFailsWhileAnotherOrganizationRuns(pool, bomb, 60_000);
      // the JVM may itself die of the cap (it could not start a thread it needed): that, too,
      // ends the call with a clear error, and the threads with their process
      if (!e.getMessage().contains("worker process ended while running it")) {
        assertTrue(leftCount(e) < 40, e.getMessage());
      }
    }
  }

  @Test
  void aProcessThatLeavesTheWorkersTreeDiesWhenTheCallTimesOutEvenWithoutBubblewrap()
      throws Exception {
    // without bubblewrap there is no PID namespace to end: only the cgroup finds a process whose
    // parent exited (it is adopted by the machine's init, no longer the worker's descendant)
    try (PythonWorkers pool = pool(false)) {
      assumeTrue(pool.sandbox().taskGroups(), "no pids cgroup here: " + pool.sandbox().missing());
      CodeFailure e =
          attackFailsWhileAnotherOrganizationRuns(
              pool, shell("(sleep 6003 &); (sleep 6003 &); sleep 6004"), 3000);
      assertEquals(CodeFailure.Kind.TIMEOUT, e.kind(), e.getMessage());
      noneSurvives("6003");
      noneSurvives("6004");
    }
  }

  @Test
  void withoutACgroupWhatACallLeavesRunningIsFoundInTheWorkersTreeAndKilled() throws Exception {
    Sandbox sandbox = Sandbox.detect(true);
    assumeTrue(sandbox.bubblewrap(), "bubblewrap is not usable here: " + sandbox.missing());
    try (PythonWorkers pool = pool(sandbox.withoutTaskGroups())) {
      assertTrue(pool.sandbox().missing().contains("no pids cgroup per worker (turned off)"));
      // a process that detaches itself stays in bubblewrap's PID namespace, under its init
      CodeFailure e =
          attackFailsWhileAnotherOrganizationRuns(
              pool, shell("(sleep 6005 &); sleep 6005 & echo"), 60_000);
      assertTrue(leftCount(e) >= 2, e.getMessage()); // and the JVM's reaper thread, if it made one
      noneSurvives("6005");
    }
  }

  @Test
  void theSandboxNamesTheCapOrItsAbsence() throws Exception {
    Sandbox s = Sandbox.detect(true);
    if (s.taskGroups()) {
      assertTrue(s.description().contains("a pids cgroup per worker"), s.description());
    } else {
      assertTrue(s.missing().contains("no pids cgroup per worker"), s.missing());
    }
  }
}
