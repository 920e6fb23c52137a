package dev.conduit.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.conduit.code.languages.CodeRunner;
import dev.conduit.code.python.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: where the operating-system confinement (bubblewrap) is not up, Python blocks are
 * refused, naming what is missing, unless the operator opts in to running them unconfined; the
 * runner says which confinement is in effect either way. "bubblewrap missing" is a bubblewrap path
 * that does not exist.
 */
class PythonFailsClosedTest {

  static final CodeSource PY =
      new CodeSource("code/x.py", Language.PYTHON, "def main(i):\n    return i['n'] + 1\n");
  static final CodeSource JS =
      new CodeSource("code/x.js", Language.JAVASCRIPT, "function main(i) { return i.n + 1; }");
  static final CodeRunner.Config NO_BWRAP =
      CodeRunner.Config.defaults()
          .withPythonWorkers(1)
          .withBubblewrapPath(Path.of("/nonexistent/bwrap"));

  @Test
  void withoutBubblewrapPythonBlocksAreRefusedNamingWhatIsMissingAndNoWorkerStarts()
      throws Exception {
    try (CodeRunner runner = new CodeRunner(NO_BWRAP)) {
      CodeFailure f =
          assertThrows(
              CodeFailure.class, () -> runner.run(PY, Map.of("n", 1), Duration.ofSeconds(20)));
      assertEquals(CodeFailure.Kind.UNAVAILABLE, f.kind());
      assertEquals(
          "code/x.py: Python code blocks are unavailable on this server: the operating-system confinement"
              + " they need is missing (bubblewrap (bwrap) is not installed where configured)",
          f.getMessage());
      assertEquals(
          "refused: bubblewrap (bwrap) is not installed where configured",
          runner.pythonConfinementInEffect());
      assertEquals(0, runner.pythonWorkersStarted(), "no unconfined worker was ever started");
      assertEquals(
          2L,
          runner.run(JS, Map.of("n", 1), Duration.ofSeconds(20)),
          "JavaScript blocks still run");
    }
  }

  @Test
  void theOperatorsUnsafeOptInRunsThemUnconfinedAndSaysSo() throws Exception {
    try (CodeRunner runner = new CodeRunner(NO_BWRAP.withPythonUnconfinedUnsafe(true))) {
      assertEquals(2L, runner.run(PY, Map.of("n", 1), Duration.ofSeconds(20)));
      assertEquals(
          "UNCONFINED (unsafe opt-in: bubblewrap (bwrap) is not installed where configured)",
          runner.pythonConfinementInEffect());
    }
  }

  @Test
  void whereBubblewrapWorksItIsInEffectWithoutAnyOptIn() throws Exception {
    assumeTrue(Sandbox.detect(true).bubblewrap(), "bubblewrap is not usable here");
    try (CodeRunner runner =
        new CodeRunner(
            CodeRunner.Config.defaults().withPythonWorkers(1).withPythonUnconfinedUnsafe(true))) {
      assertEquals(2L, runner.run(PY, Map.of("n", 1), Duration.ofSeconds(20)));
      assertEquals(
          "bubblewrap",
          runner.pythonConfinementInEffect(),
          "the opt-in never turns bubblewrap off");
    }
  }
}
