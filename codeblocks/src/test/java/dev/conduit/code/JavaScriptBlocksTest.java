package dev.conduit.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JavaScript blocks on GraalJS: the contract, the helpers, the limits and the confinement. */
class JavaScriptBlocksTest {

  static CodeRunner runner;

  @BeforeAll
  static void start() {
    runner = new CodeRunner(CodeRunner.Config.defaults().withPythonWorkers(0).withJsMaxAllocation(64L * 1024 * 1024));
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
    return assertThrows(CodeFailure.class, () -> runner.run(js(file, text), Map.of(), Duration.ofMillis(800)));
  }

  @Test
  void plainDataInPlainDataOut() throws Exception {
    Object r = run("function main(input) { return {sum: input.a + input.b, tags: input.tags.concat(['z']),"
        + " nested: {ok: true, none: null}, text: 'héllo'}; }", Map.of("a", 1, "b", new BigDecimal("2.5"), "tags", List.of("x")));
    assertEquals(Map.of("sum", new BigDecimal("3.5"), "tags", List.of("x", "z"),
        "nested", java.util.Collections.singletonMap("ok", true).entrySet().stream()
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "text", "héllo").keySet(),
        ((Map<?, ?>) r).keySet());
    assertEquals(new BigDecimal("3.5"), ((Map<?, ?>) r).get("sum"));
    assertEquals(null, run("function main(i) { return undefined; }", Map.of()));
    assertEquals("2026-01-02T03:04:05.000Z", run("function main(i) { return new Date(Date.UTC(2026,0,2,3,4,5)); }", Map.of()));
  }

  @Test
  void theHelperLibrary() throws Exception {
    Map<?, ?> r = (Map<?, ?>) run("function main(i) { return {"
        + "hmac: conduit.hmacSha256('key', 'The quick brown fox jumps over the lazy dog'),"
        + "md5: conduit.md5('abc'), sha1: conduit.sha1('abc'), sha256: conduit.sha256('abc'),"
        + "b64: conduit.base64Encode('héllo'), back: conduit.base64Decode('aMOpbGxv'), hex: conduit.hexEncode('AZ'),"
        + "url: conduit.urlEncode('a b&c/é~'), unurl: conduit.urlDecode('a%20b%26c'), t: conduit.nowSeconds(), u: conduit.uuid() }; }",
        Map.of());
    assertEquals("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", r.get("hmac")); // RFC 4231-style vector
    assertEquals("900150983cd24fb0d6963f7d28e17f72", r.get("md5"));
    assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", r.get("sha1"));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", r.get("sha256"));
    assertEquals("aMOpbGxv", r.get("b64"));
    assertEquals("héllo", r.get("back"));
    assertEquals("415a", r.get("hex"));
    assertEquals("a%20b%26c%2F%C3%A9~", r.get("url"));
    assertEquals("a b&c", r.get("unurl"));
    assertTrue(((Number) r.get("t")).longValue() > 1_700_000_000L);
    assertTrue(((String) r.get("u")).matches("[0-9a-f-]{36}"));
  }

  @Test
  void sourcesAreParsedOncePerFileAndText() throws Exception {
    int before = runner.parsedJavaScriptSources();
    CodeSource s = js("once.js", "function main(i) { return i.n * 2; }");
    for (int n = 0; n < 20; n++) {
      assertEquals(new BigDecimal(n * 2).intValue(), ((Number) runner.run(s, Map.of("n", n), Duration.ofSeconds(2))).intValue());
    }
    assertEquals(before + 1, runner.parsedJavaScriptSources());
  }

  @Test
  void callsDoNotSeeEachOthersData() throws Exception {
    String counter = "var seen = (typeof seen === 'undefined') ? 0 : seen; function main(i) { globalThis.leak = i.secret; seen++; return {seen: seen, leak: globalThis.before || null}; }";
    run(counter, Map.of("secret", "first"));
    Map<?, ?> second = (Map<?, ?>) run("function main(i) { return {leak: globalThis.leak || null}; }", Map.of());
    assertEquals(null, second.get("leak"));
  }

  @Test
  void errorsNameTheBlockAndLine() {
    CodeFailure e = fails("boom.js", "function main(i) {\n  var x = null;\n  return x.y;\n}");
    assertEquals(CodeFailure.Kind.ERROR, e.kind());
    assertEquals(3, e.line());
    assertTrue(e.getMessage().startsWith("connections/x/code/boom.js:3: "), e.getMessage());
    assertFalse(e.getMessage().contains("at "), "no stack trace: " + e.getMessage());
    CodeFailure syntax = fails("syntax.js", "function main(i) {\n  return {;\n}");
    assertEquals(CodeFailure.Kind.SYNTAX, syntax.kind());
    assertEquals(2, syntax.line());
    assertEquals(CodeFailure.Kind.BAD_RESULT, fails("nomain.js", "function handle(i) { return 1; }").kind());
    assertEquals(CodeFailure.Kind.BAD_RESULT, fails("bigint.js", "function main(i) { return 10n; }").kind());
    assertEquals(CodeFailure.Kind.ERROR, fails("throw.js", "function main(i) { throw new Error('nope'); }").kind());
  }

  @Test
  void anEndlessLoopIsStoppedAndTheNextCallWorks() throws Exception {
    long start = System.nanoTime();
    CodeFailure e = fails("loop.js", "function main(i) { while (true) {} }");
    long took = (System.nanoTime() - start) / 1_000_000;
    assertEquals(CodeFailure.Kind.TIMEOUT, e.kind());
    assertTrue(took < 3000, "stopped near its limit, took " + took + " ms");
    CodeFailure caught = fails("loop2.js", "function main(i) { for (;;) { try { while(true){} } catch (x) {} } }");
    assertEquals(CodeFailure.Kind.TIMEOUT, caught.kind());
    assertEquals(2, ((Number) run("function main(i) { return 2; }", Map.of())).intValue());
  }

  @Test
  void aMemoryHogIsStoppedAndTheJvmStaysHealthy() throws Exception {
    CodeFailure e = assertThrows(CodeFailure.class, () -> runner.run(js("hog.js",
        "function main(i) { var a = []; while (true) { a.push(new Array(10000).fill('x')); } }"), Map.of(), Duration.ofSeconds(10)));
    assertEquals(CodeFailure.Kind.MEMORY, e.kind(), e.getMessage());
    assertEquals(3, ((Number) run("function main(i) { return 3; }", Map.of())).intValue());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Java.type('java.lang.System').exit(1)",
      "Java.type('java.io.File')",
      "Polyglot.eval('python', '1')",
      "load('/etc/passwd')",
      "require('fs').readFileSync('/etc/passwd')",
      "process.env.PATH",
      "java.lang.System.getenv()",
      "Packages.java.lang.Runtime.getRuntime().exec('id')",
      "conduit.getClass().forName('java.lang.System')",
      "Object.getPrototypeOf(conduit).constructor.constructor('return this')().Java.type('java.lang.System')",
      "new XMLHttpRequest()",
      "readFully('/etc/passwd')",
      "quit()",
  })
  void escapesFailWithAClearErrorAndTheRunnerKeepsWorking(String attempt) throws Exception {
    CodeFailure e = fails("escape.js", "function main(i) { return " + attempt + "; }");
    assertTrue(e.kind() == CodeFailure.Kind.ERROR || e.kind() == CodeFailure.Kind.DENIED, e.kind() + " " + e.getMessage());
    assertTrue(e.getMessage().startsWith("connections/x/code/escape.js"), e.getMessage());
    assertEquals(1, ((Number) run("function main(i) { return 1; }", Map.of())).intValue());
  }
}
