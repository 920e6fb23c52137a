package dev.conduit.compiler.cli;

import dev.conduit.compiler.library.Catalog;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code conduit library list}: every entry, newest version. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List the public library's entries (newest versions).")
class LibraryListCommand extends Conduit.Base implements Callable<Integer> {

  @Mixin LibraryOptions library;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text or json. Default: ${DEFAULT-VALUE}.")
  String format;

  String text() {
    return "";
  }

  @Override
  public Integer call() throws Exception {
    if (!format.equals("text") && !format.equals("json")) {
      throw new UsageProblem("--format is text or json, not \"" + format + "\"");
    }
    List<Catalog.Entry> found = library.catalog().search(text());
    if (format.equals("json")) {
      var json = JsonFileEdit.mapper().createArrayNode();
      for (Catalog.Entry e : found) {
        var o =
            json.addObject()
                .put("id", e.id())
                .put("version", e.version())
                .put("name", e.name())
                .put("summary", e.summary());
        e.categories().forEach(o.putArray("categories")::add);
        e.versions().forEach(o.putArray("versions")::add);
      }
      out.println(
          JsonFileEdit.mapper()
              .writeValueAsString(JsonFileEdit.mapper().createObjectNode().set("entries", json)));
      return Conduit.OK;
    }
    for (Catalog.Entry e : found) {
      String summary =
          e.summary().length() > 80 ? e.summary().substring(0, 77) + "..." : e.summary();
      out.printf("%-40s %-8s %s%n", e.id(), e.version(), summary);
    }
    out.println(found.size() + " entries");
    return Conduit.OK;
  }
}
