package dev.conduit.compiler.library;

import dev.conduit.compiler.source.SourceTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public library installs of the organization repositories in a tree: every folder holding an
 * {@code organization.json} (the tree's root, or folders inside it, as the Conduit repository holds
 * its examples), and its connections whose {@code installedFrom} names the public library.
 */
public final class Installs {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern CONNECTION =
      Pattern.compile("(?:(.+)/)?connections/([^/]+)/connection\\.json");

  /**
   * One connection installed from the public library.
   *
   * @param repository the organization repository, as the caller names it
   * @param enabledApis the template APIs it enables (only those run)
   */
  public record Install(
      String repository,
      String connection,
      String entry,
      String version,
      List<String> enabledApis) {

    /** "connections/io in connections-repo". */
    public String where() {
      return "connections/" + connection + " in " + repository;
    }
  }

  private Installs() {}

  /**
   * @param label how to name the tree's root repository (a folder inside it is named label/folder,
   *     or just folder when label is empty)
   * @throws IllegalArgumentException naming a connection.json that is not readable JSON
   */
  public static List<Install> in(SourceTree tree, String label) throws IOException {
    List<String> paths = tree.paths();
    List<Install> out = new ArrayList<>();
    for (String path : paths) {
      Matcher m = CONNECTION.matcher(path);
      if (!m.matches()) {
        continue;
      }
      String folder = m.group(1) == null ? "" : m.group(1);
      if (!paths.contains(folder.isEmpty() ? "organization.json" : folder + "/organization.json")) {
        continue; // not an organization repository's connection (a library entry, say)
      }
      JsonNode connection;
      try {
        connection = JSON.readTree(tree.read(path));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            path + " in " + tree.origin() + " is not readable JSON (run conduit validate)");
      }
      JsonNode from = connection.path("installedFrom");
      if (!from.has("entry") || !"public".equals(from.path("library").asString("public"))) {
        continue;
      }
      List<String> enabled = new ArrayList<>();
      connection.path("enabledApis").forEach(n -> enabled.add(n.asString()));
      String repository =
          folder.isEmpty() ? label : label.isEmpty() ? folder : label + "/" + folder;
      out.add(
          new Install(
              repository,
              m.group(2),
              from.path("entry").asString(),
              from.path("version").asString(),
              List.copyOf(enabled)));
    }
    return out;
  }
}
