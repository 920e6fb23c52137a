package dev.conduit.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.conduit.compiler.diag.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps docs/diagnostics.md true: every code is documented under its own name and severity. */
class DocsTest {

  @Test
  void everyDiagnosticCodeIsDocumented() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "diagnostics.md"));
    List<String> missing =
        Arrays.stream(Code.values())
            .filter(
                c ->
                    !doc.contains(
                        "| <a id=\""
                            + c.name().toLowerCase()
                            + "\"></a>"
                            + c.name()
                            + " | "
                            + c.slug()
                            + " | "
                            + c.defaultSeverity().label()
                            + " |"))
            .map(Code::name)
            .toList();
    assertEquals(List.of(), missing, "regenerate or edit docs/diagnostics.md");
  }
}
