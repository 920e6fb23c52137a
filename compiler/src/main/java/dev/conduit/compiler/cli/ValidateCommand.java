package dev.conduit.compiler.cli;

import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.report.Report;
import dev.conduit.compiler.source.SourceTree;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code conduit validate}: every problem of the repository, in one run. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check an organization repository: schemas, references, grants, code blocks, sealed secrets.",
      "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 bad usage."
    })
final class ValidateCommand extends Conduit.Base implements Callable<Integer> {

  @Mixin RepositoryOptions repository;

  @Mixin RedirectUris redirectUris;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default), json, sarif (GitHub code scanning) or junit.")
  Report.Format format;

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      defaultValue = "auto",
      description = "Colour the text format: auto (on a terminal), always, never.")
  String color;

  @Option(names = "--warnings-as-errors", description = "Exit with 1 on warnings too.")
  boolean strict;

  @Override
  public Integer call() throws Exception {
    try (SourceTree tree = repository.open()) {
      Compiler.Result result = new Compiler(CodeSyntaxes.forCommands()).compile(tree);
      format.report(Colors.enabled(color)).write(result.diagnostics(), result.files(), out);
      redirectUris.print(result.resolved(), err);
      boolean failed = result.hasErrors() || (strict && !result.diagnostics().isEmpty());
      return failed ? Conduit.ERRORS : Conduit.OK;
    }
  }
}
