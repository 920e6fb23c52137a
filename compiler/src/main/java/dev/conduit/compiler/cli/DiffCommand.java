package dev.conduit.compiler.cli;

import dev.conduit.bundle.Bundle;
import dev.conduit.compiler.Compiler;
import dev.conduit.compiler.diag.Diagnostic;
import dev.conduit.compiler.diff.BundleDiff;
import dev.conduit.compiler.diff.Change;
import dev.conduit.compiler.diff.DiffReport;
import dev.conduit.compiler.diff.LibraryChanges;
import dev.conduit.compiler.diff.PublicLibraryChanges;
import dev.conduit.compiler.library.Installs;
import dev.conduit.compiler.library.Installs.Install;
import dev.conduit.compiler.source.DirectorySource;
import dev.conduit.compiler.source.GitSource;
import dev.conduit.compiler.source.SourceTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
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
      "In a checkout of Conduit itself (library/entries/, no organization.json), it names the",
      "public library entry versions changed and the installs each reaches: those of the",
      "organization repositories inside the checkout and of each --installs DIR.",
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

  @Option(
      names = "--installs",
      paramLabel = "DIR",
      description =
          "An organization repository whose public library installs a library change may reach"
              + " (repeatable; those inside the Git repository are always read, at the head).")
  List<Path> installs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (!format.equals("markdown") && !format.equals("json")) {
      throw new UsageProblem("--format takes markdown or json, not \"" + format + "\"");
    }
    Compiler compiler = new Compiler(CodeSyntaxes.forCommands());
    Side b = side(compiler, base);
    Side h = side(compiler, head);
    List<Change> changes = new ArrayList<>();
    if (b.organization || h.organization) {
      if (b.bundle == null) {
        throw new UsageProblem(
            "the base " + base + " cannot be resolved (no valid organization.json)");
      }
      if (h.bundle == null) {
        throw new UsageProblem(
            "the head " + head + " cannot be resolved (no valid organization.json)");
      }
      changes.addAll(BundleDiff.between(b.bundle, h.bundle));
      changes.addAll(LibraryChanges.between(b.library, h.library, h.bundle));
    } else if (b.publicLibrary.isEmpty() && h.publicLibrary.isEmpty()) {
      throw new UsageProblem(
          git
              + " holds neither an organization repository (organization.json) nor the public"
              + " library ("
              + PublicLibraryChanges.PREFIX
              + ") at "
              + head);
    } else {
      List<Install> known = new ArrayList<>(h.installs);
      for (Path dir : installs) {
        known.addAll(installsIn(dir));
      }
      changes.addAll(PublicLibraryChanges.between(b.publicLibrary, h.publicLibrary, known));
    }
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
   * @param organization whether the tree is an organization repository (organization.json)
   * @param library every file under library/ (the organization library) with its content hash
   * @param publicLibrary in a checkout of Conduit, every file under library/entries/ with its hash
   * @param installs in a checkout of Conduit, the public installs of the organizations inside it
   */
  private record Side(
      boolean organization,
      Bundle bundle,
      String commit,
      List<String> errors,
      Map<String, String> library,
      Map<String, String> publicLibrary,
      List<Install> installs) {}

  private Side side(Compiler compiler, String ref) throws Exception {
    try (SourceTree tree = GitSource.open(git, ref)) {
      String commit = tree.commit().orElseThrow();
      if (!tree.paths().contains("organization.json")) {
        return new Side(
            false,
            null,
            commit,
            List.of(),
            Map.of(),
            hashes(tree, PublicLibraryChanges.PREFIX),
            installsOf(tree));
      }
      Compiler.Result r = compiler.compile(tree);
      List<String> errors =
          r.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::message).toList();
      return new Side(
          true,
          r.resolved().orElse(null),
          commit,
          errors,
          hashes(tree, "library/"),
          Map.of(),
          List.of());
    }
  }

  private static Map<String, String> hashes(SourceTree tree, String prefix) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (String path : tree.paths()) {
      if (path.startsWith(prefix)) {
        out.put(
            path,
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tree.read(path))));
      }
    }
    return out;
  }

  private static List<Install> installsOf(SourceTree tree) throws Exception {
    try {
      return Installs.in(tree, "");
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(e.getMessage());
    }
  }

  private static List<Install> installsIn(Path dir) throws Exception {
    if (!Files.isRegularFile(dir.resolve("organization.json"))) {
      throw new UsageProblem(
          "--installs " + dir + " is not an organization repository (no organization.json)");
    }
    try (SourceTree tree = DirectorySource.open(dir)) {
      return Installs.in(tree, dir.toString());
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(e.getMessage());
    }
  }

  private static String shortId(String commit) {
    return commit.substring(0, Math.min(10, commit.length()));
  }
}
