package dev.conduit.compiler.report;

import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostic;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SARIF 2.1.0, which GitHub code scanning shows as annotations on a pull request. */
final class SarifReport implements Report {

  @Override
  public void write(List<Diagnostic> diagnostics, Map<String, String> files, PrintStream out) {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Code c : Code.values()) {
      rules.add(
          map(
              "id",
              c.name(),
              "name",
              c.slug(),
              "shortDescription",
              map("text", c.summary()),
              "defaultConfiguration",
              map("level", level(c.defaultSeverity().label()))));
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (Diagnostic d : diagnostics) {
      Map<String, Object> physical = new LinkedHashMap<>();
      physical.put(
          "artifactLocation",
          map("uri", d.file() == null ? "." : d.file(), "uriBaseId", "%SRCROOT%"));
      if (d.line() > 0) {
        Map<String, Object> region = new LinkedHashMap<>();
        region.put("startLine", d.line());
        if (d.column() > 0) {
          region.put("startColumn", d.column());
        }
        physical.put("region", region);
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("ruleId", d.code().name());
      result.put("ruleIndex", d.code().ordinal());
      result.put("level", level(d.severity().label()));
      result.put(
          "message",
          map("text", d.hint() == null ? d.message() : d.message() + " (hint: " + d.hint() + ")"));
      result.put("locations", List.of(map("physicalLocation", physical)));
      results.add(result);
    }
    Map<String, Object> run =
        map("tool", map("driver", map("name", "conduit", "rules", rules)), "results", results);
    Map<String, Object> sarif =
        map(
            "$schema", "https://json.schemastore.org/sarif-2.1.0.json",
            "version", "2.1.0",
            "runs", List.of(run));
    out.println(JsonReport.MAPPER.writeValueAsString(sarif));
  }

  private static String level(String severity) {
    return switch (severity) {
      case "error" -> "error";
      case "warning" -> "warning";
      default -> "note";
    };
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
