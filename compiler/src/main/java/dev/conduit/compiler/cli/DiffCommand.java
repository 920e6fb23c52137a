package dev.conduit.compiler.cli;

import dev.conduit.bundle.Bundle;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.diff.BundleDiff;
import dev.conduit.compiler.diff.Change;
import dev.conduit.compiler.diff.DiffReport;
import dev.conduit.compiler.diff.LibraryChanges;
import dev.conduit.compiler.source.GitSource;
import dev.conduit.compiler.source.SourceTree;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code conduit diff}: what a pull request changes, and what it breaks. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare two commits of an organization repository semantically: connections, APIs,",
      "grants and applications added, removed or changed, and which changes break a consumer.",
      "Exit status: 0 (also with breaking changes; use --fail-on-breaking), 2 bad usage."
    })
final class DiffCommand extends Conduit.Base implements Callable<Integer> {

  @Option(
      names = "--git",
      paramLabel = "REPO",
      defaultValue = ".",
      description = "The Git repository. Default: the current directory.")
  Path git;

  @Option(
      names = "--base",
      paramLabel = "REF",
      required = true,
      description = "The base commit, e.g. origin/main.")
  String base;

  @Option(
      names = "--head",
      paramLabel = "REF",
      defaultValue = "HEAD",
      description = "The head commit. Default: ${DEFAULT-VALUE}.")
  String head;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "markdown",
      description = "markdown (a PR comment) or json.")
  String format;

  @Option(
      names = "--fail-on-breaking",
      description = "Exit with 1 when a change breaks a consumer.")
  boolean failOnBreaking;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("markdown") && !format.equals("json")) {
      throw new UsageProblem("--format takes markdown or json, not \"" + format + "\"");
    }
    Compiler compiler = new Compiler(CodeSyntaxes.engines());
    Side b = side(compiler, base);
    Side h = side(compiler, head);
    if (b.bundle == null) {
      throw new UsageProblem(
          "the base " + base + " cannot be resolved (no valid organization.json)");
    }
    if (h.bundle == null) {
      throw new UsageProblem(
          "the head " + head + " cannot be resolved (no valid organization.json)");
    }
    List<Change> changes = new java.util.ArrayList<>(BundleDiff.between(b.bundle, h.bundle));
    changes.addAll(LibraryChanges.between(b.library, h.library, h.bundle));
    String baseLabel = base + " (" + shortId(b.commit) + ")";
    String headLabel = head + " (" + shortId(h.commit) + ")";
    out.print(
        format.equals("json")
            ? DiffReport.json(changes, b.commit, h.commit, h.errors) + "\n"
            : DiffReport.markdown(changes, baseLabel, headLabel, h.errors));
    return failOnBreaking && changes.stream().anyMatch(Change::isBreaking)
        ? Conduit.ERRORS
        : Conduit.OK;
  }

  /**
   * @param library every file under library/ (the organization library) with its content hash
   */
  private record Side(
      Bundle bundle, String commit, List<String> errors, Map<String, String> library) {}

  private Side side(Compiler compiler, String ref) throws Exception {
    try (SourceTree tree = GitSource.open(git, ref)) {
      Compiler.Result r = compiler.compile(tree);
      List<String> errors =
          r.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::message).toList();
      Map<String, String> library = new TreeMap<>();
      for (String path : tree.paths()) {
        if (path.startsWith("library/")) {
          library.put(
              path,
              HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(tree.read(path))));
        }
      }
      return new Side(r.resolved().orElse(null), tree.commit().orElseThrow(), errors, library);
    }
  }

  private static String shortId(String commit) {
    return commit.substring(0, Math.min(10, commit.length()));
  }
}
