package dev.conduit.compiler.cli;

/** The command line asks for something impossible: exit status 2, a message, no stack trace. */
final class UsageProblem extends Exception {
  UsageProblem(String message) {
    super(message);
  }
}
