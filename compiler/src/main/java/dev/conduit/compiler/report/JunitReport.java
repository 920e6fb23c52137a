package dev.conduit.compiler.report;

import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.diag.Severity;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JUnit XML, which most CI systems show as test results: one test case per repository file, failed
 * when the file has errors (warnings go to system-out).
 */
final class JunitReport implements Report {

  @Override
  public void write(List<Diagnostic> diagnostics, Map<String, String> files, PrintStream out) {
    Map<String, List<Diagnostic>> byFile = new TreeMap<>();
    files.keySet().forEach(f -> byFile.put(f, new ArrayList<>()));
    for (Diagnostic d : diagnostics) {
      byFile
          .computeIfAbsent(d.file() == null ? "(repository)" : d.file(), k -> new ArrayList<>())
          .add(d);
    }
    long failures =
        byFile.values().stream().filter(l -> l.stream().anyMatch(Diagnostic::isError)).count();
    out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.println(
        "<testsuites name=\"conduit validate\" tests=\""
            + byFile.size()
            + "\" failures=\""
            + failures
            + "\">");
    out.println(
        "  <testsuite name=\"conduit validate\" tests=\""
            + byFile.size()
            + "\" failures=\""
            + failures
            + "\" errors=\"0\" skipped=\"0\">");
    for (Map.Entry<String, List<Diagnostic>> e : byFile.entrySet()) {
      List<Diagnostic> errors = e.getValue().stream().filter(Diagnostic::isError).toList();
      List<Diagnostic> others =
          e.getValue().stream().filter(d -> d.severity() != Severity.ERROR).toList();
      out.print("    <testcase classname=\"conduit.validate\" name=\"" + xml(e.getKey()) + "\"");
      if (errors.isEmpty() && others.isEmpty()) {
        out.println("/>");
        continue;
      }
      out.println(">");
      if (!errors.isEmpty()) {
        out.println(
            "      <failure message=\""
                + xml(errors.size() + " error(s): " + errors.getFirst().message())
                + "\" type=\""
                + errors.getFirst().code()
                + "\">"
                + xml(lines(errors))
                + "</failure>");
      }
      if (!others.isEmpty()) {
        out.println("      <system-out>" + xml(lines(others)) + "</system-out>");
      }
      out.println("    </testcase>");
    }
    out.println("  </testsuite>");
    out.println("</testsuites>");
  }

  private static String lines(List<Diagnostic> list) {
    StringBuilder sb = new StringBuilder();
    for (Diagnostic d : list) {
      sb.append(d.file())
          .append(':')
          .append(d.line())
          .append(':')
          .append(d.column())
          .append(": ")
          .append(d.severity().label())
          .append('[')
          .append(d.code())
          .append("]: ")
          .append(d.message())
          .append('\n');
    }
    return sb.toString();
  }

  private static String xml(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            sb.append(' ');
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}
