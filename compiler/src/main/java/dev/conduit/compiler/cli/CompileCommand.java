package dev.conduit.compiler.cli;

import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.emit.BundleFile;
import dev.conduit.compiler.report.Report;
import dev.conduit.compiler.source.SourceTree;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code conduit compile}: the runtime bundle, only when the repository has no error. */
@Command(
    name = "compile",
    mixinStandardHelpOptions = true,
    description = {
      "Compile an organization repository into the runtime bundle (one JSON file).",
      "The same tree gives the same bytes. Nothing is written when there are errors (exit 1)."
    })
final class CompileCommand extends Conduit.Base implements Callable<Integer> {

  @Mixin RepositoryOptions repository;

  @Mixin RedirectUris redirectUris;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "BUNDLE",
      required = true,
      description = "Where to write the bundle, e.g. build/acme.bundle.json.")
  Path output;

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      defaultValue = "auto",
      description = "Colour diagnostics: auto, always, never.")
  String color;

  @Override
  public Integer call() throws Exception {
    try (SourceTree tree = repository.open()) {
      Compiler.Result result = new Compiler(CodeSyntaxes.forCommands()).compile(tree);
      if (!result.diagnostics().isEmpty()) {
        Report.Format.text
            .report(Colors.enabled(color))
            .write(result.diagnostics(), result.files(), err);
      }
      if (result.bundle().isEmpty()) {
        err.println("conduit: no bundle written: fix the errors above");
        return Conduit.ERRORS;
      }
      byte[] bytes = BundleFile.write(result.bundle().get(), output);
      redirectUris.print(result.bundle(), err);
      err.println(
          "wrote "
              + output
              + " ("
              + bytes.length
              + " bytes, "
              + result.bundle().get().connections().size()
              + " connections)");
      return Conduit.OK;
    }
  }
}
