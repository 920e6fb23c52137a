package dev.conduit.compiler.library;

import dev.conduit.compiler.check.Placeholders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code conduit library submit}: an organization library entry prepared from a connection (values
 * stripped, the guide filled in) and held to the seed's submission guidelines as errors: logo,
 * basic information, descriptions, API names and descriptions, no placeholder names, the guide's
 * three sections; a contact is recommended (a warning).
 */
public final class Submission {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The guide as given on the command line (null where not given). */
  public record Guide(
      String summary,
      String productIntroduction,
      String officialWebsite,
      String integrationOverview,
      String apiDocumentation,
      String contact,
      List<String> categories) {}

  /** The files to write (by path inside library/ID/), the errors and the warnings. */
  public record Result(
      Map<String, JsonNode> files,
      Map<String, String> code,
      List<String> errors,
      List<String> warnings) {}

  private Submission() {}

  public static Result prepare(Path repo, String id, String version, Guide g, String publisherLogin)
      throws IOException {
    Path folder = repo.resolve("connections").resolve(id);
    if (!Names.isId(id) || !Files.isRegularFile(folder.resolve("connection.json"))) {
      throw new IllegalArgumentException(
          "no connection \"" + id + "\" (connections/" + id + "/connection.json)");
    }
    if (!Names.isVersion(version)) {
      throw new IllegalArgumentException(
          "\"" + version + "\" is not a version (major.minor.patch)");
    }
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    ObjectNode c = (ObjectNode) JSON.readTree(Files.readString(folder.resolve("connection.json")));
    if (c.has("installedFrom")) {
      throw new IllegalArgumentException(
          "connections/"
              + id
              + " is installed from the library: submit the entry it came from instead");
    }
    c.put("$schema", "../../schemas/connection.schema.json");
    for (String own : List.of("owner", "notifications", "enabledApis")) {
      c.remove(own);
    }
    c.path("parameters")
        .forEach(
            p -> {
              ObjectNode o = (ObjectNode) p;
              if (o.has("value") || o.has("sealed")) {
                o.put("required", true); // the connection needed it: installers must give one
              }
              o.remove("value");
              o.remove("sealed");
            });
    String name = c.path("name").asString("");
    String description = c.path("description").asString("");
    String logo = c.path("logo").asString("");
    require(
        errors,
        logo.startsWith("https://")
            || (!logo.isEmpty() && Files.isRegularFile(folder.resolve(logo))),
        "the connection has no logo (connection.json logo: an https URL or a file next to it)");
    require(errors, !Placeholders.is(name), "the name \"" + name + "\" is a placeholder");
    String summary = g.summary() != null ? g.summary() : description;
    require(
        errors,
        !summary.isBlank() && !Placeholders.is(summary),
        "no summary: give --summary or a connection description");
    String intro = g.productIntroduction() != null ? g.productIntroduction() : description;
    require(
        errors,
        intro.strip().length() >= 20 && !Placeholders.is(intro),
        "the product introduction is missing or too short (--intro, 20 characters or more)");
    require(
        errors,
        g.officialWebsite() != null && g.officialWebsite().matches("https?://\\S+"),
        "the official website is missing (--website https://...)");
    require(
        errors,
        g.integrationOverview() != null && g.integrationOverview().strip().length() >= 20,
        "the integration overview is missing (--overview: how to get credentials and use the APIs, 20 characters or more)");
    if (g.contact() == null || g.contact().isBlank()) {
      warnings.add("no contact (--contact): recommended, so users can reach you about API errors");
    }
    Map<String, JsonNode> files = new LinkedHashMap<>();
    Map<String, String> code = new LinkedHashMap<>();
    files.put("connection.json", c);
    try (Stream<Path> apis =
        Files.isDirectory(folder.resolve("apis"))
            ? Files.list(folder.resolve("apis"))
            : Stream.empty()) {
      for (Path f : apis.sorted().toList()) {
        ObjectNode a = (ObjectNode) JSON.readTree(Files.readString(f));
        a.put("$schema", "../../../schemas/api.schema.json");
        String api = f.getFileName().toString();
        require(
            errors,
            !Placeholders.is(a.path("name").asString("")),
            "apis/" + api + ": the name \"" + a.path("name").asString("") + "\" is a placeholder");
        require(
            errors,
            !a.path("description").asString("").isBlank(),
            "apis/" + api + ": no description");
        files.put("apis/" + api, a);
      }
    }
    require(errors, files.size() > 1, "the connection has no APIs to publish");
    try (Stream<Path> blocks =
        Files.isDirectory(folder.resolve("code"))
            ? Files.list(folder.resolve("code"))
            : Stream.empty()) {
      for (Path f : blocks.sorted().toList()) {
        code.put("code/" + f.getFileName(), Files.readString(f));
      }
    }
    ObjectNode m = JSON.createObjectNode();
    m.put("$schema", "../../schemas/library.schema.json")
        .put("id", id)
        .put("version", version)
        .put("name", name)
        .put("summary", summary.length() > 300 ? summary.substring(0, 300) : summary);
    if (g.categories() != null && !g.categories().isEmpty()) {
      g.categories().forEach(m.putArray("categories")::add);
    }
    ObjectNode guide = m.putObject("guide");
    guide
        .put("productIntroduction", intro)
        .put("officialWebsite", String.valueOf(g.officialWebsite()))
        .put("integrationOverview", String.valueOf(g.integrationOverview()));
    if (g.apiDocumentation() != null) {
      guide.put("apiDocumentation", g.apiDocumentation());
    }
    if (g.contact() != null) {
      guide.put("contact", g.contact());
    }
    ObjectNode publisher = m.putObject("publisher").put("name", name);
    if (publisherLogin != null) {
      publisher.put("login", publisherLogin);
    }
    files.put("library.json", m);
    return new Result(files, code, errors, warnings);
  }

  private static void require(List<String> errors, boolean ok, String message) {
    if (!ok) {
      errors.add(message);
    }
  }
}
