package dev.conduit.compiler.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code conduit library search TEXT}: entries whose id, name, summary or categories contain TEXT.
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = "Find entries by text (id, name, summary or category; case-insensitive).")
final class LibrarySearchCommand extends LibraryListCommand {

  @Parameters(index = "0", paramLabel = "TEXT", description = "The text to look for.")
  String text;

  @Override
  String text() {
    return text;
  }
}
