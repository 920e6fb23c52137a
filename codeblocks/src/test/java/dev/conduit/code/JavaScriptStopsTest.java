package dev.conduit.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.code.languages.CodeRunner;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * An attacker's probe: JavaScript that blocks or backtracks rather than loops. A block runs on the
 * server's request thread, so one its deadline cannot stop holds that thread and its caller for
 * good. Worse, stopping it must not hold the one watchdog that stops every organization's calls.
 */
class JavaScriptStopsTest {

  private static final ExecutorService CALLERS = Executors.newCachedThreadPool();

  @AfterAll
  static void close() {
    CALLERS.shutdownNow();
  }

  private static Future<CodeFailure> call(CodeRunner runner, String file, String text) {
    return CALLERS.submit(
        () ->
            assertThrows(
                CodeFailure.class,
                () ->
                    runner.run(
                        new CodeSource("connections/x/code/" + file, Language.JAVASCRIPT, text),
                        Map.of("input", Map.of()),
                        Duration.ofMillis(800))));
  }

  /**
   * The attacker's match: the back-reference keeps GraalJS's regular expressions (TRegex) off their
   * automaton engines and on the backtracking one, and {@code (a+)+} has 2^63 ways to split 64
   * {@code a}s before the {@code c} fails the match. Unstopped (GraalJS 25.0.2, load 8-14) 18
   * {@code a}s took 1.1 s, 26 took 8.7 s, and 64 were still running when killed after 90 s: the
   * test measures the stop, not the machine.
   */
  private static final String BACKTRACKING =
      "function main(i) { return /^(a+)+\\1$/.test('a'.repeat(64) + 'c'); }";

  /** Makes the runner's first context, which is built before a call's deadline counts. */
  private static CodeRunner warm() throws Exception {
    CodeRunner runner = new CodeRunner(CodeRunner.Config.defaults());
    runner.run(
        new CodeSource("connections/x/code/noop.js", Language.JAVASCRIPT, "function main(i) {}"),
        Map.of("input", Map.of()),
        Duration.ofSeconds(60));
    return runner;
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * TRegex checks for an interrupt as it backtracks, in the interpreter (all that runs on a JDK
   * without the Graal compiler), and the watchdog's close(true) interrupts the call's thread.
   * Measured (2026-12-03, GraalJS 25.0.2, load 8-13): stopped 0.83-0.92 s after the call began, as
   * an endless loop was (0.88-1.30 s).
   */
  @Test
  void aBacktrackingRegularExpressionIsStoppedAtTheDeadline() throws Exception {
    // not closed when the stop fails: closing an engine waits for a call it cannot stop
    CodeRunner runner = warm();
    long start = System.nanoTime();
    CodeFailure e = call(runner, "redos.js", BACKTRACKING).get(60, TimeUnit.SECONDS);
    long took = millisSince(start);
    assertEquals(CodeFailure.Kind.TIMEOUT, e.kind(), e.getMessage());
    assertTrue(took < 10_000, "a match of minutes stopped near its 800 ms limit: " + took + " ms");
    runner.close();
  }

  /**
   * A call being stopped must not hold the one watchdog that stops every organization's calls: each
   * stop closes its context on a thread of its own (before, close(true) ran on the watchdog's
   * thread and waited there for the call to end).
   */
  @Test
  void anotherOrganizationsLoopIsStoppedWhileAMatchIsBeingStopped() throws Exception {
    CodeRunner runner = warm();
    Future<CodeFailure> match = call(runner, "redos.js", BACKTRACKING);
    Thread.sleep(900); // past the match's deadline: the watchdog is stopping it
    long start = System.nanoTime();
    CodeFailure loop =
        call(runner, "loop.js", "function main(i) { while (true) {} }").get(60, TimeUnit.SECONDS);
    long took = millisSince(start);
    assertEquals(CodeFailure.Kind.TIMEOUT, loop.kind(), loop.getMessage());
    assertTrue(
        took < 10_000, "another organization's loop stopped near its limit: " + took + " ms");
    assertEquals(CodeFailure.Kind.TIMEOUT, match.get(60, TimeUnit.SECONDS).kind());
    runner.close();
  }
}
