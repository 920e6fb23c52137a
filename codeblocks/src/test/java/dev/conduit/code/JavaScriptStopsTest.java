package dev.conduit.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.Disabled;
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
   * Open: a backtracking match cannot be stopped (GraalJS reaches no point where it can be), and
   * while it runs other calls are stopped late or time out. Measured (2026-12-03, load about 30):
   * with the watchdog closing contexts on its own thread, as before, another block's endless loop
   * was not stopped within 20 s; with each stop on a thread of its own, it was stopped after 17.3 s
   * instead of near its 800 ms, and an unrelated 2 s block of another test timed out.
   */
  @Test
  @Disabled("open finding: one unstoppable block delays every other call's stop")
  void aBlockTheWatchdogCannotStopDoesNotTakeOtherCallsDeadlines() throws Exception {
    // not closed: closing an engine waits for a call that cannot be stopped (the JVM ends it)
    CodeRunner runner = new CodeRunner(CodeRunner.Config.defaults());
    // a backtracking match that runs for a long while without a point where it can be stopped
    Future<CodeFailure> stuck =
        call(
            runner,
            "redos.js",
            "function main(i) { return /^(a|a)*(?=b)\\1$/.test('a'.repeat(29) + 'c'); }");
    Thread.sleep(1500); // past its deadline: the watchdog has tried to stop it
    long start = System.nanoTime();
    CodeFailure loop =
        call(runner, "loop.js", "function main(i) { while (true) {} }")
            .get(20, TimeUnit.SECONDS); // before: the watchdog was held, nothing stopped this
    long took = (System.nanoTime() - start) / 1_000_000;
    assertFalse(stuck.isDone(), "the probe needs the match still running");
    assertEquals(CodeFailure.Kind.TIMEOUT, loop.kind(), loop.getMessage());
    assertTrue(took < 5000, "another organization's loop stopped near its limit: " + took + " ms");
  }

  /**
   * Open: GraalJS's backtracking regular expressions do not stop at their deadline (measured: still
   * running 20 s past an 800 ms limit), so such a call holds its request thread and a core until
   * the match ends, which for this one is never in practice.
   */
  @Test
  @Disabled("open finding: a backtracking regular expression is not stopped at its deadline")
  void aBacktrackingRegularExpressionIsStoppedAtTheDeadline() throws Exception {
    try (CodeRunner runner = new CodeRunner(CodeRunner.Config.defaults())) {
      CodeFailure e =
          call(
                  runner,
                  "redos.js",
                  "function main(i) { return /^(a|a)*(?=b)\\1$/.test('a'.repeat(64) + 'c'); }")
              .get(20, TimeUnit.SECONDS);
      assertEquals(CodeFailure.Kind.TIMEOUT, e.kind(), e.getMessage());
    }
  }
}
