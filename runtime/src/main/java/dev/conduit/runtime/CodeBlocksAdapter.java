package dev.conduit.runtime;

import dev.conduit.runtime.invoke.CodeBlocks;

/** Connects the invoke engine to the code-block engines (GraalJS, Jython workers). */
final class CodeBlocksAdapter {
  private CodeBlocksAdapter() {}

  static CodeBlocks create() {
    return (block, input) -> {
      throw new CodeBlocks.Failure(block.file() + ": code blocks are not available in this runtime build");
    };
  }
}
