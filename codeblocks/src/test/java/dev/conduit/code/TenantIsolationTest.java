package dev.conduit.code;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.conduit.code.languages.CodeRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: no value a block leaves behind reaches a call of another connection, in its own
 * organization or another. Connection A of organization 1 writes a secret into every carry-over
 * channel a block can reach, on every worker of the pool; connection B of organization 1 and
 * connection C of organization 2 then read every channel, on every worker; nothing arrives. The
 * writer reads its own writes back first, and A's next calls still see them: the channels do carry
 * state, so what B and C see is the isolation's doing, not a channel that never worked.
 */
class TenantIsolationTest {

  static final int WORKERS = 2;
  static final Tenant A = new Tenant("org-1", "conn-a");
  static final Tenant B = new Tenant("org-1", "conn-b");
  static final Tenant C = new Tenant("org-2", "conn-c");
  static final String SECRET = "s3cr3t-of-conn-a";
  static CodeRunner runner;

  @BeforeAll
  static void start() {
    runner = TestRunners.withPython(WORKERS);
  }

  @AfterAll
  static void stop() {
    runner.close();
  }

  // every channel a Python block can write without the worker's guard refusing it; sys.modules
  // and __builtins__ themselves are refused by name (PythonBlocksTest.escapesFail...)
  static final String PY_READ =
      """
      def read():
          d = datetime.date
          f = json.dumps
          c = decimal.DefaultContext
          e = DeniedError
          m = calendar.mdays
          n = calendar.day_name
          return {
              'class attribute through an alias': getattr(d, 'leak', None),
              'attribute of a library function': getattr(f, 'leak', None),
              'list held by a library module': ([v for v in m if isinstance(v, basestring)] or [None])[0],
              'attribute of a library object': getattr(n, 'leak', None),
              'the default decimal context': getattr(c, 'leak', None),
              'precision of a new decimal context': str(decimal.Context().prec),
              'a class among the builtins': getattr(e, 'leak', None),
          }
      """;
  static final String PY_WRITER =
      "import datetime, json, calendar, decimal, time\n"
          + PY_READ
          + """
      def main(input):
          s = input['secret']
          d = datetime.date
          d.leak = s
          f = json.dumps
          f.leak = s
          m = calendar.mdays
          m.append(s)
          n = calendar.day_name
          n.leak = s
          c = decimal.DefaultContext
          c.leak = s
          c.prec = 11
          e = DeniedError
          e.leak = s
          time.sleep(input['hold'])
          return read()
      """;
  static final String PY_READER =
      "import datetime, json, calendar, decimal, time\n"
          + PY_READ
          + """
      def main(input):
          time.sleep(input['hold'])
          return read()
      """;

