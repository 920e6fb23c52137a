package dev.conduit.code.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An attacker's probe: what a worker writes is untrusted. The worker's second wall is not a
 * security boundary (docs/code-blocks.md), so a block that gets past it can write to the worker's
 * real standard output and error without end. The server reads both in its own heap, which every
 * organization's calls share: it must hold a bounded amount of it and kill such a worker. The
 * workers here are plain processes playing a worker whose block got past the second wall.
 */
class WorkerOutputTest {

  /** Twice what the server holds of a worker's output. */
  private static final long FLOOD = 2L * PythonWorker.MAX_OUTPUT_BYTES;

  private final List<PythonWorker> made = new ArrayList<>();

  private PythonWorker worker(String script) throws Exception {
    PythonWorker w = new PythonWorker(new ProcessBuilder("sh", "-c", script).start());
    made.add(w);
    return w;
  }

  @AfterEach
  void kill() {
    made.forEach(PythonWorker::kill);
  }

  @Test
  void anAnswerWithoutEndFailsTheCallAndKillsTheWorker() throws Exception {
    // takes the request, then answers with a line twice the limit, then stays
    PythonWorker w =
        worker(
            "read request; printf '>'; head -c "
                + FLOOD
                + " /dev/zero | tr '\\000' x; echo; sleep 60");
    PythonWorker.Gone gone =
        assertThrows(PythonWorker.Gone.class, () -> w.call("{\"id\": 1}", 60_000));
    assertEquals(PythonWorker.Gone.Why.ENDED_WHILE_RUNNING, gone.why);
    assertFalse(w.alive(), "the worker is killed, not waited for");
    assertTrue(w.stderrTail().contains("MB that the server had not read"), w.stderrTail());
  }

  @Test
  void linesWrittenWhileIdleAreNotHeldWithoutEnd() throws Exception {
    // an idle worker that writes short lines nobody reads (the server reads only during a call)
    PythonWorker w =
        worker("head -c " + FLOOD + " /dev/zero | tr '\\000' y | fold -w 1000; sleep 60");
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (w.alive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertFalse(w.alive(), "a worker flooding the server while idle is killed");
    assertThrows(PythonWorker.Gone.class, () -> w.call("{\"id\": 1}", 5_000));
  }

  @Test
  void anOrdinaryAnswerAndANoisyStderrStillWork() throws Exception {
    // terminal escapes and a line without end on stderr: cut and shown for the log; the answer
    // comes through
    PythonWorker w =
        worker(
            "read request; printf 'a\\033[2J\\rforged\\n' >&2; head -c "
                + FLOOD
                + " /dev/zero | tr '\\000' e >&2; echo >&2; printf '>{\"id\": 1, \"ok\": true}\\n';"
                + " sleep 60");
    assertEquals("{\"id\": 1, \"ok\": true}", w.call("{\"id\": 1}", 60_000));
    assertTrue(w.alive());
    // stderr has its own reader thread: the answer on stdout can come before it has read the
    // 64 MB line to its end, so wait (bounded) for the cut line to reach the tail
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!w.stderrTail().endsWith("eee...") && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(w.stderrTail().endsWith("eee..."), "the log keeps the start of the line");
    assertTrue(w.stderrTail().contains("a?[2J?forged"), "control characters never reach the log");
  }
}
