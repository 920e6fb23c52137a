package dev.conduit.code.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.conduit.code.CodeFailure;
import dev.conduit.code.CodeRunner;
import dev.conduit.code.CodeSource;
import dev.conduit.code.Language;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Python blocks in confined Jython workers: the contract, the helpers, deadlines and memory
 * (the worker is replaced), the import allow-list, and what the operating system alone denies.
 */
class PythonBlocksTest {

  static CodeRunner runner;
  static PythonWorkers workers;

  @BeforeAll
  static void start() throws Exception {
    runner = new CodeRunner(CodeRunner.Config.defaults().withPythonWorkers(2));
    Path jar = PythonWorkers.jythonJarOnClassPath();
    workers = new PythonWorkers(jar, Path.of(System.getProperty("java.home")), 0, 512L * 1024 * 1024, true);
  }

  @AfterAll
  static void stop() {
    runner.close();
    workers.close();
  }

  static CodeSource py(String file, String text) {
    return new CodeSource("connections/x/code/" + file, Language.PYTHON, text);
  }

  static Object run(String text, Object input) throws CodeFailure {
    return runner.run(py("t.py", text), input, Duration.ofSeconds(10));
  }

  static CodeFailure fails(String file, String text) {
    return assertThrows(CodeFailure.class, () -> runner.run(py(file, text), Map.of(), Duration.ofSeconds(3)));
  }

  @Test
  void plainDataAndTheHelpers() throws Exception {
    Map<?, ?> r = (Map<?, ?>) run("import re\n"
        + "def main(input):\n"
        + "    phones = [re.sub(r'^\\+86\\s*', '', p) for p in input['phones']]\n"
        + "    return {'phones': phones, 'n': len(phones), 'ok': True, 'none': None,\n"
        + "            'hmac': conduit.hmacSha256('key', 'The quick brown fox jumps over the lazy dog'),\n"
        + "            'md5': conduit.md5('abc'), 'b64': conduit.base64Encode(u'h\\xe9llo'), 'url': conduit.urlEncode(u'a b/\\xe9')}\n",
        Map.of("phones", List.of("+86 13800138000", "13900139000")));
    assertEquals(List.of("13800138000", "13900139000"), r.get("phones"));
    assertEquals(2, ((Number) r.get("n")).intValue());
    assertEquals(true, r.get("ok"));
    assertTrue(r.containsKey("none"));
    assertEquals("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", r.get("hmac"));
    assertEquals("900150983cd24fb0d6963f7d28e17f72", r.get("md5"));
    assertEquals("aMOpbGxv", r.get("b64"));
    assertEquals("a%20b%2F%C3%A9", r.get("url"));
  }

