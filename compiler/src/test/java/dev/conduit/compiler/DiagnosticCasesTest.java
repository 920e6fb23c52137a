package dev.conduit.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.compiler.cli.CodeSyntaxes;
import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.diag.Severity;
import dev.conduit.compiler.source.DirectorySource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * One broken repository per diagnostic code: each folder of src/test/resources/cases holds a
 * case.json with edits to the example repository and the exact diagnostics they must cause (code,
 * file and JSON pointer) — no more, no fewer, so follow-on noise fails too.
 */
class DiagnosticCasesTest {

  static final Path CASES = Path.of("src", "test", "resources", "cases");

  @TempDir Path temp;

  @Test
  void theExampleRepositoryIsClean() throws Exception {
    Compiler.Result result = compile(TestRepos.EXAMPLE);
    assertEquals(
        List.of(), result.diagnostics().stream().map(DiagnosticCasesTest::describe).toList());
    assertTrue(result.bundle().isPresent());
  }

  @Test
  void theSecondExampleOrganizationIsClean() throws Exception {
    Compiler.Result result =
        compile(TestRepos.EXAMPLE.resolveSibling("examples").resolve("globex-repo"));
    assertEquals(
        List.of(), result.diagnostics().stream().map(DiagnosticCasesTest::describe).toList());
  }

  @TestFactory
  Stream<DynamicTest> eachCaseReportsExactlyItsDiagnostics() throws IOException {
    return caseFolders()
        .map(
            folder ->
                DynamicTest.dynamicTest(
                    folder.getFileName().toString(),
                    () -> {
                      JsonNode spec =
                          TestRepos.mapper()
                              .readTree(Files.readString(folder.resolve("case.json")));
                      Path repo = TestRepos.copyExample(Files.createTempDirectory(temp, "case"));
                      for (JsonNode edit : spec.get("edits")) {
                        TestRepos.apply(repo, edit);
                      }
                      // a case may compile as a runtime source bound to an organization would
                      OrganizationBinding binding =
                          spec.has("organizationBinding")
                              ? OrganizationBinding.to(spec.get("organizationBinding").asString())
                              : OrganizationBinding.NONE;
                      Compiler.Result result = compile(repo, binding);
                      Set<String> expected = new TreeSet<>();
                      Set<String> withPointer = new TreeSet<>();
                      for (JsonNode e : spec.get("expect")) {
                        String key = e.get("code").asString() + " " + e.get("file").asString();
                        if (e.has("pointer")) {
                          key += " " + e.get("pointer").asString();
                          withPointer.add(
                              e.get("code").asString() + " " + e.get("file").asString());
                        }
                        expected.add(key);
                      }
                      Set<String> actual =
                          result.diagnostics().stream()
                              .filter(d -> d.severity() != Severity.NOTE)
                              .map(
                                  d -> {
                                    String key = d.code() + " " + d.file();
                                    return withPointer.contains(key)
                                        ? key + " " + d.pointer()
                                        : key;
                                  })
                              .collect(Collectors.toCollection(TreeSet::new));
                      assertEquals(
                          expected,
                          actual,
                          () ->
                              spec.get("description").asString()
                                  + "\nall diagnostics:\n"
                                  + result.diagnostics().stream()
                                      .map(DiagnosticCasesTest::describe)
                                      .collect(Collectors.joining("\n")));
                    }));
  }

  @Test
  void everyCodeHasACase() throws IOException {
    Set<Code> covered = EnumSet.noneOf(Code.class);
    try (Stream<Path> folders = caseFolders()) {
      for (Path folder : folders.toList()) {
        JsonNode spec = TestRepos.mapper().readTree(Files.readString(folder.resolve("case.json")));
        spec.get("expect").forEach(e -> covered.add(Code.valueOf(e.get("code").asString())));
      }
    }
    Set<Code> missing = EnumSet.complementOf(EnumSet.copyOf(covered));
    assertEquals(Set.of(), missing, "codes without a case in " + CASES);
  }

  static Stream<Path> caseFolders() throws IOException {
    return Files.list(CASES).filter(Files::isDirectory).sorted();
  }

  static Compiler.Result compile(Path repo) throws Exception {
    return compile(repo, OrganizationBinding.NONE);
  }

  static Compiler.Result compile(Path repo, OrganizationBinding binding) throws Exception {
    try (var tree = DirectorySource.open(repo)) {
      return new Compiler(CodeSyntaxes.engines()).compile(tree, binding);
    }
  }

  static String describe(Diagnostic d) {
    return d.file()
        + ":"
        + d.line()
        + ":"
        + d.column()
        + " "
        + d.severity().label()
        + "["
        + d.code()
        + "] "
        + d.pointer()
        + " "
        + d.message();
  }
}
