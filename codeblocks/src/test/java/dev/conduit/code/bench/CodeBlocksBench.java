package dev.conduit.code.bench;

import dev.conduit.code.CodeRunner;
import dev.conduit.code.CodeSource;
import dev.conduit.code.Language;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What code blocks add to a call: a small before transform (strip "+86", sign with HMAC) and a
 * small after transform (wrap a response into a list), warm, per language, against the same
 * call without blocks (the baseline: the JSON conversion a call does anyway). Prints medians
 * and 99th percentiles in microseconds. Run: bench/code-blocks/run.sh
 */
public final class CodeBlocksBench {

  static final String JS_BEFORE = "function main(input) { var p = String(input.input.phone).replace(/^\\+86\\s*/, '');"
      + " return { phone: p, sig: conduit.hmacSha256(input.connection.secret, p + input.input.msg) }; }";
  static final String JS_AFTER = "function main(input) { var d = input.response.body.data;"
      + " return { rows: Array.isArray(d) ? d : [d], count: 1 }; }";
  static final String PY_BEFORE = "import re\ndef main(input):\n    p = re.sub(r'^\\+86\\s*', '', input['input']['phone'])\n"
      + "    return {'phone': p, 'sig': conduit.hmacSha256(input['connection']['secret'], p + input['input']['msg'])}\n";
  static final String PY_AFTER = "def main(input):\n    d = input['response']['body']['data']\n"
      + "    return {'rows': d if isinstance(d, list) else [d], 'count': 1}\n";

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int measured = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    Map<String, Object> before = new LinkedHashMap<>();
    before.put("input", Map.of("phone", "+86 13800138000", "msg", "hello"));
    before.put("connection", Map.of("secret", "s3cr3t", "app_key", "k"));
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("input", Map.of("phone", "+86 13800138000"));
    after.put("before", Map.of("phone", "13800138000"));
    after.put("response", Map.of("status", 200, "headers", Map.of(), "body", Map.of("data", Map.of("id", "x1"))));

    try (CodeRunner runner = new CodeRunner(CodeRunner.Config.defaults().withPythonWorkers(1))) {
      CodeSource jsB = new CodeSource("bench/before.js", Language.JAVASCRIPT, JS_BEFORE);
      CodeSource jsA = new CodeSource("bench/after.js", Language.JAVASCRIPT, JS_AFTER);
      CodeSource pyB = new CodeSource("bench/before.py", Language.PYTHON, PY_BEFORE);
      CodeSource pyA = new CodeSource("bench/after.py", Language.PYTHON, PY_AFTER);
      Thread.sleep(3000); // the Python worker starts in the background
      Duration t = Duration.ofSeconds(5);
      Step baseline = () -> {
        dev.conduit.code.bench.CodeBlocksBench.roundTrip(before);
        dev.conduit.code.bench.CodeBlocksBench.roundTrip(after);
      };
      Step js = () -> {
        runner.run(jsB, before, t);
        runner.run(jsA, after, t);
      };
      Step py = () -> {
        runner.run(pyB, before, t);
        runner.run(pyA, after, t);
      };
      // interleaved rounds so machine noise hits every series alike
      long[][] samples = new long[3][measured];
      Step[] steps = {baseline, js, py};
      for (int i = 0; i < warmup; i++) {
        for (Step s : steps) {
          s.run();
        }
      }
      for (int i = 0; i < measured; i++) {
        for (int k = 0; k < steps.length; k++) {
          long start = System.nanoTime();
          steps[k].run();
          samples[k][i] = System.nanoTime() - start;
        }
      }
      String[] names = {"baseline (no blocks)", "JavaScript before+after", "Python before+after"};
      long base = median(samples[0]);
      System.out.printf("%-26s %10s %10s %14s%n", "series", "p50 us", "p99 us", "added p50 us");
      for (int k = 0; k < 3; k++) {
        System.out.printf("%-26s %10.1f %10.1f %14.1f%n", names[k], median(samples[k]) / 1000.0,
            percentile(samples[k], 0.99) / 1000.0, (median(samples[k]) - base) / 1000.0);
      }
      System.out.printf("(%d warm-up rounds, %d measured rounds, %d cores, %s)%n", warmup, measured,
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    }
  }

  @FunctionalInterface
  interface Step {
    void run() throws Exception;
  }

  private static final tools.jackson.databind.json.JsonMapper JSON = new tools.jackson.databind.json.JsonMapper();

  /** What a call does with the data anyway: to JSON and back. */
  static void roundTrip(Object data) {
    JSON.readValue(JSON.writeValueAsString(data), Object.class);
  }

  static long median(long[] xs) {
    return percentile(xs, 0.5);
  }

  static long percentile(long[] xs, double p) {
    long[] s = xs.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) Math.floor(p * s.length))];
  }

}
