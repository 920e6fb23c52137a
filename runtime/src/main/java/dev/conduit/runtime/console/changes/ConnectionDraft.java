package dev.conduit.runtime.console.changes;

import dev.conduit.bundle.Connection;
import dev.conduit.compiler.cli.JsonFileEdit;
import dev.conduit.compiler.model.AuthReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A connection as the console's form describes it, to create or to edit: the form's values as JSON
 * (merged into the file, so what the form does not show is kept), its parameters in order, new
 * values for hidden ones (plaintext here, sealed before anything is written), and the applications
 * granted.
 *
 * @param connectionId the connection's id (a new one when creating)
 * @param create whether the connection is new (refused when it exists) or edited (refused when it
 *     does not)
 * @param top name, description, owner (a null value removes the key)
 * @param notifications the alert settings, merged into {@code notifications}
 * @param auth the auth object (type and settings): merged when the type stays, else replacing it;
 *     null leaves the auth alone (a connection installed from the library keeps its template's)
 * @param parameters every parameter afterwards, in order
 * @param grants the applications granted afterwards, or null to leave grants.json alone
 * @param by who makes the change (a new grant names them)
 */
public record ConnectionDraft(
    String connectionId,
    boolean create,
    String baseCommit,
    ObjectNode top,
    ObjectNode notifications,
    ObjectNode auth,
    List<Parameter> parameters,
    List<String> grants,
    String by)
    implements TreeChange {

  /**
   * One parameter afterwards.
   *
   * @param formerName its name before (null when new): its other keys and sealed value are kept
   * @param spec label, description, hidden, and for a visible one its value (text; a number or
   *     boolean stays one when the text is one)
   * @param newSecret a new value of a hidden parameter, to seal; null or empty keeps the sealed one
   */
  public record Parameter(String name, String formerName, ObjectNode spec, String newSecret) {
    /** Never prints a hidden value. */
    @Override
    public String toString() {
      return "Parameter[" + name + (newSecret == null || newSecret.isEmpty() ? "" : ", new") + "]";
    }
  }

  public ConnectionDraft {
    parameters = List.copyOf(parameters);
    grants = grants == null ? null : List.copyOf(grants);
  }

  public String directory() {
    return "connections/" + connectionId + "/";
  }

  public String connectionFile() {
    return directory() + "connection.json";
  }

  public String grantsFile() {
    return directory() + "grants.json";
  }

  @Override
  public Map<String, byte[]> files(BaseTree base) throws ChangeBranches.Refused {
    var existing = base.json(connectionFile());
    if (create && existing.isPresent()) {
      throw new ChangeBranches.Refused(
          "there is already a connection " + connectionId + ": choose another id", false, "id");
    }
    if (!create && existing.isEmpty()) {
      throw new ChangeBranches.Refused(
          "the repository has no connection " + connectionId + " (was it removed?)", false);
    }
    ObjectNode connection = existing.orElseGet(this::fresh);
    JsonMerge.into(connection, top);
    if (connection.get("notifications") instanceof ObjectNode n) {
      boolean hadInterval = n.has("minIntervalMinutes");
      JsonMerge.into(n, notifications);
      if (!hadInterval
          && n.path("minIntervalMinutes").isIntegralNumber()
          && n.path("minIntervalMinutes").asInt()
              == Connection.Notifications.DEFAULT.minIntervalMinutes()) {
        n.remove("minIntervalMinutes"); // the form shows the default; the file left it out
      }
    } else if (notifications.path("onError").asBoolean(false)) {
      JsonMerge.into(connection.putObject("notifications"), notifications);
    }
    if (auth != null) {
      if (connection.get("auth") instanceof ObjectNode old
          && old.path("type").asString("").equals(auth.path("type").asString(""))) {
        Set<String> had = new LinkedHashSet<>(old.propertyNames());
        JsonMerge.into(old, auth);
        dropDefaults(old, had);
      } else {
        connection.set("auth", auth.deepCopy());
      }
    }
    connection.set("parameters", parameters(connection, base));
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(connectionFile(), ChangeBranches.text(connection));
    var old = grants == null ? java.util.Optional.<ObjectNode>empty() : base.json(grantsFile());
    if (grants != null && (old.isPresent() || !grants.isEmpty())) {
      // no grants file for none granted: an untouched form writes nothing new
      ObjectNode g = old.map(ObjectNode::deepCopy).orElseGet(ConnectionDraft::freshGrants);
      applyGrants(g, by);
      files.put(grantsFile(), ChangeBranches.text(g));
    }
    return files;
  }

  /**
   * A setting the form always shows (a method, a client authentication, scopes) is not written
   * where the file left it out and the value is what the compiler reads for its absence: an
   * untouched form leaves the file as it was.
   */
  private static void dropDefaults(ObjectNode auth, Set<String> had) {
    for (String key : List.copyOf(auth.propertyNames())) {
      if (had.contains(key)) {
        continue;
      }
      ObjectNode without = auth.deepCopy();
      without.remove(key);
      try {
        if (AuthReader.read(without).equals(AuthReader.read(auth))) {
          auth.remove(key);
        }
      } catch (RuntimeException e) {
        // not readable either way: the compiler names the problem, the key stays as given
      }
    }
  }

  private ObjectNode fresh() {
    ObjectNode o = JsonFileEdit.mapper().createObjectNode();
    o.put("$schema", "../../../schemas/connection.schema.json");
    o.put("id", connectionId);
    o.put("name", "");
    o.putArray("parameters");
    o.putObject("auth").put("type", "none");
    return o;
  }

  private static ObjectNode freshGrants() {
    ObjectNode o = JsonFileEdit.mapper().createObjectNode();
    o.put("$schema", "../../../schemas/grants.schema.json");
    o.putArray("applications");
    return o;
  }

  private ArrayNode parameters(ObjectNode connection, BaseTree base) throws ChangeBranches.Refused {
    Map<String, ObjectNode> before = new LinkedHashMap<>();
    if (connection.get("parameters") instanceof ArrayNode old) {
      for (JsonNode p : old) {
        if (p instanceof ObjectNode o) {
          before.put(o.path("name").asString(""), o);
        }
      }
    }
    ArrayNode after = JsonFileEdit.mapper().createArrayNode();
    for (Parameter p : parameters) {
      ObjectNode old = p.formerName() == null ? null : before.get(p.formerName());
      ObjectNode param = JsonFileEdit.mapper().createObjectNode();
      param.put("name", p.name());
      if (old != null) {
        for (var e : old.properties()) {
          if (!e.getKey().equals("name")) {
            param.set(e.getKey(), e.getValue());
          }
        }
      }
      JsonNode oldValue = param.get("value");
      ObjectNode spec = p.spec().deepCopy();
      JsonNode text = spec.remove("value");
      JsonMerge.into(param, spec);
      boolean hidden = param.path("hidden").asBoolean(false);
      if (!hidden && (old == null || !old.has("hidden"))) {
        param.remove("hidden"); // visible is the default: not written unless it was
      }
      boolean wasHidden = old != null && old.path("hidden").asBoolean(false);
      if (hidden) {
        param.remove("value");
        if (p.newSecret() != null && !p.newSecret().isEmpty()) {
          param.put(
              "sealed",
              ChangeBranches.seal(
                  base.organization(),
                  base.organization().path("id").asString(""),
                  connectionId,
                  p.name(),
                  p.newSecret()));
        } else if (!wasHidden || !p.name().equals(p.formerName())) {
          // a sealed value is bound to its place: renamed or newly hidden, it needs a new one
          param.remove("sealed");
        }
      } else {
        param.remove("sealed");
        if (text == null || text.isNull() || text.asString("").isEmpty()) {
          param.remove("value");
        } else {
          param.set("value", typed(oldValue, text.asString("")));
        }
      }
      after.add(param);
    }
    return after;
  }

  /** A visible value keeps its JSON type: a number stays a number when the text is one. */
  static JsonNode typed(JsonNode before, String text) {
    var nodes = JsonFileEdit.mapper().getNodeFactory();
    if (before != null && before.isNumber()) {
      try {
        return nodes.numberNode(new java.math.BigDecimal(text.strip()));
      } catch (NumberFormatException e) {
        return nodes.stringNode(text); // the compiler names the type problem, beside the field
      }
    }
    if (before != null && before.isBoolean() && text.strip().matches("true|false")) {
      return nodes.booleanNode(Boolean.parseBoolean(text.strip()));
    }
    return nodes.stringNode(text);
  }

  /** The grants afterwards: entries kept for applications still granted, new ones by this login. */
  private void applyGrants(ObjectNode g, String grantedBy) {
    ArrayNode before = g.get("applications") instanceof ArrayNode a ? a : g.arrayNode();
    ArrayNode after = g.arrayNode();
    Set<String> kept = new LinkedHashSet<>();
    for (JsonNode e : before) {
      String app = e.path("application").asString("");
      if (grants.contains(app)) {
        after.add(e);
        kept.add(app);
      }
    }
    for (String app : grants) {
      if (!kept.contains(app)) {
        after.addObject().put("application", app).put("grantedBy", grantedBy);
      }
    }
    g.set("applications", after);
  }

  @Override
  public String message() {
    return summary() + "\n\nMade in the Conduit console.\n";
  }

  /** What changes, in a line: never a hidden value. */
  public String summary() {
    List<String> parts = new ArrayList<>();
    if (create) {
      parts.add("new connection");
    } else {
      parts.add("edit the connection");
    }
    List<String> sealed =
        parameters.stream()
            .filter(p -> p.newSecret() != null && !p.newSecret().isEmpty())
            .map(Parameter::name)
            .sorted()
            .toList();
    if (!sealed.isEmpty()) {
      parts.add("seal a new " + String.join(", ", sealed));
    }
    if (grants != null) {
      parts.add("grant " + (grants.isEmpty() ? "no application" : String.join(", ", grants)));
    }
    return connectionId + ": " + String.join("; ", parts);
  }
}
