package dev.conduit.code;

import dev.conduit.code.languages.CodeRunner;

/** The runner the tests' own blocks run on, in one place. */
public final class TestRunners {

  private TestRunners() {}

  /**
   * A runner with {@code workers} Python workers. The unsafe opt-in only lets these tests run on a
   * machine without bubblewrap: where bubblewrap works it still applies.
   */
  public static CodeRunner withPython(int workers) {
    return new CodeRunner(
        CodeRunner.Config.defaults().withPythonWorkers(workers).withPythonUnconfinedUnsafe(true));
  }
}
