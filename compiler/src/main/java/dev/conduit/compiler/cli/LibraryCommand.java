package dev.conduit.compiler.cli;

import picocli.CommandLine.Command;

/** {@code conduit library}: browse, install and upgrade public library entries. */
@Command(
    name = "library",
    mixinStandardHelpOptions = true,
    description =
        "Browse the public API library, install an entry into a repository, upgrade an install, submit a connection to the organization library.")
final class LibraryCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(),
        "name a subcommand: list, search, show, install, upgrade, submit, versions or index");
  }
}
