package dev.conduit.compiler.portable;

import dev.conduit.seal.SealContext;
import dev.conduit.seal.SealException;
import dev.conduit.seal.SealedValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  /** Seals a hidden value again for the target: (parameter name, sealed value here) to sealed. */
  @FunctionalInterface
  public interface Reseal {
    String apply(String parameter, String value);
  }

  /**
   * @throws IllegalArgumentException naming what is missing or unreadable
   */
  public static Exported export(Path repo, String id) {
    return export(repo, id, null);
  }

  /**
   * @param reseal null: sealed values are dropped and listed; else each is sealed again by it (for
   *     a target organization's key) and travels
   * @throws IllegalArgumentException naming what is missing or unreadable
   */
  public static Exported export(Path repo, String id, Reseal reseal) {
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
                if (reseal != null) {
                  o.put(
                      "sealed",
                      reseal.apply(o.path("name").asString(), o.path("sealed").asString()));
                } else {
                  o.remove("sealed");
                  dropped.add(o.path("name").asString());
                }
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
    JsonNode file = parse(text);
    ObjectNode connection = (ObjectNode) file.get("connection");
    String id = as != null ? as : connection.path("id").asString("");
    ConnectionFolder.target(repo, id);
    connection.put("id", id);
    List<String> toSeal = new ArrayList<>();
    String organization = organizationId(repo);
    connection
        .path("parameters")
        .forEach(
            p -> {
              if (p instanceof ObjectNode o && o.path("hidden").asBoolean(false)) {
                if (!sealedFor(o, organization, id)) {
                  o.remove("sealed"); // bound elsewhere: it would not open here
                  toSeal.add(o.path("name").asString());
                }
              }
            });
    Path folder = ConnectionFolder.write(repo, id, draft(file, connection, toSeal));
    return new Imported(folder, toSeal);
  }

  /** What {@code import --upgrade} changed and could not keep; nothing is written on a conflict. */
  public record Upgraded(List<String> diff, List<String> conflicts, List<String> toSeal) {}

  /**
   * Brings an existing connection to the export file's settings, APIs and code, keeping what is
   * this organization's own: parameter values and sealed values, name, owner, notifications,
   * grants. What cannot be kept without losing something is a conflict, and then nothing is
   * written.
   *
   * @throws IllegalArgumentException for a bad file or an unknown connection
   */
  public static Upgraded upgrade(Path repo, String text, String id) throws IOException {
    JsonNode file = parse(text);
    Path folder = repo.resolve("connections").resolve(id);
    if (!ConnectionFolder.ID.matcher(id).matches()
        || !Files.isRegularFile(folder.resolve("connection.json"))) {
      throw new IllegalArgumentException(
          "no connection \"" + id + "\" to upgrade (connections/" + id + "/connection.json)");
    }
    ObjectNode ours = (ObjectNode) read(folder.resolve("connection.json"));
    if (ours.has("installedFrom")) {
      throw new IllegalArgumentException(
          "connections/"
              + id
              + " is installed from the library: upgrade it with conduit library upgrade "
              + id);
    }
    ObjectNode theirs = ((ObjectNode) file.get("connection")).deepCopy();
    List<String> diff = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();
    List<String> toSeal = new ArrayList<>();
    theirs.put("id", id);
    for (String own : List.of("name", "owner", "notifications")) {
      theirs.remove(own);
      if (ours.has(own)) {
        theirs.set(own, ours.get(own));
      }
    }
    if (!java.util.Objects.equals(ours.get("auth"), theirs.get("auth"))) {
      diff.add(
          "auth changed: "
              + ours.path("auth").path("type").asString("?")
              + " -> "
              + theirs.path("auth").path("type").asString("?"));
    }
    Map<String, ObjectNode> mine = new java.util.LinkedHashMap<>();
    ours.path("parameters").forEach(p -> mine.put(p.path("name").asString(), (ObjectNode) p));
    String organization = organizationId(repo);
    for (JsonNode p : theirs.path("parameters")) {
      ObjectNode t = (ObjectNode) p;
      String name = t.path("name").asString();
      boolean hidden = t.path("hidden").asBoolean(false);
      ObjectNode m = mine.remove(name);
      boolean fileSealed = hidden && sealedFor(t, organization, id);
      if (!fileSealed) {
        t.remove("sealed");
      }
      t.remove("value");
      if (m == null) {
        diff.add("parameter added: " + name + (hidden ? " (hidden)" : ""));
        if (hidden && !fileSealed) {
          toSeal.add(name);
        }
        continue;
      }
      boolean wasHidden = m.path("hidden").asBoolean(false);
      if (wasHidden != hidden) {
        diff.add("parameter " + name + ": now " + (hidden ? "hidden" : "visible"));
      }
      if (hidden && m.hasNonNull("value") && !m.path("value").asString("").isEmpty()) {
        conflicts.add(
            "parameter "
                + name
                + " is hidden in the file but holds a plain value here: seal it first (conduit seal --connection "
                + id
                + " --parameter "
                + name
                + ")");
      } else if (!hidden && m.has("sealed")) {
        conflicts.add(
            "parameter "
                + name
                + " is visible in the file but sealed here: its value cannot be revealed; give it a value (remove \"sealed\", set \"value\") first");
      } else if (hidden && m.has("sealed") && !fileSealed) {
        t.put("sealed", m.path("sealed").asString());
      } else if (!hidden && m.has("value")) {
        t.set("value", m.get("value"));
      }
    }
    mine.forEach(
        (name, m) -> {
          diff.add("parameter removed: " + name);
          if (m.has("sealed") || !m.path("value").asString("").isEmpty()) {
            conflicts.add(
                "parameter "
                    + name
                    + " is gone in the file but this connection gives it a value: remove it from connection.json to accept the loss");
          }
        });
    Map<String, JsonNode> oldApis = new java.util.LinkedHashMap<>();
    for (Path p : files(folder.resolve("apis"))) {
      JsonNode a = read(p);
      oldApis.put(a.path("id").asString(), a);
    }
    file.path("apis")
        .properties()
        .forEach(
            e -> {
              JsonNode old = oldApis.remove(e.getKey());
              ObjectNode now = ((ObjectNode) e.getValue()).deepCopy();
              if (old == null) {
                diff.add("API added: " + e.getKey());
              } else {
                ObjectNode was = ((ObjectNode) old).deepCopy();
                was.remove("$schema");
                if (!was.equals(now)) {
                  List<String> what = new ArrayList<>();
                  for (String k :
                      List.of(
                          "name",
                          "description",
                          "inputs",
                          "request",
                          "outputs",
                          "before",
                          "after",
                          "status",
                          "enabled")) {
                    if (!java.util.Objects.equals(was.get(k), now.get(k))) {
                      what.add(k);
                    }
                  }
                  diff.add("API changed: " + e.getKey() + " (" + String.join(", ", what) + ")");
                }
              }
            });
    oldApis
        .keySet()
        .forEach(
            api -> {
              diff.add("API removed: " + api);
              conflicts.add(
                  "API "
                      + api
                      + " is not in the file: it would be deleted; remove connections/"
                      + id
                      + "/apis/"
                      + api
                      + ".json first to accept that");
            });
    if (conflicts.isEmpty()) {
      ConnectionFolder.replace(repo, id, draft(file, theirs, toSeal));
    }
    return new Upgraded(diff, conflicts, toSeal);
  }

  private static JsonNode parse(String text) {
    JsonNode file;
    try {
      file = JSON.readTree(text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not a JSON file: " + e.getOriginalMessage());
    }
    if (file != null && (file.isArray() || file.isValueNode())) {
      ExportShape.check(file); // names the whole file: an array or a value where an object belongs
    }
    if (file == null || !FORMAT.equals(file.path("format").asString(""))) {
      throw new IllegalArgumentException(
          "not a Conduit connection export (\"format\": \"" + FORMAT + "\" is missing)");
    }
    ExportShape.check(file);
    return file;
  }

  private static ConnectionFolder.Draft draft(
      JsonNode file, ObjectNode connection, List<String> toSeal) {
    Map<String, ObjectNode> apis = new java.util.LinkedHashMap<>();
    file.path("apis")
        .properties()
        .forEach(
            e -> {
              if (!(e.getValue() instanceof ObjectNode a)) {
                throw new IllegalArgumentException(
                    "the export's API \"" + e.getKey() + "\" is not an object");
              }
              apis.put(e.getKey(), a);
            });
    Map<String, String> code = new java.util.LinkedHashMap<>();
    file.path("code").properties().forEach(e -> code.put(e.getKey(), e.getValue().asString()));
    return new ConnectionFolder.Draft(connection, apis, code, toSeal);
  }

  /** Whether the parameter carries a sealed:v2 value bound to this place (export --to-key). */
  private static boolean sealedFor(ObjectNode p, String organization, String connection) {
    try {
      SealedValue v = SealedValue.parse(p.path("sealed").asString(""));
      return v.showsBinding()
          && v.binding()
              .equals(new SealContext(organization, connection, p.path("name").asString()));
    } catch (SealException e) {
      return false;
    }
  }

  private static String organizationId(Path repo) {
    return read(repo.resolve("organization.json")).path("id").asString("");
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
