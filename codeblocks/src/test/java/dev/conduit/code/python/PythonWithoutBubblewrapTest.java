package dev.conduit.code.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.code.CodeFailure;
import dev.conduit.code.CodeSource;
import dev.conduit.code.Language;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where bubblewrap is missing or turned off and the operator has opted in to running Python blocks
 * unconfined (CodeRunner refuses them otherwise: PythonFailsClosedTest), they run under what is
 * left (an empty environment and working directory, setpriv and prlimit where present, the worker's
 * own wall), and the log says once, plainly, what is not applied.
 */
class PythonWithoutBubblewrapTest {

  static final List<LogRecord> LOG = new ArrayList<>();
  static final Handler CAPTURE =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          synchronized (LOG) {
            LOG.add(r);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  static PythonWorkers pool;

  @BeforeAll
  static void start() throws Exception {
    Logger.getLogger(PythonWorkers.class.getName()).addHandler(CAPTURE);
    pool =
        new PythonWorkers(
            PythonWorkers.jythonJarOnClassPath(),
            Path.of(System.getProperty("java.home")).resolve("bin/java"),
            1,
            512L * 1024 * 1024,
            false);
  }

  @AfterAll
  static void stop() {
    Logger.getLogger(PythonWorkers.class.getName()).removeHandler(CAPTURE);
    pool.close();
  }

  static CodeSource py(String text) {
    return new CodeSource("connections/x/code/plain.py", Language.PYTHON, text);
  }

  @Test
  void blocksRunAndTheLogSaysOnceWhatIsNotApplied() throws Exception {
    assertEquals(
        List.of(1L, "abc"),
        pool.run(py("def main(i):\n    return [1, i['s']]\n"), "{\"s\":\"abc\"}", 20_000));
    assertFalse(pool.sandbox().bubblewrap());
    assertTrue(
        pool.sandbox().missing().startsWith("bubblewrap is turned off in the configuration"),
        pool.sandbox().missing());
    List<String> warnings;
    synchronized (LOG) {
      warnings =
          LOG.stream()
              .filter(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
              .map(LogRecord::getMessage)
              .toList();
    }
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(
        warnings
            .getFirst()
            .startsWith(
                "Python code blocks are NOT fully confined by the operating system: "
                    + "bubblewrap is turned off in the configuration"),
        warnings.getFirst());
    assertTrue(warnings.getFirst().contains("not a security boundary"), warnings.getFirst());
  }

  @Test
  void theWorkersOwnWallStillRefusesImportsAndFiles() {
    for (String text :
        List.of(
            "import os\ndef main(i):\n    return os.getcwd()\n",
            "def main(i):\n    return open('/etc/hostname').read()\n")) {
      try {
        pool.run(py(text), "{}", 20_000);
        throw new AssertionError("ran: " + text);
      } catch (CodeFailure e) {
        assertEquals(CodeFailure.Kind.DENIED, e.kind(), e.getMessage());
      }
    }
  }

  @Test
  void workersStillGetAnEmptyEnvironmentAnEmptyDirectoryAndNoRoot() throws Exception {
    String out =
        pool.probe(
            String.join(
                "\n",
                "import os",
                "print('env %s' % sorted(os.environ.keys()))",
                "print('cwd %s' % os.listdir('.'))",
                "print('uid %s' % open('/proc/self/status').read().split('Uid:')[1].split()[0])",
                "print('nnp %s' % open('/proc/self/status').read().split('NoNewPrivs:')[1].split()[0])",
                ""));
    assertTrue(out.contains("env ['MALLOC_ARENA_MAX']"), out);
    assertTrue(out.contains("cwd []"), out);
    assertTrue(out.contains("nnp 1"), out);
    if (pool.sandbox().runsAsRootHere() && pool.sandbox().unprivilegedUser()) {
      assertTrue(out.contains("uid 65534"), out);
    }
  }
}
