package dev.conduit.compiler.report;

import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.diag.Severity;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * For people: {@code file:line:col: error[C204]: message}, then the source line with a caret under
 * the column and the hint; a summary at the end. Colours only when asked (a terminal).
 */
final class TextReport implements Report {

  private final boolean color;

  TextReport(boolean color) {
    this.color = color;
  }

  @Override
  public void write(List<Diagnostic> diagnostics, Map<String, String> files, PrintStream out) {
    for (Diagnostic d : diagnostics) {
      StringBuilder head = new StringBuilder();
      head.append(d.file() == null ? "conduit" : d.file());
      if (d.line() > 0) {
        head.append(':').append(d.line());
        if (d.column() > 0) {
          head.append(':').append(d.column());
        }
      }
      head.append(": ")
          .append(paint(d.severity().label() + "[" + d.code() + "]", d.severity()))
          .append(": ")
          .append(d.message());
      out.println(head);
      String line = sourceLine(files.get(d.file()), d.line());
      if (line != null) {
        String gutter = String.valueOf(d.line());
        out.println(" ".repeat(gutter.length()) + " |");
        out.println(gutter + " | " + line);
        if (d.column() > 0) {
          out.println(
              " ".repeat(gutter.length())
                  + " | "
                  + caretPad(line, d.column() - 1)
                  + paint("^", d.severity()));
        }
      }
      if (d.hint() != null) {
        out.println("  = hint: " + d.hint());
      }
      out.println();
    }
    long errors = diagnostics.stream().filter(d -> d.severity() == Severity.ERROR).count();
    long warnings = diagnostics.stream().filter(d -> d.severity() == Severity.WARNING).count();
    int count = files.size();
    if (errors == 0 && warnings == 0) {
      out.println("ok: " + count + " files, no problems");
    } else {
      out.println(
          plural(errors, "error") + ", " + plural(warnings, "warning") + " in " + count + " files");
    }
  }

  private static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  /** Spaces up to the column, keeping tabs so the caret lines up. */
  private static String caretPad(String line, int column) {
    StringBuilder pad = new StringBuilder();
    for (int i = 0; i < column && i < line.length(); i++) {
      pad.append(line.charAt(i) == '\t' ? '\t' : ' ');
    }
    return pad.toString();
  }

  private static String sourceLine(String text, int line) {
    if (text == null || line <= 0) {
      return null;
    }
    String[] lines = text.split("\n", -1);
    return line <= lines.length ? lines[line - 1].replace("\r", "") : null;
  }

  private String paint(String s, Severity severity) {
    if (!color) {
      return s;
    }
    String code =
        switch (severity) {
          case ERROR -> "\u001b[1;31m";
          case WARNING -> "\u001b[1;33m";
          case NOTE -> "\u001b[1;36m";
        };
    return code + s + "\u001b[0m";
  }
}