  @Test
  void errorsNameTheBlockAndLine() {
    CodeFailure e = fails("zero.py", "def main(input):\n    x = 1\n    return x / 0\n");
    assertEquals(CodeFailure.Kind.ERROR, e.kind());
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("ZeroDivisionError"), e.getMessage());
    CodeFailure syntax = fails("fstring.py", "def main(input):\n    return f'{input}'\n");
    assertEquals(CodeFailure.Kind.SYNTAX, syntax.kind());
    assertTrue(syntax.getMessage().contains("Python 2.7"), syntax.getMessage());
    assertEquals(CodeFailure.Kind.BAD_RESULT, fails("nomain.py", "def handle(i):\n    return 1\n").kind());
    assertEquals(CodeFailure.Kind.BAD_RESULT, fails("set.py", "def main(i):\n    return set([1])\n").kind());
  }

  @Test
  void anEndlessLoopIsStoppedTheWorkerReplacedAndTheNextCallWorks() throws Exception {
    int before = runner.pythonWorkersStarted();
    long start = System.nanoTime();
    CodeFailure e = fails("loop.py", "def main(input):\n    while True:\n        try:\n            pass\n        except:\n            pass\n");
    long took = (System.nanoTime() - start) / 1_000_000;
    assertEquals(CodeFailure.Kind.TIMEOUT, e.kind());
    assertTrue(took < 6000, "stopped near its limit, took " + took + " ms");
    assertEquals(5, ((Number) run("def main(i):\n    return 5\n", Map.of())).intValue());
    Thread.sleep(3000);
    assertTrue(runner.pythonWorkersStarted() > before, "a replacement worker was started");
  }

  @Test
  void aMemoryHogIsStoppedAndTheNextCallWorks() throws Exception {
    CodeFailure e = assertThrows(CodeFailure.class, () -> runner.run(py("hog.py",
        "def main(input):\n    x = []\n    while True:\n        x.append('y' * 100000)\n"), Map.of(), Duration.ofSeconds(20)));
    assertTrue(e.kind() == CodeFailure.Kind.MEMORY || e.kind() == CodeFailure.Kind.TIMEOUT, e.kind() + " " + e.getMessage());
    assertEquals(6, ((Number) run("def main(i):\n    return 6\n", Map.of())).intValue());
  }

  @Test
  void callsDoNotSeeEachOthersData() throws Exception {
    String text = "cache = {}\ndef main(input):\n    before = dict(cache)\n    cache[input['k']] = 1\n    return before\n";
    for (int i = 0; i < 4; i++) {
      assertEquals(Map.of(), run(text, Map.of("k", "call" + i)), "module state starts fresh each call");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "import java.lang.System\ndef main(i):\n    return 1\n",
      "from java.io import File\ndef main(i):\n    return 1\n",
      "def main(i):\n    return open('/etc/passwd').read()\n",
      "import os\ndef main(i):\n    return os.system('id')\n",
      "import socket\ndef main(i):\n    return 1\n",
      "import subprocess\ndef main(i):\n    return 1\n",
      "def main(i):\n    return __import__('os').environ\n",
      "def main(i):\n    return [c for c in ().__class__.__bases__[0].__subclasses__() if c.__name__ == 'file']\n",
      "def main(i):\n    return getattr(getattr((), '__cl' + 'ass__'), '__ba' + 'ses__')[0]\n",
      "import sys\ndef main(i):\n    return sys.modules.keys()\n",
      "def main(i):\n    return eval('1+1')\n",
      "def main(i):\n    execfile('/etc/passwd')\n",
  })
  void escapesFailWithAClearErrorAndWorkersKeepWorking(String code) throws Exception {
    CodeFailure e = fails("escape.py", code);
    assertTrue(e.kind() != CodeFailure.Kind.TIMEOUT, e.kind() + " " + e.getMessage());
    assertTrue(e.getMessage().startsWith("connections/x/code/escape.py"), e.getMessage());
    assertEquals(7, ((Number) run("def main(i):\n    return 7\n", Map.of())).intValue());
  }

  @Test
  void withTheSecondWallBypassedTheOperatingSystemStillDeniesFilesNetworkAndEnvironment() throws Exception {
    assumeTrue(workers.sandbox().bubblewrap(),
        "bubblewrap is not usable here: the OS wall is off (the log says so), nothing to prove");
    String out = workers.probe(String.join("\n",
        "import os, socket",
        "for path in ['/etc/passwd', '/root', '/work', '/home']:",
        "    print('%s %s' % (path, os.path.exists(path)))",
        "print('env %d' % len([k for k in os.environ.keys() if k not in ('MALLOC_ARENA_MAX', 'PWD')]))",
        "try:",
        "    s = socket.create_connection(('127.0.0.1', 5432), 2)",
        "    print('net open')",
        "except Exception, e:",
        "    print('net refused')",
        "from java.lang import System",
        "print('uid %s' % System.getProperty('user.name'))",
        ""));
    assertTrue(out.contains("/etc/passwd False"), out);
    assertTrue(out.contains("/root False"), out);
    assertTrue(out.contains("/work False"), out);
    assertTrue(out.contains("env 0"), out);
    assertTrue(out.contains("net refused"), out);
    if (workers.sandbox().runsAsRoot()) {
      assertFalse(out.contains("uid root"), out);
    }
  }
}
