package dev.conduit.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.code.languages.CodeRunner;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JavaScript blocks on GraalJS: parsing once, the limits, results that are not plain data, the
 * confinement.
 */
class JavaScriptBlocksTest {

  static CodeRunner runner;

  @BeforeAll
  static void start() {
    runner =
        new CodeRunner(
            CodeRunner.Config.defaults()
                .withPythonWorkers(0)
                .withJsMaxAllocation(64L * 1024 * 1024));
  }

  @AfterAll
  static void stop() {
    runner.close();
  }

  static CodeSource js(String file, String text) {
    return new CodeSource("connections/x/code/" + file, Language.JAVASCRIPT, text);
  }

  static Object run(String text, Object input) throws CodeFailure {
    return runner.run(js("t.js", text), input, Duration.ofSeconds(2));
  }

  static CodeFailure fails(String file, String text) {
    return fails(
        file,
        text,
        Duration.ofSeconds(5)); // generous: a first exception's path is slow on a busy machine
  }

  static CodeFailure fails(String file, String text, Duration timeout) {
    return assertThrows(CodeFailure.class, () -> runner.run(js(file, text), Map.of(), timeout));
  }

  static void stillWorks() throws CodeFailure {
    assertEquals(42L, run("function main(i) { return 42; }", Map.of()));
  }

  @Test
  void aSourceIsBuiltOncePerFileAndTextNotPerCall() throws Exception {
    int before = runner.parsedJavaScriptSources();
    CodeSource s = js("once.js", "function main(i) { return i.n * 2; }");
    for (int n = 0; n < 20; n++) {
      assertEquals((long) n * 2, runner.run(s, Map.of("n", n), Duration.ofSeconds(2)));
    }
    assertEquals(before + 1, runner.parsedJavaScriptSources());
    runner.run(js("once.js", "function main(i) { return i.n * 3; }"), Map.of("n", 1), null);
    assertEquals(before + 2, runner.parsedJavaScriptSources(), "a changed text is a new source");
  }

  @Test
  void callsDoNotSeeEachOthersGlobals() throws Exception {
    run(
        "var leak; function main(i) { globalThis.leaked = i.secret; Array.prototype.evil = 1; return 1; }",
        Map.of("secret", "s3cr3t"));
    assertEquals(
        Map.of("leaked", "undefined", "evil", "undefined"),
        run(
            "function main(i) { return {leaked: typeof leaked, evil: typeof [].evil}; }",
            Map.of()));
  }

