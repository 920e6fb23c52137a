package dev.conduit.compiler.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and rewrites a repository JSON file for the commands that edit one (seal, keys,
 * credential): key order is kept, two-space indentation, a final newline.
 */
public final class JsonFileEdit {

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .defaultPrettyPrinter(
              new DefaultPrettyPrinter()
                  .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                  .withArrayIndenter(new DefaultIndenter("  ", "\n"))
                  .withSeparators(
                      tools.jackson.core.util.Separators.createDefaultInstance()
                          .withObjectNameValueSpacing(
                              tools.jackson.core.util.Separators.Spacing.AFTER)))
          .build();

  private JsonFileEdit() {}

  static ObjectNode read(Path file) throws UsageProblem {
    try {
      if (!(MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8))
          instanceof ObjectNode o)) {
        throw new UsageProblem(file + " is not a JSON object");
      }
      return o;
    } catch (NoSuchFileException e) {
      throw new UsageProblem(file + " does not exist");
    } catch (IOException e) {
      throw new UsageProblem("cannot read " + file + ": " + e.getMessage());
    } catch (JacksonException e) {
      throw new UsageProblem(
          file + " is not valid JSON (run conduit validate): " + e.getOriginalMessage());
    }
  }

  static void write(Path file, ObjectNode node) throws IOException {
    Files.writeString(file, MAPPER.writeValueAsString(node) + "\n", StandardCharsets.UTF_8);
  }

  public static JsonMapper mapper() {
    return MAPPER;
  }
}
