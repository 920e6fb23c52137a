package dev.conduit.compiler.cli;

import dev.conduit.compiler.library.PublicLibrary;
import dev.conduit.compiler.library.Retention;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code conduit library versions [DIR...]}: which versions of the public library must stay (the
 * newest, and every version these repositories install) and which may be pruned.
 */
@Command(
    name = "versions",
    mixinStandardHelpOptions = true,
    description = {
      "Which public library versions may be pruned: a version stays while it is an entry's newest",
      "or any of the given organization repositories installs it. Lists entries with more than one",
      "version (all with --all). Exit status 1 when a repository installs a version the library lacks."
    })
final class LibraryVersionsCommand extends Conduit.Base implements Callable<Integer> {

  @Mixin LibraryOptions options;

  @Parameters(
      arity = "0..*",
      paramLabel = "DIR",
      description =
          "Organization repositories whose installs count. Default: the current directory.")
  List<Path> repos = new ArrayList<>();

  @Option(names = "--all", description = "Every entry, also those with one version.")
  boolean all;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text or json.")
  String format;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("text") && !format.equals("json")) {
      throw new UsageProblem("--format takes text or json, not \"" + format + "\"");
    }
    PublicLibrary library = options.catalog().library();
    List<Path> dirs = repos.isEmpty() ? List.of(Path.of(".")) : repos;
    List<Retention.Version> versions;
    try {
      versions = Retention.of(library, dirs);
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(e.getMessage());
    }
    Map<String, Long> count = new LinkedHashMap<>();
    versions.forEach(v -> count.merge(v.entry(), 1L, Long::sum));
    List<Retention.Version> shown =
        versions.stream().filter(v -> all || count.get(v.entry()) > 1).toList();
    List<String> missing = Retention.missing(library, dirs);
    if (format.equals("json")) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("versions", shown);
      doc.put(
          "prunable",
          versions.stream()
              .filter(Retention.Version::prunable)
              .map(v -> v.entry() + "@" + v.version())
              .toList());
      doc.put("missing", missing);
      out.println(
          JsonMapper.builder()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .build()
              .writeValueAsString(doc));
    } else {
      for (Retention.Version v : shown) {
        out.println(
            v.entry()
                + "@"
                + v.version()
                + ": "
                + (v.prunable()
                    ? "may be pruned (no install among "
                        + dirs.size()
                        + " repositor"
                        + (dirs.size() == 1 ? "y" : "ies")
                        + ")"
                    : "keep ("
                        + (v.newest() ? "newest" : "")
                        + (v.newest() && !v.installedBy().isEmpty() ? "; " : "")
                        + (v.installedBy().isEmpty()
                            ? ""
                            : "installed by " + String.join(", ", v.installedBy()))
                        + ")"));
      }
      long prunable = versions.stream().filter(Retention.Version::prunable).count();
      out.println(
          versions.size()
              + " versions of "
              + count.size()
              + " entries; "
              + prunable
              + " may be pruned");
      missing.forEach(m -> err.println("error: " + m));
    }
    return missing.isEmpty() ? Conduit.OK : Conduit.ERRORS;
  }
}
