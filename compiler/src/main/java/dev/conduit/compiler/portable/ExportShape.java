package dev.conduit.compiler.portable;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The shape of an export file, checked before anything is read from it: an export is someone else's
 * file, and a number where a string belongs or an array where an object belongs must be one clear
 * error naming where (a JSON pointer), not a ClassCastException or a silently empty import. Only
 * the parts import reads are checked here; the connection's own rules are the compiler's (conduit
 * validate after the import).
 */
final class ExportShape {

  private ExportShape() {}

  /**
   * @throws IllegalArgumentException "at POINTER: expected KIND, found KIND"
   */
  static void check(JsonNode file) {
    expect(file, "", "an object", JsonNode::isObject);
    expect(file.get("format"), "/format", "a string", JsonNode::isString);
    JsonNode connection = file.get("connection");
    expect(connection, "/connection", "an object", JsonNode::isObject);
    optional(connection.get("id"), "/connection/id", "a string", JsonNode::isString);
    JsonNode parameters = connection.get("parameters");
    optional(parameters, "/connection/parameters", "an array", JsonNode::isArray);
    if (parameters != null) {
      for (int i = 0; i < parameters.size(); i++) {
        String at = "/connection/parameters/" + i;
        JsonNode p = parameters.get(i);
        expect(p, at, "an object", JsonNode::isObject);
        expect(p.get("name"), at + "/name", "a string", JsonNode::isString);
        optional(p.get("hidden"), at + "/hidden", "a boolean", JsonNode::isBoolean);
        optional(p.get("sealed"), at + "/sealed", "a string", JsonNode::isString);
      }
    }
    JsonNode apis = file.get("apis");
    optional(apis, "/apis", "an object", JsonNode::isObject);
    if (apis != null) {
      for (Map.Entry<String, JsonNode> e : apis.properties()) {
        String at = "/apis/" + escape(e.getKey());
        expect(e.getValue(), at, "an object", JsonNode::isObject);
        optional(e.getValue().get("id"), at + "/id", "a string", JsonNode::isString);
      }
    }
    JsonNode code = file.get("code");
    optional(code, "/code", "an object", JsonNode::isObject);
    if (code != null) {
      for (Map.Entry<String, JsonNode> e : code.properties()) {
        expect(e.getValue(), "/code/" + escape(e.getKey()), "a string", JsonNode::isString);
      }
    }
  }

  private static void optional(
      JsonNode node, String at, String kind, java.util.function.Predicate<JsonNode> is) {
    if (node != null) {
      expect(node, at, kind, is);
    }
  }

  private static void expect(
      JsonNode node, String at, String kind, java.util.function.Predicate<JsonNode> is) {
    if (node == null) {
      throw new IllegalArgumentException("at " + pointer(at) + ": " + kind + " is missing");
    }
    if (!is.test(node)) {
      throw new IllegalArgumentException(
          "at " + pointer(at) + ": expected " + kind + ", found " + kind(node));
    }
  }

  private static String pointer(String at) {
    return at.isEmpty() ? "/ (the whole file)" : at;
  }

  /** RFC 6901: ~ and / in a key are ~0 and ~1. */
  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static String kind(JsonNode n) {
    if (n.isNull()) {
      return "null";
    }
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "an array";
    }
    if (n.isString()) {
      return "a string";
    }
    if (n.isBoolean()) {
      return "a boolean";
    }
    return n.isNumber()
        ? "a number"
        : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }
}
