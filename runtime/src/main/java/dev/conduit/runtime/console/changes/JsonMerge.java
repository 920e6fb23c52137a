package dev.conduit.runtime.console.changes;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a form's values land in a file: each key the form gives is set where it already is (the
 * file's key order and the keys the form does not show are kept); a JSON null removes the key.
 */
final class JsonMerge {
  private JsonMerge() {}

  static void into(ObjectNode target, ObjectNode given) {
    for (var e : given.properties()) {
      JsonNode v = e.getValue();
      if (v == null || v.isNull()) {
        target.remove(e.getKey());
      } else {
        target.set(e.getKey(), v.deepCopy());
      }
    }
  }

  /**
   * What a form rebuilt whole (an API's inputs, outputs and their fields) written in the key order
   * the file had, entry by entry (matched by alias, else by place): a form posted untouched gives
   * back the same bytes, so it makes no commit; keys the file did not have come after.
   */
  static JsonNode orderedLike(JsonNode after, JsonNode before) {
    if (after instanceof ObjectNode a && before instanceof ObjectNode b) {
      Map<String, JsonNode> keys = new LinkedHashMap<>();
      for (String k : b.propertyNames()) {
        if (a.has(k)) {
          keys.put(k, orderedLike(a.get(k), b.get(k)));
        }
      }
      for (var e : a.properties()) {
        keys.putIfAbsent(e.getKey(), e.getValue());
      }
      a.removeAll();
      keys.forEach(a::set);
      return a;
    }
    if (after instanceof ArrayNode a && before instanceof ArrayNode b) {
      Map<String, JsonNode> byAlias = new LinkedHashMap<>();
      for (JsonNode o : b) {
        if (o.hasNonNull("alias")) {
          byAlias.put(o.path("alias").asString(""), o);
        }
      }
      for (int i = 0; i < a.size(); i++) {
        JsonNode match = byAlias.get(a.get(i).path("alias").asString(""));
        orderedLike(a.get(i), match != null ? match : i < b.size() ? b.get(i) : null);
      }
    }
    return after;
  }
}
