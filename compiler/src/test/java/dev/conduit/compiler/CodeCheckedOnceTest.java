package dev.conduit.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.source.DirectorySource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A code file that several APIs use is parsed once, and its problems are reported once. */
class CodeCheckedOnceTest {

  @TempDir Path temp;

  @Test
  void aSharedCodeFileIsCheckedOnceAndReportedOnce() throws Exception {
    Path repo = TestRepos.copyExample(temp.resolve("repo"));
    // latest-rates already uses this after block; convert now uses it too
    TestRepos.apply(
        repo,
        TestRepos.mapper()
            .readTree(
                "{\"file\":\"connections/exchange-rates/apis/convert.json\","
                    + "\"pointer\":\"/after\",\"value\":{\"file\":\"code/restructure-rates.js\"}}"));
    String shared = "connections/exchange-rates/code/restructure-rates.js";
    Map<String, Integer> checks = new ConcurrentHashMap<>();
    CodeSyntax counting =
        (file, language, source) -> {
          checks.merge(file, 1, Integer::sum);
          return file.equals(shared)
              ? List.of(new CodeSyntax.Problem(2, 3, "broken on purpose", false))
              : List.of();
        };

    Compiler.Result result;
    try (var tree = DirectorySource.open(repo)) {
      result = new Compiler(counting).compile(tree);
    }

    assertEquals(1, checks.get(shared), "checked once for its two APIs");
    checks.forEach((file, count) -> assertEquals(1, count, file));
    assertEquals(
        1,
        result.diagnostics().stream()
            .filter(d -> d.code() == Code.C216 && d.file().equals(shared))
            .count());
  }
}
