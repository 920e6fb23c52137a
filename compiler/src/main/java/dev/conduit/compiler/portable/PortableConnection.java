package dev.conduit.compiler.portable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A connection as one portable file (export) and back (import). Sealed values never travel: a
 * sealed value is bound to its organization's key and to its connection and parameter, so it would
 * not open anywhere else (and the compiler reports one copied there). They are dropped and listed,
 * to be sealed again in the target. Grants and the owner are the source organization's own and stay
 * behind too.
 */
public final class PortableConnection {

  /** The format marker of an export file. */
  public static final String FORMAT = "conduit-connection/1";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** The portable file and the hidden parameters whose values stayed behind. */
  public record Exported(ObjectNode file, List<String> dropped) {}

  /** The folder written and the hidden parameters to seal there. */
  public record Imported(Path folder, List<String> toSeal) {}

  private PortableConnection() {}

  /**
   * @throws IllegalArgumentException naming what is missing or unreadable
   */
  public static Exported export(Path repo, String id) {
    Path folder = repo.resolve("connections").resolve(id);
    if (!ID.matcher(id).matches() || !Files.isRegularFile(folder.resolve("connection.json"))) {
      throw new IllegalArgumentException(
          "no connection \"" + id + "\" (connections/" + id + "/connection.json)");
    }
    ObjectNode connection = (ObjectNode) read(folder.resolve("connection.json"));
    List<String> dropped = new ArrayList<>();
    connection
        .path("parameters")
        .forEach(
            p -> {
              if (p instanceof ObjectNode o && o.has("sealed")) {
                o.remove("sealed");
                dropped.add(o.path("name").asString());
              }
            });
    connection.remove("owner");
    connection.remove("$schema");
    ObjectNode file = JSON.createObjectNode().put("format", FORMAT);
    file.set("connection", connection);
    ObjectNode apis = file.putObject("apis");
    ObjectNode code = file.putObject("code");
    for (Path p : files(folder.resolve("apis"))) {
      ObjectNode api = (ObjectNode) read(p);
      api.remove("$schema");
      apis.set(api.path("id").asString(), api);
    }
    for (Path p : files(folder.resolve("code"))) {
      try {
        code.put(p.getFileName().toString(), Files.readString(p));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage());
      }
    }
    return new Exported(file, dropped);
  }

  /**
   * Writes the connection folder from an export file, all or nothing.
   *
   * @param as the connection id in the target (null: the exported one)
   * @throws IllegalArgumentException naming what is wrong with the file or the target
   */
  public static Imported importInto(Path repo, String text, String as) throws IOException {
    JsonNode file;
    try {
      file = JSON.readTree(text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not a JSON file: " + e.getOriginalMessage());
    }
    if (file == null || !FORMAT.equals(file.path("format").asString(""))) {
      throw new IllegalArgumentException(
          "not a Conduit connection export (\"format\": \"" + FORMAT + "\" is missing)");
    }
    if (!(file.get("connection") instanceof ObjectNode connection)) {
      throw new IllegalArgumentException("the export has no \"connection\" object");
    }
    String id = as != null ? as : connection.path("id").asString("");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "\""
              + id
              + "\" cannot be a connection id: lower-case letters, digits and hyphens (use --as)");
    }
    Path folder = repo.resolve("connections").resolve(id);
    if (Files.exists(folder)) {
      throw new IllegalArgumentException(
          "connections/" + id + " exists already: import it --as another id");
    }
    connection.put("id", id);
    List<String> toSeal = new ArrayList<>();
    connection
        .path("parameters")
        .forEach(
            p -> {
              if (p instanceof ObjectNode o && o.path("hidden").asBoolean(false)) {
                o.remove("sealed"); // bound to the source organization: it would not open here
                toSeal.add(o.path("name").asString());
              }
            });
    // staged next to the target and moved in one step: no half-written connection
    Path staging =
        Files.createTempDirectory(Files.createDirectories(repo.resolve("connections")), ".import-");
    try {
      ObjectNode c =
          JSON.createObjectNode()
              .put("$schema", "https://conduit.dev/schemas/v1/connection.schema.json");
      c.setAll(connection);
      write(staging.resolve("connection.json"), c);
      for (Map.Entry<String, JsonNode> api : file.path("apis").properties()) {
        if (!ID.matcher(api.getKey()).matches()) {
          throw new IllegalArgumentException(
              "the export's API id \"" + api.getKey() + "\" is not a valid id");
        }
        ObjectNode a =
            JSON.createObjectNode()
                .put("$schema", "https://conduit.dev/schemas/v1/api.schema.json");
        a.setAll((ObjectNode) api.getValue());
        write(staging.resolve("apis").resolve(api.getKey() + ".json"), a);
      }
      for (Map.Entry<String, JsonNode> code : file.path("code").properties()) {
        if (!code.getKey().matches("[A-Za-z0-9_-][A-Za-z0-9._-]*\\.(js|py)")) {
          throw new IllegalArgumentException(
              "the export's code file \"" + code.getKey() + "\" is not a code file name");
        }
        Files.createDirectories(staging.resolve("code"));
        Files.writeString(
            staging.resolve("code").resolve(code.getKey()), code.getValue().asString());
      }
      Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      if (Files.exists(staging)) {
        try (Stream<Path> s = Files.walk(staging)) {
          for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
    return new Imported(folder, toSeal);
  }

  private static void write(Path file, JsonNode node) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
  }

  private static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage());
    }
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(Files.readString(file));
    } catch (IOException | JacksonException e) {
      throw new IllegalArgumentException(
          file + " is not readable JSON (run conduit validate): " + e.getMessage());
    }
  }
}
