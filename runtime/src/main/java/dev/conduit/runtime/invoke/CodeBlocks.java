package dev.conduit.runtime.invoke;

import dev.conduit.bundle.Api;

/**
 * Runs code blocks (JavaScript on GraalJS, Python in confined Jython workers): the engine
 * gives a block plain data and takes plain data back.
 */
public interface CodeBlocks {

  /** A block that failed: the message names the block's file and line. */
  final class Failure extends Exception {
    public Failure(String message) {
      super(message);
    }
  }

  Object run(Api.CodeBlock block, Object input) throws Failure;
}
