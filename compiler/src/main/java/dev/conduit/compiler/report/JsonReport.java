package dev.conduit.compiler.report;

import dev.conduit.compiler.diag.Diagnostic;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * For tools: {@code
 * {"diagnostics":[{"code","severity","file","line","column","pointer","message","hint"}]}}.
 */
final class JsonReport implements Report {

  static final JsonMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  @Override
  public void write(List<Diagnostic> diagnostics, Map<String, String> files, PrintStream out) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Diagnostic d : diagnostics) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("code", d.code().name());
      m.put("severity", d.severity().label());
      m.put("file", d.file());
      m.put("line", d.line());
      m.put("column", d.column());
      m.put("pointer", d.pointer());
      m.put("message", d.message());
      if (d.hint() != null) {
        m.put("hint", d.hint());
      }
      list.add(m);
    }
    out.println(MAPPER.writeValueAsString(Map.of("diagnostics", list)));
  }
}
