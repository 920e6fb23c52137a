package dev.conduit.compiler.cli;

import dev.conduit.code.CodeChecker;
import dev.conduit.code.CodeSource;
import dev.conduit.code.Language;
import dev.conduit.compiler.check.CodeSyntax;

/** The code-block syntax check the CLI uses: the real engines (GraalJS, Jython). */
public final class CodeSyntaxes {
  private CodeSyntaxes() {}

  public static CodeSyntax engines() {
    CodeChecker checker = new CodeChecker();
    return (file, language, source) -> checker.check(new CodeSource(file,
            "python".equals(language) ? Language.PYTHON : Language.JAVASCRIPT, source)).stream()
        .map(p -> new CodeSyntax.Problem(p.line(), p.column(), p.message(), p.missingMain()))
        .toList();
  }
}
