package dev.conduit.runtime.console.changes;

import dev.conduit.compiler.cli.JsonFileEdit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An API as the console's form describes it, to create or to edit: name, description, status and
 * enabled merged into the file; the inputs (object arrays with their fields) and the outputs
 * (object arrays with their fields) as the form lists them; the request template merged (a null
 * value removes a key). An output or field the form shows without its nested fields keeps the
 * fields it had (the form edits two levels). The code blocks are written as the form gives them,
 * their sources in their code files ({@link CodeBlockFiles}).
 *
 * @param create whether the API is new (refused when it exists) or edited (refused when it does
 *     not)
 * @param blocks the code blocks by slot ({@code before}, {@code after}; a slot missing has no
 *     block), or null when the form did not carry them: the file's blocks stay as they are
 */
public record ApiDraft(
    String connectionId,
    String apiId,
    boolean create,
    String baseCommit,
    ObjectNode top,
    ArrayNode inputs,
    ObjectNode request,
    ArrayNode outputs,
    Map<String, CodeBlockDraft> blocks)
    implements TreeChange {

  public String file() {
    return "connections/" + connectionId + "/apis/" + apiId + ".json";
  }

  @Override
  public Map<String, byte[]> files(BaseTree base) throws ChangeBranches.Refused {
    ObjectNode connection =
        base.json("connections/" + connectionId + "/connection.json")
            .orElseThrow(
                () ->
                    new ChangeBranches.Refused(
                        "the repository has no connection " + connectionId, false));
    if (connection.hasNonNull("installedFrom")) {
      throw new ChangeBranches.Refused(
          connectionId
              + " is installed from the library: its APIs are the entry's (upgrade it, or edit the"
              + " entry)",
          false);
    }
    var existing = base.json(file());
    if (create && existing.isPresent()) {
      throw new ChangeBranches.Refused(
          "the connection " + connectionId + " already has an API " + apiId + ": choose another id",
          false,
          "id");
    }
    if (!create && existing.isEmpty()) {
      throw new ChangeBranches.Refused(
          "the repository has no API " + connectionId + "/" + apiId + " (was it removed?)", false);
    }
    ObjectNode api = existing.orElseGet(this::fresh);
    ObjectNode before = api.deepCopy();
    JsonMerge.into(api, top);
    api.set("inputs", JsonMerge.orderedLike(inputs.deepCopy(), api.get("inputs")));
    ObjectNode r = api.get("request") instanceof ObjectNode o ? o : api.putObject("request");
    JsonMerge.into(r, request);
    api.set(
        "outputs",
        JsonMerge.orderedLike(outputsKeepingFields(api.get("outputs")), api.get("outputs")));
    leftOutAsBefore(api, before);
    leftOutAsBefore(r, before.path("request"));
    Map<String, byte[]> code = new LinkedHashMap<>();
    if (blocks != null) {
      CodeBlockFiles.apply(base, connectionId, file(), api, blocks, code);
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(file(), ChangeBranches.text(api));
    files.putAll(code);
    return files;
  }

  /**
   * A key the form always shows but the file left out stays out when its value is what the compiler
   * reads for its absence (no inputs, no query, the 30 s timeout of the resolver): an untouched
   * form leaves the file as it was.
   */
  private static void leftOutAsBefore(ObjectNode after, JsonNode before) {
    for (String key : java.util.List.copyOf(after.propertyNames())) {
      JsonNode v = after.get(key);
      boolean asIfAbsent =
          (v.isContainer() && v.isEmpty())
              || (key.equals("timeoutSeconds") && v.isNumber() && v.asInt() == 30);
      if (!before.has(key) && asIfAbsent) {
        after.remove(key);
      }
    }
  }

  private ArrayNode outputsKeepingFields(JsonNode before) {
    ArrayNode after = outputs.deepCopy();
    keepFields(after, before);
    return after;
  }

  /**
   * The nested fields the form does not show, kept: an output (or an output's field) of an object
   * type given without fields keeps the fields it had, matched by alias, at every depth.
   */
  private static void keepFields(ArrayNode after, JsonNode before) {
    Map<String, JsonNode> was = new HashMap<>();
    if (before instanceof ArrayNode old) {
      for (JsonNode o : old) {
        was.put(o.path("alias").asString(""), o);
      }
    }
    for (JsonNode o : after) {
      JsonNode old = was.get(o.path("alias").asString(""));
      if (!(o instanceof ObjectNode out) || old == null || !old.has("fields")) {
        continue;
      }
      String type = out.path("type").asString("");
      if (out.get("fields") instanceof ArrayNode given) {
        keepFields(given, old.get("fields"));
      } else if (type.equals("Object") || type.equals("ObjectArray")) {
        out.set("fields", old.get("fields").deepCopy());
      }
    }
  }

  private ObjectNode fresh() {
    ObjectNode o = JsonFileEdit.mapper().createObjectNode();
    o.put("$schema", "../../../../schemas/api.schema.json");
    o.put("id", apiId);
    o.put("name", "");
    o.put("status", "draft");
    o.put("enabled", true);
    o.putArray("inputs");
    o.putObject("request");
    o.putArray("outputs");
    return o;
  }

  @Override
  public String message() {
    return summary() + "\n\nMade in the Conduit console.\n";
  }

  /** What changes, in a line: never a hidden value. */
  public String summary() {
    return connectionId + "/" + apiId + ": " + (create ? "new API" : "edit the API");
  }
}
