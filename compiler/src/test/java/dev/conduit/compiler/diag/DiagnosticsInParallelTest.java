package dev.conduit.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The parallel resolve and check report as a serial loop would: same diagnostics, same order, ties
 * in {@link Diagnostic#ORDER} included (those keep the order they were added in).
 */
class DiagnosticsInParallelTest {

  /** Two diagnostics per item that tie in the sort order (they differ only in their pointer). */
  private static String report(int item, Diagnostics out) {
    for (String pointer : List.of("/b" + item, "/a" + item)) {
      out.add(
          new Diagnostic(
              Code.C201, Code.C201.defaultSeverity(), "same.json", 1, 1, pointer, "tie", null));
    }
    return "result " + item;
  }

  @Test
  void reportsAndResultsComeInTheItemsOrder() {
    List<Integer> items = IntStream.range(0, 2000).boxed().toList();
    Diagnostics serial = new Diagnostics();
    List<String> serialResults = items.stream().map(i -> report(i, serial)).toList();

    Diagnostics parallel = new Diagnostics();
    List<String> parallelResults =
        parallel.eachInParallel(items, DiagnosticsInParallelTest::report);

    assertEquals(serialResults, parallelResults);
    assertEquals(serial.sorted(), parallel.sorted());
    assertEquals(4000, parallel.sorted().size());
  }
}
