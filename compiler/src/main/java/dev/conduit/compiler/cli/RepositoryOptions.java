package dev.conduit.compiler.cli;

import dev.conduit.compiler.source.DirectorySource;
import dev.conduit.compiler.source.GitSource;
import dev.conduit.compiler.source.SourceException;
import dev.conduit.compiler.source.SourceTree;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Where the repository comes from: a directory, or a commit of a Git repository. */
final class RepositoryOptions {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      description = "The organization repository (a directory). Default: the current directory.")
  Path directory;

  @Option(
      names = "--git",
      paramLabel = "REPO",
      description =
          "Read a commit of this Git repository instead of a directory (no checkout needed).")
  Path git;

  @Option(
      names = "--ref",
      paramLabel = "REF",
      defaultValue = "HEAD",
      description = "With --git: the branch, tag or commit to read. Default: ${DEFAULT-VALUE}.")
  String ref;

  SourceTree open() throws SourceException, UsageProblem {
    if (git != null && directory != null) {
      throw new UsageProblem("give a directory or --git, not both");
    }
    if (git != null) {
      return GitSource.open(git, ref);
    }
    return DirectorySource.open(directory == null ? Path.of(".") : directory);
  }
}
