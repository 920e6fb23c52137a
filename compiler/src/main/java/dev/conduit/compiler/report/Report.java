package dev.conduit.compiler.report;

import dev.conduit.compiler.diag.Diagnostic;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * One output format of {@code conduit validate}. Every format gets the same values: the diagnostics
 * in report order and the repository files with their text.
 */
public interface Report {

  /**
   * @param files repository path -&gt; text, for every file the compiler read
   */
  void write(List<Diagnostic> diagnostics, Map<String, String> files, PrintStream out);

  /** The formats, by their --format names. */
  enum Format {
    text,
    json,
    sarif,
    junit;

    public Report report(boolean color) {
      return switch (this) {
        case text -> new TextReport(color);
        case json -> new JsonReport();
        case sarif -> new SarifReport();
        case junit -> new JunitReport();
      };
    }
  }
}
