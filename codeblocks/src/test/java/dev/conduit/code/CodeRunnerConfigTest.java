package dev.conduit.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.code.languages.CodeRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner's settings: defaults, withers, validation, the time-limit cap, Python turned off. */
class CodeRunnerConfigTest {

  @Test
  void defaults() {
    CodeRunner.Config c = CodeRunner.Config.defaults();
    assertEquals(Duration.ofSeconds(2), c.defaultTimeout());
    assertEquals(Duration.ofSeconds(30), c.maxTimeout());
    assertEquals(256L << 20, c.jsMaxAllocation());
    assertEquals(4, c.pythonWorkers());
    assertEquals(512L << 20, c.pythonMemory());
    assertEquals(null, c.jythonJar());
    assertEquals(null, c.java());
    assertEquals(true, c.bubblewrap());
    assertEquals(null, c.bubblewrapPath());
    assertEquals(
        false, c.pythonUnconfinedUnsafe(), "Python blocks fail closed unless the operator opts in");
    assertEquals(Path.of(System.getProperty("java.home"), "bin", "java"), c.javaExecutable());
  }

  @Test
  void withersChangeOneSettingEach() {
    CodeRunner.Config c =
        CodeRunner.Config.defaults()
            .withDefaultTimeout(Duration.ofSeconds(1))
            .withMaxTimeout(Duration.ofSeconds(5))
            .withJsMaxAllocation(64L << 20)
            .withPythonWorkers(4)
            .withPythonMemory(1L << 30)
            .withJythonJar(Path.of("/opt/jython.jar"))
            .withJava(Path.of("/opt/jdk"))
            .withBubblewrap(false)
            .withBubblewrapPath(Path.of("/opt/bwrap"))
            .withPythonUnconfinedUnsafe(true);
    assertEquals(
        new CodeRunner.Config(
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            64L << 20,
            4,
            1L << 30,
            Path.of("/opt/jython.jar"),
            Path.of("/opt/jdk"),
            false,
            Path.of("/opt/bwrap"),
            true),
        c);
    assertEquals(
        Path.of("/opt/jdk"), c.javaExecutable(), "not a directory here: taken as the executable");
    assertEquals(
        Path.of(System.getProperty("java.home"), "bin", "java"),
        c.withJava(Path.of(System.getProperty("java.home"))).javaExecutable(),
        "a Java home: its bin/java");
  }

  @Test
  void nonsenseIsRefusedWhenConfigured() {
    CodeRunner.Config d = CodeRunner.Config.defaults();
    assertThrows(IllegalArgumentException.class, () -> d.withDefaultTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> d.withMaxTimeout(Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> d.withJsMaxAllocation(1000));
    assertThrows(IllegalArgumentException.class, () -> d.withPythonWorkers(-1));
    assertThrows(IllegalArgumentException.class, () -> d.withPythonMemory(256L << 20));
  }

  @Test
  void aCallersTimeLimitIsCappedAndPythonCanBeTurnedOff() throws Exception {
    try (CodeRunner runner =
        new CodeRunner(
            CodeRunner.Config.defaults()
                .withPythonWorkers(0)
                .withDefaultTimeout(Duration.ofMillis(300))
                .withMaxTimeout(Duration.ofMillis(600)))) {
      CodeSource loop =
          new CodeSource("code/loop.js", Language.JAVASCRIPT, "function main(i) { for (;;) {} }");
      CodeFailure capped =
          assertThrows(CodeFailure.class, () -> runner.run(loop, Map.of(), Duration.ofSeconds(60)));
      assertEquals(
          "code/loop.js: stopped: the block ran past its time limit of 600 ms",
          capped.getMessage());
      CodeFailure byDefault =
          assertThrows(CodeFailure.class, () -> runner.run(loop, Map.of(), null));
      assertEquals(
          "code/loop.js: stopped: the block ran past its time limit of 300 ms",
          byDefault.getMessage());
      CodeFailure python =
          assertThrows(
              CodeFailure.class,
              () ->
                  runner.run(
                      new CodeSource("code/x.py", Language.PYTHON, "def main(i):\n    return 1\n"),
                      Map.of(),
                      null));
      assertEquals(CodeFailure.Kind.UNAVAILABLE, python.kind());
      assertEquals(
          "code/x.py: Python code blocks are turned off in this runtime", python.getMessage());
      assertTrue(runner.pythonConfinement().startsWith("Python blocks unavailable"));
      assertEquals("off", runner.pythonConfinementInEffect());
      assertEquals(
          Map.of("logged", true),
          runner.run(
              new CodeSource(
                  "code/log.js",
                  Language.JAVASCRIPT,
                  "function main(i) { console.log('to nowhere'); print('nor this'); return {logged: true}; }"),
              Map.of(),
              Duration.ofSeconds(10)));
    }
  }

  @Test
  void languagesAreKnownByTheirFileExtension() {
    assertEquals(java.util.Optional.of(Language.JAVASCRIPT), Language.ofFileName("code/sign.js"));
    assertEquals(
        java.util.Optional.of(Language.PYTHON), Language.ofFileName("code/strip_prefix.py"));
    assertEquals(java.util.Optional.empty(), Language.ofFileName("code/readme.md"));
  }
}