  @Test
  void errorsNameTheBlockAndTheLineWithoutHostDetails() {
    CodeFailure e = fails("boom.js", "function main(i) {\n  var x = null;\n  return x.y;\n}");
    assertEquals(CodeFailure.Kind.ERROR, e.kind());
    assertEquals("connections/x/code/boom.js", e.file());
    assertEquals(3, e.line());
    assertTrue(
        e.getMessage().startsWith("connections/x/code/boom.js:3: TypeError: "), e.getMessage());
    CodeFailure nested =
        fails(
            "nested.js",
            "function helper(v) {\n  throw new RangeError('bad ' + v);\n}\n"
                + "function main(i) {\n  return helper(7);\n}");
    assertEquals("connections/x/code/nested.js:2: RangeError: bad 7", nested.getMessage());
    CodeFailure helper =
        fails("helper.js", "function main(i) {\n\n  return conduit.base64Decode('%%%');\n}");
    assertEquals(CodeFailure.Kind.ERROR, helper.kind());
    assertEquals(3, helper.line(), "the block's line that called the helper");
    assertTrue(helper.getMessage().contains("base64Decode: not valid Base64"), helper.getMessage());
    for (CodeFailure f : List.of(e, nested, helper)) {
      assertFalse(
          f.getMessage().matches("(?s).*(\\bat |java\\.|org\\.graalvm|/root|/tmp|\\.java).*"),
          f.getMessage());
    }
    CodeFailure syntax = fails("syntax.js", "function main(i) {\n  return {;\n}");
    assertEquals(CodeFailure.Kind.SYNTAX, syntax.kind());
    assertEquals(2, syntax.line());
    assertTrue(
        syntax.getMessage().startsWith("connections/x/code/syntax.js:2: JavaScript syntax error: "),
        syntax.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      no main         | function handle(i) { return 1; }                  | the block defines no main(input) function
      a BigInt        | function main(i) { return {n: 10n}; }             | main returned a BigInt (convert it with String() or Number()) at "n"
      a function      | function main(i) { return {f: function () {}}; }  | main returned a function at "f"
      a Map           | function main(i) { return new Map(); }            | main returned a Map (convert it with Object.fromEntries())
      a Set           | function main(i) { return [new Set([1])]; }       | main returned a Set (convert it with Array.from()) at "0"
      a Promise       | async function main(i) { return 1; }              | main returned a Promise (main must return its result: async functions are not supported)
      a cycle         | function main(i) { var a = {}; a.a = a; return a; } | main returned something JSON cannot hold
      a Symbol        | function main(i) { return [Symbol('s')]; }        | main returned a Symbol at "0"
      """)
  void resultsThatAreNotPlainDataAreRefusedByName(String what, String text, String message) {
    CodeFailure e = fails("bad.js", text);
    assertEquals(CodeFailure.Kind.BAD_RESULT, e.kind(), e.getMessage());
    assertTrue(e.getMessage().startsWith("connections/x/code/bad.js: " + message), e.getMessage());
  }

  /**
   * The block runs in the context that turns its input and result into text: what it does to the
   * context's JSON changes nothing of that conversion, and a result JSON turns into nothing is the
   * block's own clear error, never a host exception (an internal error for the caller, a stack
   * trace in the server's log).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      JSON.stringify giving a number  | function main(i) { JSON.stringify = function () { return 42; }; return {a: i.a}; }
      JSON.stringify giving an object | function main(i) { JSON.stringify = function () { return {}; }; return {a: i.a}; }
      JSON.stringify giving nothing   | function main(i) { JSON.stringify = function () {}; return {a: i.a}; }
      JSON.stringify giving bad text  | function main(i) { JSON.stringify = function () { return '{"a":'; }; return {a: i.a}; }
      JSON replaced at load           | JSON = {parse: function () { return {a: 2}; }, stringify: function () { return null; }}; function main(i) { return {a: i.a}; }
      """)
  void whatABlockDoesToJsonDoesNotChangeHowItsDataCrosses(String what, String text)
      throws Exception {
    assertEquals(Map.of("a", 1L), run(text, Map.of("a", 1)), what);
    stillWorks();
  }

  @Test
  void aResultJsonTurnsIntoNothingIsAClearError() throws Exception {
    CodeFailure e =
        fails("bad.js", "function main(i) { return {toJSON: function () { return undefined; }}; }");
    assertEquals(CodeFailure.Kind.BAD_RESULT, e.kind(), e.getMessage());
    assertTrue(
        e.getMessage().startsWith("connections/x/code/bad.js: main returned"), e.getMessage());
    stillWorks();
  }

  @Test
  void undefinedIsNullAndDatesBecomeIsoStrings() throws Exception {
    assertEquals(null, run("function main(i) { return undefined; }", Map.of()));
    assertEquals(
        "2026-01-02T03:04:05.000Z",
        run("function main(i) { return new Date(Date.UTC(2026,0,2,3,4,5)); }", Map.of()));
    assertEquals(
        java.util.Arrays.asList(null, null),
        run("function main(i) { return [NaN, Infinity]; }", Map.of()));
  }

  @Test
  void anEndlessLoopIsStoppedNearItsLimitAndTheNextCallWorks() throws Exception {
    long start = System.nanoTime();
    CodeFailure e =
        fails("loop.js", "function main(i) { while (true) {} }", Duration.ofMillis(800));
    long took = (System.nanoTime() - start) / 1_000_000;
    assertEquals(CodeFailure.Kind.TIMEOUT, e.kind());
    assertEquals(
        "connections/x/code/loop.js: stopped: the block ran past its time limit of 800 ms",
        e.getMessage());
    assertTrue(took >= 790 && took < 2500, "stopped near its limit, took " + took + " ms");
    stillWorks();
    CodeFailure caught =
        fails(
            "loop2.js",
            "function main(i) { for (;;) { try { while (true) {} } catch (x) {} finally { continue; } } }",
            Duration.ofMillis(800));
    assertEquals(CodeFailure.Kind.TIMEOUT, caught.kind(), "catch and finally do not keep it alive");
    CodeFailure topLevel =
        fails(
            "loop3.js", "while (true) {}\nfunction main(i) { return 1; }", Duration.ofMillis(800));
    assertEquals(
        CodeFailure.Kind.TIMEOUT, topLevel.kind(), "the top level is under the same deadline");
    stillWorks();
  }

  @Test
  void aMemoryHogIsStoppedAndTheJvmStaysHealthy() throws Exception {
    long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    CodeFailure e =
        assertThrows(
            CodeFailure.class,
            () ->
                runner.run(
                    js(
                        "hog.js",
                        "function main(i) { var a = []; while (true) { a.push(new Array(10000).fill('x')); } }"),
                    Map.of(),
                    Duration.ofSeconds(20)));
    assertEquals(CodeFailure.Kind.MEMORY, e.kind(), e.getMessage());
    assertEquals(
        "connections/x/code/hog.js: stopped: the block allocated more memory than a call may",
        e.getMessage());
    CodeFailure big =
        assertThrows(
            CodeFailure.class,
            () ->
                runner.run(
                    js("big.js", "function main(i) { var s = 'x'; while (true) { s = s + s; } }"),
                    Map.of(),
                    Duration.ofSeconds(20)));
    assertTrue(
        big.kind() == CodeFailure.Kind.MEMORY || big.kind() == CodeFailure.Kind.ERROR,
        big.getMessage());
    System.gc();
    long heapAfter = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    assertTrue(
        heapAfter < heapBefore + 64L * 1024 * 1024,
        "the hog's memory was released: " + heapBefore + " -> " + heapAfter);
    stillWorks();
  }

  @Test
  void manyThreadsAtOnceIncludingVirtualOnes() throws Exception {
    CodeSource s =
        js(
            "par.js",
            "function main(i) { var t = 0; for (var k = 0; k < 1000; k++) { t += k; } return t + i.n; }");
    try (ExecutorService platform = Executors.newFixedThreadPool(4);
        ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Object>> results = new ArrayList<>();
      for (int n = 0; n < 40; n++) {
        int k = n;
        results.add(
            (n % 2 == 0 ? platform : virtual)
                .submit(() -> runner.run(s, Map.of("n", k), Duration.ofSeconds(10))));
      }
      for (int n = 0; n < 40; n++) {
        assertEquals(499500L + n, results.get(n).get());
      }
      // a memory hog on a virtual thread is still caught (the call moves to a platform thread)
      Future<CodeFailure> hog =
          virtual.submit(
              () ->
                  assertThrows(
                      CodeFailure.class,
                      () ->
                          runner.run(
                              js(
                                  "vhog.js",
                                  "function main(i) { var a = []; for (;;) { a.push(new Array(10000).fill(1)); } }"),
                              Map.of(),
                              Duration.ofSeconds(20))));
      assertEquals(CodeFailure.Kind.MEMORY, hog.get().kind());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      Java.type('java.lang.System')                      | Java is not available in code blocks (no access to Java)
      Java.type('java.io.File')                          | Java is not available in code blocks (no access to Java)
      Polyglot.eval('python', '1')                       | Polyglot is not available in code blocks (no access to other languages)
      load('/etc/passwd')                                | load is not available in code blocks (no access to files)
      require('fs').readFileSync('/etc/passwd')          | require is not available in code blocks (no access to modules)
      process.env.PATH                                   | process is not available in code blocks (no access to the process and its environment)
      java.lang.System.getenv()                          | java is not available in code blocks (no access to Java)
      Packages.java.lang.Runtime.getRuntime().exec('id') | Packages is not available in code blocks (no access to Java)
      readFully('/etc/passwd')                           | readFully is not available in code blocks (no access to files)
      new XMLHttpRequest()                               | XMLHttpRequest is not available in code blocks (no access to the network)
      fetch('http://127.0.0.1/')                         | fetch is not available in code blocks (no access to the network)
      quit()                                             | quit is not available in code blocks (no access to the process)
      Graal.versionJS                                    | Graal is not available in code blocks (no access to the engine)
      setTimeout(function () {}, 1)                      | setTimeout is not available in code blocks (no access to timers (blocks are synchronous))
      """)
  void escapesAreDeniedByNameAndTheRunnerKeepsWorking(String attempt, String message)
      throws Exception {
    CodeFailure e = fails("escape.js", "function main(i) {\n  return " + attempt + ";\n}");
    assertEquals(CodeFailure.Kind.DENIED, e.kind(), e.getMessage());
    assertEquals("connections/x/code/escape.js:2: " + message, e.getMessage());
    stillWorks();
  }

  /** Dynamic import() is the module loader by another name: it must load no file and no module. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "import('fs')",
        "import('/etc/passwd')",
        "import('node:child_process')",
        "import('data:text/javascript,export default globalThis')"
      })
  void dynamicImportLoadsNothing(String attempt) throws Exception {
    CodeFailure e = fails("imp.js", "function main(i) {\n  return " + attempt + ";\n}");
    assertFalse(e.getMessage().contains("root:"), e.getMessage());
    stillWorks();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      the helper's Java class        | conduit.getClass()
      the helper's constructor chain | Object.getPrototypeOf(conduit).constructor.constructor('return this')().Java.type('java.lang.System')
      a Function built from text     | Function('return typeof Java')() === 'undefined' ? Java : 0
      eval                           | eval('Java.type(\"java.lang.Runtime\")')
      the global object              | globalThis.Java.type('java.lang.System')
      the helper's hidden host       | conduit.md5.host.getClass()
      a thread, by a built name      | globalThis['Ja' + 'va'].type('java.lang.Thread')
      a process, by a built name     | globalThis['Ja' + 'va'].type('java.lang.ProcessBuilder')
      a worker thread                | new globalThis['Wor' + 'ker']('1')
      a thread through the helper    | conduit.md5.constructor.constructor('return Thread')()
      """)
  void theHelperAndTheGlobalObjectLeadNowhere(String what, String attempt) throws Exception {
    CodeFailure e = fails("escape.js", "function main(i) { return " + attempt + "; }");
    assertTrue(
        e.kind() == CodeFailure.Kind.ERROR || e.kind() == CodeFailure.Kind.DENIED,
        what + ": " + e.getMessage());
    assertFalse(e.getMessage().contains("java.lang.Class"), e.getMessage());
    stillWorks();
  }

  @Test
  void theHelperObjectIsFrozenAndItsMethodsAloneAreReachable() throws Exception {
    assertEquals(
        Map.of(
            "frozen",
            true,
            "keys",
            (long) Helpers.FUNCTIONS.size(),
            "md5",
            "900150983cd24fb0d6963f7d28e17f72"),
        run(
            "function main(i) { 'use strict'; try { conduit.md5 = null; } catch (e) {} return {frozen: Object.isFrozen(conduit),"
                + " keys: Object.keys(conduit).length, md5: conduit.md5('abc')}; }",
            Map.of()));
  }
}
