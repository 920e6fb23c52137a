package dev.conduit.runtime.console.changes;

import tools.jackson.databind.JsonNode;
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
}
