package dev.conduit.compiler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Copies of the example repository for tests, and edits to break them in one place. */
public final class TestRepos {

  /** The example organization repository (tests run with the module as working directory). */
  public static final Path EXAMPLE = Path.of("..", "connections-repo").toAbsolutePath().normalize();

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .defaultPrettyPrinter(
              new DefaultPrettyPrinter()
                  .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                  .withArrayIndenter(new DefaultIndenter("  ", "\n")))
          .build();

  private TestRepos() {}

  /** Copies the example repository into {@code dir} and returns it. */
  public static Path copyExample(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(EXAMPLE)) {
      for (Path p : walk.toList()) {
        Path target = dir.resolve(EXAMPLE.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return dir;
  }

  /**
   * Applies one edit of a case file: {"delete": path}, {"file", "text"}, {"file", "base64"},
   * {"file", "size"} (a file of that many bytes), or {"file", "pointer", "value"|"remove"} ("-" as
   * the last pointer token appends to an array).
   */
  public static void apply(Path repo, JsonNode edit) throws IOException {
    if (edit.has("delete")) {
      Files.delete(repo.resolve(edit.get("delete").asString()));
      return;
    }
    Path file = repo.resolve(edit.get("file").asString());
    Files.createDirectories(file.getParent());
    if (edit.has("text")) {
      Files.writeString(file, edit.get("text").asString(), StandardCharsets.UTF_8);
    } else if (edit.has("base64")) {
      Files.write(file, Base64.getDecoder().decode(edit.get("base64").asString()));
    } else if (edit.has("size")) {
      Files.writeString(file, "{\"id\": \"" + " ".repeat(edit.get("size").asInt()) + "\"}");
    } else {
      JsonNode root = MAPPER.readTree(Files.readString(file));
      String pointer = edit.get("pointer").asString();
      int cut = pointer.lastIndexOf('/');
      JsonNode parent = root.at(pointer.substring(0, cut));
      String last = pointer.substring(cut + 1).replace("~1", "/").replace("~0", "~");
      if (parent instanceof ArrayNode array) {
        if (edit.has("remove")) {
          array.remove(Integer.parseInt(last));
        } else if (last.equals("-")) {
          array.add(edit.get("value"));
        } else {
          array.set(Integer.parseInt(last), edit.get("value"));
        }
      } else if (parent instanceof ObjectNode object) {
        if (edit.has("remove")) {
          object.remove(last);
        } else {
          object.set(last, edit.get("value"));
        }
      } else {
        throw new IllegalArgumentException("no object or array at " + pointer + " in " + file);
      }
      Files.writeString(file, MAPPER.writeValueAsString(root) + "\n");
    }
  }

  public static JsonMapper mapper() {
    return MAPPER;
  }
}
