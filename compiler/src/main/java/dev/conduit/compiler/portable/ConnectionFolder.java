package dev.conduit.compiler.portable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A connection folder about to be written by an importer (export file, curl, OpenAPI, Postman):
 * connection.json, apis/*.json, code/*. It is written next to its place and moved there in one
 * step, so a failure never leaves a half-written connection.
 */
public final class ConnectionFolder {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern CODE_FILE =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*\\.(js|py)");

  /** What an importer made: the files, and the hidden parameters to seal after. */
  public record Draft(
      ObjectNode connection,
      Map<String, ObjectNode> apis,
      Map<String, String> code,
      List<String> toSeal) {

    public Draft {
      apis = new LinkedHashMap<>(apis);
      code = new LinkedHashMap<>(code);
    }
  }

  private ConnectionFolder() {}

  /**
   * @throws IllegalArgumentException for an id that cannot be one or a folder that exists
   */
  public static Path target(Path repo, String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "\""
              + id
              + "\" cannot be a connection id: lower-case letters, digits and hyphens (--as)");
    }
    Path folder = repo.resolve("connections").resolve(id);
    if (Files.exists(folder)) {
      throw new IllegalArgumentException(
          "connections/" + id + " exists already: choose another id with --as");
    }
    return folder;
  }

  /** Writes the draft as connections/ID, all or nothing; returns the folder. */
  public static Path write(Path repo, String id, Draft d) throws IOException {
    Path folder = target(repo, id);
    Path staging = stage(repo, d, Map.of());
    try {
      Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      delete(staging);
    }
    return folder;
  }

  /**
   * Replaces connections/ID by the draft, keeping the folder's other files (grants.json): the new
   * folder is staged complete, then swapped in.
   */
  static void replace(Path repo, String id, Draft d) throws IOException {
    Path folder = repo.resolve("connections").resolve(id);
    Map<String, byte[]> keep = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (!f.getFileName().toString().equals("connection.json")) {
          keep.put(f.getFileName().toString(), Files.readAllBytes(f));
        }
      }
    }
    Path staging = stage(repo, d, keep);
    Path old = Files.createTempDirectory(repo.resolve("connections"), ".replaced-");
    try {
      Files.move(folder, old.resolve(id), StandardCopyOption.ATOMIC_MOVE);
      Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      delete(staging);
      delete(old);
    }
  }

  private static Path stage(Path repo, Draft d, Map<String, byte[]> keep) throws IOException {
    Path staging =
        Files.createTempDirectory(Files.createDirectories(repo.resolve("connections")), ".import-");
    try {
      ObjectNode c =
          JSON.createObjectNode()
              .put("$schema", "https://conduit.dev/schemas/v1/connection.schema.json");
      c.setAll(without(d.connection(), "$schema"));
      write(staging.resolve("connection.json"), c);
      for (Map.Entry<String, ObjectNode> api : d.apis().entrySet()) {
        if (!ID.matcher(api.getKey()).matches()) {
          throw new IllegalArgumentException(
              "the API id \"" + api.getKey() + "\" is not a valid id");
        }
        ObjectNode a =
            JSON.createObjectNode()
                .put("$schema", "https://conduit.dev/schemas/v1/api.schema.json");
        a.setAll(without(api.getValue(), "$schema"));
        write(staging.resolve("apis").resolve(api.getKey() + ".json"), a);
      }
      for (Map.Entry<String, String> code : d.code().entrySet()) {
        if (!CODE_FILE.matcher(code.getKey()).matches()) {
          throw new IllegalArgumentException(
              "the code file \"" + code.getKey() + "\" is not a code file name");
        }
        Files.createDirectories(staging.resolve("code"));
        Files.writeString(staging.resolve("code").resolve(code.getKey()), code.getValue());
      }
      for (Map.Entry<String, byte[]> f : keep.entrySet()) {
        Files.write(staging.resolve(f.getKey()), f.getValue());
      }
      return staging;
    } catch (IOException | RuntimeException e) {
      delete(staging);
      throw e;
    }
  }

  private static ObjectNode without(ObjectNode node, String field) {
    ObjectNode copy = node.deepCopy();
    copy.remove(field);
    return copy;
  }

  static void write(Path file, JsonNode node) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
  }

  private static void delete(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
