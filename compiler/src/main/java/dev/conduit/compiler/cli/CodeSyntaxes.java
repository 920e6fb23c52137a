package dev.conduit.compiler.cli;

import dev.conduit.code.CodeSource;
import dev.conduit.code.Language;
import dev.conduit.code.languages.CodeChecker;
import dev.conduit.compiler.check.CodeSyntax;
import dev.conduit.compiler.codecache.CacheDirectory;
import dev.conduit.compiler.codecache.CachedCodeSyntax;
import dev.conduit.compiler.codecache.CheckerVersion;
import dev.conduit.compiler.codecache.CodeCheckStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The code-block syntax check the CLI uses: the real engines (GraalJS, Jython). */
public final class CodeSyntaxes {
  private CodeSyntaxes() {}

  /**
   * What validate, compile and diff use, and the console's proposals in the runtime: the engines
   * behind the code-check cache ({@link CacheDirectory}: {@code CONDUIT_CACHE=DIR|off}), so that
   * unchanged code files start no engine.
   */
  public static CodeSyntax forCommands() {
    Optional<Path> directory =
        CacheDirectory.codeChecks(System.getenv(), System.getProperty("user.home"));
    if (directory.isEmpty()) {
      return engines();
    }
    return new CachedCodeSyntax(
        engines(), new CodeCheckStore(directory.get()), CheckerVersion.current());
  }

  /**
   * One checker per language: a checker serialises its checks, and two let the compiler check
   * JavaScript and Python files at the same time, each engine on its own thread.
   */
  public static CodeSyntax engines() {
    CodeChecker javascript = new CodeChecker();
    CodeChecker python = new CodeChecker();
    return new CodeSyntax() {
      @Override
      public List<Problem> check(String file, String language, String source) {
        Language lang = "python".equals(language) ? Language.PYTHON : Language.JAVASCRIPT;
        CodeChecker checker = lang == Language.PYTHON ? python : javascript;
        return checker.check(new CodeSource(file, lang, source)).stream()
            .map(p -> new Problem(p.line(), p.column(), p.message(), p.missingMain()))
            .toList();
      }

      @Override
      public void prepare(String language) {
        // the checker starts its engine on first use: a one-line block is the cheapest use
        check(
            "prepare",
            language,
            "python".equals(language)
                ? "def main(input):\n    return input\n"
                : "function main(input) { return input; }\n");
      }
    };
  }
}
