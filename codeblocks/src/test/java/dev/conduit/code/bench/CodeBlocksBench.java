package dev.conduit.code.bench;

import dev.conduit.code.CodeSource;
import dev.conduit.code.Language;
import dev.conduit.code.PlainData;
import dev.conduit.code.languages.CodeRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What code blocks add to an API call, warm, per language: a small before block (strip "+86", sign
 * with HMAC-SHA256) plus a small after block (wrap a response into a list), against the same call
 * without blocks (the baseline: the JSON conversion a call does with its data anyway), with no-op
 * blocks ({@code return input}) in between to separate the engine's fixed cost from the
 * transform's. Rounds are interleaved (every series once per round) so load on a shared machine
 * hits every series alike. Prints medians and percentiles in microseconds.
 *
 * <p>Not a test (surefire runs *Test classes only). Run:
 *
 * <pre>
 * ./mvnw -q -B -pl codeblocks -am install -DskipTests
 * ./mvnw -q -B -pl codeblocks test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.conduit.code.bench.CodeBlocksBench -Dexec.args="2000 5000"
 * </pre>
 *
 * (arguments: warm-up rounds, measured rounds).
 */
public final class CodeBlocksBench {

  static final String JS_NOOP = "function main(input) { return input; }";
  static final String PY_NOOP = "def main(input):\n    return input\n";
  static final String JS_BEFORE =
      "function main(input) {\n"
          + "  var p = String(input.input.phone).replace(/^\\+86\\s*/, '');\n"
          + "  return { phone: p, sig: conduit.hmacSha256(input.connection.secret, p + input.input.msg) };\n}\n";
  static final String JS_AFTER =
      "function main(input) {\n  var d = input.response.body.data;\n"
          + "  return { rows: Array.isArray(d) ? d : [d], count: Array.isArray(d) ? d.length : 1 };\n}\n";
  static final String PY_BEFORE =
      "import re\n\ndef main(input):\n"
          + "    p = re.sub(r'^\\+86\\s*', '', input['input']['phone'])\n"
          + "    return {'phone': p, 'sig': conduit.hmacSha256(input['connection']['secret'], p + input['input']['msg'])}\n";
  static final String PY_AFTER =
      "def main(input):\n    d = input['response']['body']['data']\n"
          + "    return {'rows': d if isinstance(d, list) else [d], 'count': len(d) if isinstance(d, list) else 1}\n";

  @FunctionalInterface
  interface Step {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int measured = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    Map<String, Object> before = new LinkedHashMap<>();
    before.put("input", Map.of("phone", "+86 13800138000", "msg", "hello"));
    before.put("connection", Map.of("secret", "s3cr3t", "app_key", "k"));
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("input", Map.of("phone", "+86 13800138000", "msg", "hello"));
    after.put("before", Map.of("phone", "13800138000", "sig", "abc"));
    after.put(
        "response",
        Map.of(
            "status",
            200,
            "headers",
            Map.of("content-type", "application/json"),
            "body",
            Map.of("data", Map.of("id", "x1", "status", "DELIVERED"))));

    try (CodeRunner runner = new CodeRunner(CodeRunner.Config.defaults().withPythonWorkers(1))) {
      Duration t = Duration.ofSeconds(10);
      CodeSource jsNoop = new CodeSource("bench/noop.js", Language.JAVASCRIPT, JS_NOOP);
      CodeSource jsB = new CodeSource("bench/before.js", Language.JAVASCRIPT, JS_BEFORE);
      CodeSource jsA = new CodeSource("bench/after.js", Language.JAVASCRIPT, JS_AFTER);
      CodeSource pyNoop = new CodeSource("bench/noop.py", Language.PYTHON, PY_NOOP);
      CodeSource pyB = new CodeSource("bench/before.py", Language.PYTHON, PY_BEFORE);
      CodeSource pyA = new CodeSource("bench/after.py", Language.PYTHON, PY_AFTER);
      String[] names = {
        "baseline (no blocks)",
        "JavaScript no-op x2",
        "JavaScript before+after",
        "Python no-op x2",
        "Python before+after"
      };
      Step[] steps = {
        () -> {
          PlainData.fromJson(PlainData.toJson(before));
          PlainData.fromJson(PlainData.toJson(after));
        },
        () -> {
          runner.run(jsNoop, before, t);
          runner.run(jsNoop, after, t);
        },
        () -> {
          runner.run(jsB, before, t);
          runner.run(jsA, after, t);
        },
        () -> {
          runner.run(pyNoop, before, t);
          runner.run(pyNoop, after, t);
        },
        () -> {
          runner.run(pyB, before, t);
          runner.run(pyA, after, t);
        }
      };
      long[][] samples = new long[steps.length][measured];
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
      long base = percentile(samples[0], 0.5);
      System.out.printf(
          "%-26s %9s %9s %9s %14s%n",
          "series (2 blocks a call)", "p50 us", "p90 us", "p99 us", "added p50 us");
      for (int k = 0; k < steps.length; k++) {
        System.out.printf(
            "%-26s %9.1f %9.1f %9.1f %14s%n",
            names[k],
            percentile(samples[k], 0.5) / 1000.0,
            percentile(samples[k], 0.9) / 1000.0,
            percentile(samples[k], 0.99) / 1000.0,
            k == 0 ? "-" : String.format("%.1f", (percentile(samples[k], 0.5) - base) / 1000.0));
      }
      System.out.printf(
          "%d warm-up and %d measured rounds; %s; %d cores; Java %s (%s); Python workers: %s%n",
          warmup,
          measured,
          cpu(),
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"),
          System.getProperty("java.vm.name"),
          runner.pythonConfinement());
    }
  }

  static long percentile(long[] xs, double p) {
    long[] s = xs.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) Math.floor(p * s.length))];
  }

  static String cpu() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      return lines.stream()
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .orElse("unknown CPU");
    } catch (java.io.IOException e) {
      return "unknown CPU";
    }
  }
}
