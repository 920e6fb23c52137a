package dev.conduit.compiler.portable;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Reads a definition file (OpenAPI, a Postman collection) as JSON or YAML, or says where not. */
final class Definitions {
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private Definitions() {}

  /**
   * @throws IllegalArgumentException "not JSON (or YAML) at line L, column C: ..."
   */
  static JsonNode read(String text) {
    boolean json = text.stripLeading().startsWith("{");
    JsonNode node;
    try {
      node = json ? ConnectionFolder.JSON.readTree(text) : YAML.readTree(text);
    } catch (JacksonException e) {
      TokenStreamLocation at = e.getLocation();
      throw new IllegalArgumentException(
          "does not parse as "
              + (json ? "JSON" : "YAML")
              + (at == null || at.getLineNr() < 1
                  ? ""
                  : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ": "
              + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("is not a JSON or YAML object");
    }
    return node;
  }
}
