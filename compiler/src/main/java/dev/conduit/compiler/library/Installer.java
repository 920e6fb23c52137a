package dev.conduit.compiler.library;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An install: the connection.json that holds only the installer's own part (the entry and version,
 * parameters to fill, the APIs enabled). The template's auth and requests stay in the library,
 * read-only.
 */
public final class Installer {

  private Installer() {}

  /** Which library an install names in {@code installedFrom.library}. */
  public static final String PUBLIC = "public";

  /** An entry of the organization's own library (library/ENTRY/ of its repository). */
  public static final String ORGANIZATION = "organization";

  /** An install from the public library ({@code conduit library install}). */
  public static ObjectNode connection(Catalog.Entry entry, String id, List<String> apis) {
    return connection(entry, id, apis, PUBLIC);
  }

  /**
   * @param apis the API ids to enable; empty enables every API of the entry
   * @param library {@link #PUBLIC} or {@link #ORGANIZATION}
   * @throws IllegalArgumentException naming a bad connection id or an API the entry lacks
   */
  public static ObjectNode connection(
      Catalog.Entry entry, String id, List<String> apis, String library) {
    if (!Names.isId(id)) {
      throw new IllegalArgumentException(
          "\"" + id + "\" cannot be a connection id: lower-case letters, digits and hyphens");
    }
    List<String> known = entry.apis().stream().map(Catalog.Api::id).toList();
    List<String> unknown = new ArrayList<>(apis);
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          entry.id()
              + "@"
              + entry.version()
              + " has no API "
              + String.join(", ", unknown)
              + " (its APIs: "
              + String.join(", ", known)
              + ")");
    }
    ObjectNode c = JsonMapper.builder().build().createObjectNode();
    c.put("$schema", "https://conduit.dev/schemas/v1/connection.schema.json");
    c.put("id", id);
    c.put("name", entry.name());
    ObjectNode from = c.putObject("installedFrom");
    from.put("entry", entry.id()).put("version", entry.version()).put("library", library);
    ArrayNode params = c.putArray("parameters");
    for (Catalog.Parameter p : entry.parameters()) {
      ObjectNode own = params.addObject().put("name", p.name());
      if (p.hidden()) {
        own.put("hidden", true); // sealed later: conduit seal
      }
    }
    ArrayNode enabled = c.putArray("enabledApis");
    (apis.isEmpty() ? known : apis).forEach(enabled::add);
    return c;
  }

  /** What the installer still has to do, one line each (the seal commands for hidden values). */
  public static List<String> toFill(Catalog.Entry entry, String id, String repo) {
    List<String> lines = new ArrayList<>();
    for (Catalog.Parameter p : entry.parameters()) {
      String what = p.description() == null ? "" : "  # " + p.description().replaceAll("\\s+", " ");
      if (what.length() > 120) {
        what = what.substring(0, 117) + "...";
      }
      lines.add(
          p.hidden()
              ? "printf '%s' 'VALUE' | conduit seal --connection "
                  + id
                  + " --parameter "
                  + p.name()
                  + " "
                  + repo
                  + what
              : "fill \"value\" of parameter "
                  + p.name()
                  + " in connections/"
                  + id
                  + "/connection.json"
                  + what);
    }
    return lines;
  }
}
