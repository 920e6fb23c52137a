package dev.conduit.compiler.cli;

import dev.conduit.compiler.check.CodeSyntax;

/** The code-block syntax check the CLI uses: the real engines. */
public final class CodeSyntaxes {
  private CodeSyntaxes() {}

  public static CodeSyntax engines() {
    return CodeSyntax.NONE; // replaced by the engine adapter once codeblocks lands
  }
}
