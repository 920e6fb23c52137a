package dev.conduit.code.js;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.conduit.code.CodeSource;
import dev.conduit.code.Language;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What the engine itself reports: a block is parsed once however many calls and contexts it sees.
 */
class JavaScriptEngineTest {

  @Test
  void theEngineParsesABlockOnceForAllCallsAndContexts() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (JavaScriptEngine engine = new JavaScriptEngine(log)) {
      CodeSource block =
          new CodeSource(
              "connections/x/code/count.js",
              Language.JAVASCRIPT,
              "function main(input) { return {n: input.n + 1}; }");
      for (int i = 0; i < 50; i++) {
        assertEquals(
            "{\"n\":" + (i + 1) + "}", engine.run(block, "{\"n\":" + i + "}", 2000, 64L << 20));
      }
      CodeSource changed =
          new CodeSource(
              "connections/x/code/count.js",
              Language.JAVASCRIPT,
              "function main(input) { return {n: input.n + 2}; }");
      for (int i = 0; i < 10; i++) {
        engine.run(changed, "{\"n\":1}", 2000, 64L << 20);
      }
    }
    String trace = log.toString(StandardCharsets.UTF_8);
    // GraalJS's own source cache (engine.TraceSourceCache) logs one "source-cache-miss" per parse
    assertEquals(2, count(trace, "source-cache-miss", "count.js"), trace);
    assertEquals(1, count(trace, "source-cache-miss", JavaScriptEngine.PRELUDE_NAME), trace);
  }

  private static long count(String trace, String event, String name) {
    return trace.lines().filter(l -> l.contains(event) && l.contains(name)).count();
  }
}
