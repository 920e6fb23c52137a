package dev.conduit.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.conduit.code.languages.CodeRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One organization's JavaScript block must not hurt another's calls: a single operation that asks
 * for far more than the call's allocation cap (one huge buffer, array or string) is refused before
 * it allocates, so several such calls at once cannot fill the server's heap under everybody else.
 * Surefire runs this class alone in a JVM with a 512 MB heap (see the module's pom), where six
 * hostile calls at once would need gigabytes if each got its allocation.
 */
class JavaScriptHugeAllocationsTest {

  /**
   * Each asks, in one operation, for far more than the cap below (32 MB): the first ones for about
   * 200 MB, which one call alone could get from this heap but not several at once, the last ones
   * for more than the whole heap.
   */
  static final List<String> HOSTILE =
      List.of(
          "new ArrayBuffer(200000000)",
          "new Float64Array(25000000)",
          "new Uint8Array(200000000)",
          "new Float64Array({length: 25000000})",
          "Float64Array.from({length: 25000000})",
          "new Array(25000000).fill(1.5)",
          "Array(25000000).fill(1.5)",
          "'x'.repeat(1 << 27)",
          "'x'.padStart(1 << 27)",
          "'x'.padEnd(1 << 27, 'yz')",
          "new Array(100000000).join('ab')",
          "new Array(200).fill('x'.repeat(1000000)).join('')",
          "new ArrayBuffer(2000000000)",
          "new Float64Array(250000000)",
          "new Array(300000000).fill(1.5)",
          "'x'.repeat(1 << 29)");

  /**
   * Doubling a string costs nothing until it is read (GraalJS keeps the halves as a rope): the read
   * then makes one flat copy of 256 MB, which the watchdog only sees once it exists. Measured
   * (2026-12-03, this class's 512 MB JVM, before the engine's string-length limit): every such call
   * failed with "Java heap space" and a benign call ran past its limit. Now the engine refuses the
   * string where it is made, with a RangeError (docs/code-blocks.md, "Memory").
   */
  static final List<String> ROPES =
      List.of(
          "(function () { var s = 'x'; for (var k = 0; k < 28; k++) { s += s; }"
              + " return s.indexOf('y'); })()",
          "(function () { var s = '\u00e9\u4e2d'; for (var k = 0; k < 27; k++) { s = s + s; }"
              + " return JSON.stringify(s).length; })()");

  static final int HOSTILE_THREADS = 6;
  static final int BENIGN_THREADS = 2;
  static final int ROUNDS = 2;

  @Test
  void hugeSingleAllocationsAtOnceFailAloneAndOtherCallsGoOn() throws Exception {
    atOnceWithBenignCalls(HOSTILE);
  }

  @Test
  void doubledStringsReadAtOnceFailAloneAndOtherCallsGoOn() throws Exception {
    atOnceWithBenignCalls(ROPES);
  }

  private static void atOnceWithBenignCalls(List<String> hostile) throws Exception {
    // with -Dtest=... the default execution (a big heap) runs it too: only the small one counts
    assumeTrue(
        Runtime.getRuntime().maxMemory() <= 1024L * 1024 * 1024,
        "needs the small-heap execution of the module's pom");
    try (CodeRunner runner =
        new CodeRunner(
            CodeRunner.Config.defaults()
                .withPythonWorkers(0)
                .withJsMaxAllocation(32L * 1024 * 1024))) {
      CodeSource benign =
          block(
              "benign.js",
              "function main(i) { var a = []; for (var k = 0; k < 2000; k++) { a.push({k: k}); }"
                  + " return {n: i.n, len: a.length}; }");
      Queue<String> wrong = new ConcurrentLinkedQueue<>();
      AtomicInteger benignOk = new AtomicInteger();
      AtomicInteger hostileStopped = new AtomicInteger();
      AtomicBoolean hostileDone = new AtomicBoolean();
      CountDownLatch hostileLeft = new CountDownLatch(HOSTILE_THREADS);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < HOSTILE_THREADS; t++) {
        int first = t;
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        for (int r = 0; r < ROUNDS; r++) {
                          for (int k = 0; k < hostile.size(); k++) {
                            String op = hostile.get((first + k) % hostile.size());
                            hostileCall(runner, op, wrong, hostileStopped);
                          }
                        }
                      } finally {
                        hostileLeft.countDown();
                      }
                    }));
      }
      for (int t = 0; t < BENIGN_THREADS; t++) {
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      for (int n = 0; !hostileDone.get() || n < 20; n++) {
                        try {
                          Object out = runner.run(benign, Map.of("n", n), Duration.ofSeconds(10));
                          if (String.valueOf(out).equals("{n=" + n + ", len=2000}")) {
                            benignOk.incrementAndGet();
                          } else {
                            wrong.add("benign call answered " + out);
                          }
                        } catch (Throwable e) {
                          wrong.add("benign call failed: " + e);
                        }
                      }
                    }));
      }
      assertTrue(hostileLeft.await(5, TimeUnit.MINUTES), "the hostile calls ended");
      hostileDone.set(true);
      for (Thread t : threads) {
        t.join(TimeUnit.MINUTES.toMillis(1));
      }
      assertEquals(List.of(), List.copyOf(wrong));
      assertEquals(HOSTILE_THREADS * ROUNDS * hostile.size(), hostileStopped.get());
      assertTrue(benignOk.get() >= BENIGN_THREADS * 20, "benign calls: " + benignOk.get());
    }
  }

  @Test
  void ordinarySizesStillWork() throws Exception {
    try (CodeRunner runner =
        new CodeRunner(
            CodeRunner.Config.defaults()
                .withPythonWorkers(0)
                .withJsMaxAllocation(32L * 1024 * 1024))) {
      Object out =
          runner.run(
              block(
                  "ok.js",
                  "function main(i) { var b = new Float64Array(100000); b.fill(2);"
                      + " var a = new Array(1000).fill(1); var s = 'ab'.repeat(100000);"
                      + " return [b.length, b[5], a.length, s.length, 'x'.padStart(5, '-'),"
                      + " new Uint8Array([1, 2, 3]).length, Array(3).join('-'), new Array(2, 3).length]; }"),
              Map.of(),
              Duration.ofSeconds(10));
      assertEquals("[100000, 2, 1000, 200000, ----x, 3, --, 2]", String.valueOf(out));
    }
  }

  @Test
  void aBlockCannotPutTheUncheckedOriginalsBack() throws Exception {
    try (CodeRunner runner =
        new CodeRunner(
            CodeRunner.Config.defaults()
                .withPythonWorkers(0)
                .withJsMaxAllocation(32L * 1024 * 1024))) {
      // every way back to an original: assignment, redefinition, the prototype's constructor
      String[] attempts = {
        "String.prototype.repeat = function () { return 'x'; }; return 'x'.repeat(1 << 28).length;",
        "try { Object.defineProperty(Array.prototype, 'fill', {value: function () {}}); }"
            + " catch (e) {} return new Array(50000000).fill(1).length;",
        "ArrayBuffer = function () {}; return new ArrayBuffer(400000000).byteLength;",
        "var B = Object.getPrototypeOf(new ArrayBuffer(8)).constructor;"
            + " return new B(400000000).byteLength;",
        "var T = new Float64Array(1).constructor; return new T(50000000).length;",
        "return Reflect.construct(Uint8Array, [400000000]).length;",
        "class Big extends Uint8Array {} return new Big(400000000).length;",
        "delete String.prototype.padEnd; return ''.padEnd(1 << 28).length;"
      };
      for (String attempt : attempts) {
        CodeFailure e =
            assertThrows(
                CodeFailure.class,
                () ->
                    runner.run(
                        block("sly.js", "function main(i) { " + attempt + " }"),
                        Map.of(),
                        Duration.ofSeconds(10)),
                attempt);
        assertEquals(CodeFailure.Kind.MEMORY, e.kind(), attempt + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("one operation would allocate"), e.getMessage());
      }
      // what stays as it was: identity, instanceof, subclassing, names
      Object same =
          runner.run(
              block(
                  "same.js",
                  "function main(i) { class Small extends Uint8Array {}"
                      + " return [new Uint8Array(2) instanceof Uint8Array,"
                      + " new Uint8Array(2).constructor === Uint8Array,"
                      + " new Small(3) instanceof Uint8Array, new Small(3).length,"
                      + " ArrayBuffer.isView(new Float32Array(1)), [].fill.name, 'a'.repeat.name,"
                      + " Float64Array.from([1, 2]).length, Uint8Array.of(1, 2, 3).length]; }"),
              Map.of(),
              Duration.ofSeconds(10));
      assertEquals("[true, true, true, 3, true, fill, repeat, 2, 3]", String.valueOf(same));
    }
  }

  private static void hostileCall(
      CodeRunner runner, String op, Queue<String> wrong, AtomicInteger stopped) {
    try {
      Object out =
          runner.run(
              block("hostile.js", "function main(i) { var big = " + op + "; return big.length; }"),
              Map.of(),
              Duration.ofSeconds(10));
      wrong.add(op + " was not stopped: " + out);
    } catch (CodeFailure e) {
      // stopped before the heap filled: not "ran out of resources (Java heap space)"
      boolean refused =
          (e.kind() == CodeFailure.Kind.MEMORY && e.getMessage().contains(": stopped: "))
              || (e.kind() == CodeFailure.Kind.ERROR && e.getMessage().contains("RangeError"));
      if (refused) {
        stopped.incrementAndGet();
      } else {
        wrong.add(op + " failed as " + e.kind() + ": " + e.getMessage());
      }
    } catch (Throwable e) {
      wrong.add(op + " broke the runner: " + e);
    }
  }

  private static CodeSource block(String file, String text) {
    return new CodeSource("connections/org/code/" + file, Language.JAVASCRIPT, text);
  }
}
