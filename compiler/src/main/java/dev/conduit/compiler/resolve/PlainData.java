package dev.conduit.compiler.resolve;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Converts JSON trees to the bundle's plain data (maps, lists, strings, numbers, booleans). */
public final class PlainData {
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  private PlainData() {}

  /** Null for a missing or JSON-null node. */
  public static Object of(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    return MAPPER.treeToValue(node, Object.class);
  }
}