  static Map<String, Object> channels(String value, String precision) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String k :
        List.of(
            "class attribute through an alias",
            "attribute of a library function",
            "list held by a library module",
            "attribute of a library object",
            "the default decimal context",
            "precision of a new decimal context",
            "a class among the builtins")) {
      m.put(k, k.startsWith("precision") ? precision : value);
    }
    return m;
  }

  @Test
  void pythonStateLeftByOneConnectionReachesNoOtherConnectionOrOrganization() throws Exception {
    CodeSource writer = new CodeSource("connections/a/code/keep.py", Language.PYTHON, PY_WRITER);
    CodeSource reader = new CodeSource("connections/b/code/look.py", Language.PYTHON, PY_READER);
    // WORKERS calls at once, each holding its worker a while: every worker of the pool serves one
    for (Object r : atOnce(A, writer, Map.of("secret", SECRET, "hold", 0.5))) {
      assertEquals(channels(SECRET, "11"), r, "the writer reads its own writes back");
    }
    for (Object r : atOnce(A, reader, Map.of("hold", 0.3))) {
      assertEquals(
          channels(SECRET, "11"), r, "A's next calls see what A left: the channels carry state");
    }
    for (Tenant other : List.of(B, C)) {
      for (Object r : atOnce(other, reader, Map.of("hold", 0.3))) {
        assertEquals(channels(null, "28"), r, other + " sees nothing of what A left");
      }
    }
  }

  @Test
  void theAttackOfIssue11AnotherConnectionsBlockCannotReturnAnOpenedHiddenParameter()
      throws Exception {
    // A's before block is handed its connection's opened hidden parameter (to sign with) and
    // keeps it on a library class; a block of B (same organization) or C (another) returns it
    CodeSource keep =
        new CodeSource(
            "connections/a/code/sign.py",
            Language.PYTHON,
            """
        import datetime, time
        def main(input):
            d = datetime.date
            d.stolen = input['connection']['api_secret']
            time.sleep(0.5)
            return {'signature': 'x'}
        """);
    CodeSource steal =
        new CodeSource(
            "connections/b/code/after.py",
            Language.PYTHON,
            """
        import datetime, time
        def main(input):
            time.sleep(0.3)
            return {'stolen': getattr(datetime.date, 'stolen', None)}
        """);
    atOnce(A, keep, Map.of("input", Map.of(), "connection", Map.of("api_secret", SECRET)));
    for (Tenant other : List.of(B, C)) {
      for (Object r : atOnce(other, steal, Map.of("input", Map.of()))) {
        assertEquals(
            java.util.Collections.singletonMap("stolen", null), r, other + " got A's secret");
      }
    }
  }

  static final String JS_READ =
      """
      function read() {
        return {
          global: typeof leak === 'undefined' ? null : leak,
          'top-level variable': typeof kept === 'undefined' ? null : kept,
          'Object.prototype': ({}).leak === undefined ? null : ({}).leak,
          'Array.prototype': [].leak === undefined ? null : [].leak,
          'a property of JSON': JSON.leak === undefined ? null : JSON.leak,
          'a property of Math': Math.leak === undefined ? null : Math.leak,
          'a property of a built-in function': String.prototype.trim.leak === undefined ? null : String.prototype.trim.leak,
          'a replaced built-in': Math.max(1, 2) === 2 ? null : Math.max(1, 2),
        };
      }
      """;

  @Test
  void javaScriptStateLeftByOneConnectionReachesNoOtherConnectionOrOrganization() throws Exception {
    CodeSource writer =
        new CodeSource(
            "connections/a/code/keep.js",
            Language.JAVASCRIPT,
            JS_READ
                + """
        var kept;
        function main(input) {
          var s = input.secret;
          kept = s;
          globalThis.leak = s;
          Object.prototype.leak = s;
          Array.prototype.leak = s;
          JSON.leak = s;
          Math.leak = s;
          String.prototype.trim.leak = s;
          Math.max = function () { return s; };
          return read();
        }
        """);
    CodeSource reader =
        new CodeSource(
            "connections/b/code/look.js",
            Language.JAVASCRIPT,
            JS_READ
                + """
        function main(input) { return read(); }
        """);
    Map<String, Object> written = new LinkedHashMap<>();
    Map<String, Object> nothing = new LinkedHashMap<>();
    for (String k :
        List.of(
            "global",
            "top-level variable",
            "Object.prototype",
            "Array.prototype",
            "a property of JSON",
            "a property of Math",
            "a property of a built-in function",
            "a replaced built-in")) {
      written.put(k, SECRET);
      nothing.put(k, null);
    }
    assertEquals(
        written,
        runner.run(A, writer, Map.of("secret", SECRET), Duration.ofSeconds(5)),
        "the writer reads its own writes back");
    // JavaScript gives every call a fresh context, so A's own next call sees nothing either
    for (Tenant t : List.of(A, B, C)) {
      for (int i = 0; i < 4; i++) {
        assertEquals(
            nothing, runner.run(t, reader, Map.of(), Duration.ofSeconds(5)), t + " call " + i);
      }
    }
  }

  /** Runs WORKERS calls of a block for a tenant at once and returns their results. */
  static List<Object> atOnce(Tenant t, CodeSource block, Map<String, Object> input)
      throws Exception {
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      calls.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return runner.run(t, block, input, Duration.ofSeconds(20));
                } catch (CodeFailure e) {
                  throw new CompletionException(e);
                }
              }));
    }
    List<Object> results = new ArrayList<>();
    for (CompletableFuture<Object> c : calls) {
      results.add(c.get(120, TimeUnit.SECONDS));
    }
    return results;
  }
}
