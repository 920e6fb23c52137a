package dev.conduit.compiler.cli;

import dev.conduit.compiler.library.Catalog;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code conduit library show ENTRY[@VERSION]}: the guide, parameters and APIs of an entry. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Show an entry: its guide, the parameters to fill and its APIs.")
final class LibraryShowCommand extends Conduit.Base implements Callable<Integer> {

  @Mixin LibraryOptions library;

  @Parameters(
      index = "0",
      paramLabel = "ENTRY[@VERSION]",
      description = "The entry, optionally a version (default: the newest).")
  String ref;

  @Override
  public Integer call() throws Exception {
    Catalog.Entry e;
    try {
      e = library.catalog().show(ref);
    } catch (IllegalArgumentException ex) {
      throw new UsageProblem(ex.getMessage());
    }
    out.println(
        e.name()
            + " ("
            + e.id()
            + "@"
            + e.version()
            + "; versions: "
            + String.join(", ", e.versions())
            + ")");
    out.println(e.summary());
    out.println();
    out.println("Product introduction: " + e.guide().path("productIntroduction").asString(""));
    out.println("Official website:     " + e.guide().path("officialWebsite").asString(""));
    out.println("Integration overview: " + e.guide().path("integrationOverview").asString(""));
    if (e.guide().has("apiDocumentation")) {
      out.println("API documentation:    " + e.guide().path("apiDocumentation").asString());
    }
    if (e.source().has("kind")) {
      out.println(
          "Source:               "
              + e.source().path("kind").asString()
              + " "
              + e.source().path("definition").asString(e.source().path("url").asString("")));
    }
    out.println();
    out.println("Auth: " + e.authKind());
    out.println("Parameters:");
    for (Catalog.Parameter p : e.parameters()) {
      out.println(
          "  "
              + p.name()
              + (p.hidden() ? " (hidden)" : "")
              + (p.required() ? " (required)" : "")
              + (p.description() == null ? "" : ": " + p.description()));
    }
    out.println("APIs:");
    for (Catalog.Api a : e.apis()) {
      out.println("  " + a.id() + ": " + a.name() + "  [" + a.method() + " " + a.url() + "]");
    }
    return Conduit.OK;
  }
}
