package dev.conduit.compiler.portable;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code conduit import openapi}: a connection and its APIs from an OpenAPI 3 definition (JSON or
 * YAML), by the library generator's rules (library/tools/generate.mjs): the security scheme becomes
 * the auth and the parameters to fill ({@link OpenApiSecurity}), the servers the allowed hosts,
 * each operation an API with its path and query parameters and the JSON body's top-level fields as
 * inputs, and the success response's top-level fields as outputs.
 */
public final class OpenApiImport {

  private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
  private static final int MAX_INPUTS = 12;

  private final JsonNode spec;
  private final String flow;

  private OpenApiImport(JsonNode spec, String flow) {
    this.spec = spec;
    this.flow = flow;
  }

  /**
   * @param picks the operations to import as {@code METHOD /path}; empty: all of them
   * @throws IllegalArgumentException naming what is wrong and where
   */
  public static ConnectionFolder.Draft parse(String text, String id, List<String> picks) {
    return parse(text, id, picks, null);
  }

  /**
   * @param flow the OAuth 2.0 flow (clientCredentials or authorizationCode) when the scheme offers
   *     several, or null for the first of these it has
   */
  public static ConnectionFolder.Draft parse(
      String text, String id, List<String> picks, String flow) {
    if (flow != null && !OpenApiSecurity.FLOWS.contains(flow)) {
      throw new IllegalArgumentException(
          "the OAuth 2.0 flow \""
              + flow
              + "\" is not one Conduit runs ("
              + String.join(", ", OpenApiSecurity.FLOWS)
              + ")");
    }
    JsonNode spec = Definitions.read(text);
    if (!spec.path("openapi").asString("").startsWith("3.")) {
      throw new IllegalArgumentException(
          "not an OpenAPI 3 definition (no \"openapi\": \"3.x\" at the top"
              + (spec.has("swagger")
                  ? "; this is Swagger 2: convert it to OpenAPI 3 first)"
                  : ")"));
    }
    return new OpenApiImport(spec, flow).draft(id, picks);
  }

  private ConnectionFolder.Draft draft(String id, List<String> picks) {
    Map<String, JsonNode[]> ops = new LinkedHashMap<>();
    spec.path("paths")
        .properties()
        .forEach(
            p -> {
              JsonNode item = deref(p.getValue());
              for (String m : METHODS) {
                if (item.has(m)) {
                  ops.put(
                      m.toUpperCase(Locale.ROOT) + " " + p.getKey(),
                      new JsonNode[] {item, item.get(m)});
                }
              }
            });
    if (ops.isEmpty()) {
      throw new IllegalArgumentException("the definition has no operations under \"paths\"");
    }
    List<String> keys = new ArrayList<>();
    for (String pick : picks) {
      String key = pick.strip().replaceFirst("^(\\S+)", "$1".toUpperCase(Locale.ROOT));
      String[] mp = key.split("\\s+", 2);
      key = mp.length == 2 ? mp[0].toUpperCase(Locale.ROOT) + " " + mp[1] : key;
      if (!ops.containsKey(key)) {
        throw new IllegalArgumentException(
            "the definition has no operation \""
                + pick
                + "\" (it has: "
                + String.join(", ", ops.keySet())
                + ")");
      }
      keys.add(key);
    }
    if (keys.isEmpty()) {
      keys.addAll(ops.keySet());
    }
    JsonNode info = spec.path("info");
    String title = cut(info.path("title").asString(id), 100);
    List<JsonNode> requirements = new ArrayList<>();
    for (String key : keys) {
      JsonNode op = ops.get(key)[1];
      requirements.add(op.has("security") ? op.get("security") : spec.path("security"));
    }
    JsonNode[] first = ops.get(keys.get(0));
    OpenApiSecurity sec =
        OpenApiSecurity.of(
            spec.path("components"), requirements, flow, this::deref, baseUrl(first[0], first[1]));
    ObjectNode c = ConnectionFolder.JSON.createObjectNode().put("id", id).put("name", title);
    String intro = Text.plain(info.path("description").asString(""));
    c.put(
        "description",
        cut(
            title + ": " + (intro.isEmpty() ? "imported from its OpenAPI definition." : intro),
            2000));
    ArrayNode params = c.putArray("parameters");
    List<String> toSeal = new ArrayList<>();
    sec.parameters(params, toSeal);
    Set<String> hosts = new LinkedHashSet<>();
    Map<String, ObjectNode> apis = new LinkedHashMap<>();
    for (String key : keys) {
      JsonNode[] op = ops.get(key);
      String base = baseUrl(op[0], op[1]);
      if (base == null) {
        throw new IllegalArgumentException(
            key + ": no absolute http(s) server URL (servers[0].url) to call");
      }
      hosts.add(URI.create(base).getHost());
      ObjectNode api = api(key, op[0], op[1], base, sec);
      if (apis.put(api.path("id").asString(), api) != null) {
        throw new IllegalArgumentException(
            key + ": two operations give the API id " + api.path("id").asString());
      }
    }
    ArrayNode allowed = c.putArray("allowedHosts");
    hosts.forEach(allowed::add);
    sec.auth(c);
    return new ConnectionFolder.Draft(c, apis, Map.of(), toSeal);
  }

  // --- one operation ---

  private ObjectNode api(String key, JsonNode item, JsonNode op, String base, OpenApiSecurity sec) {
    String method = key.substring(0, key.indexOf(' '));
    String path = key.substring(key.indexOf(' ') + 1);
    ObjectNode api = ConnectionFolder.JSON.createObjectNode();
    api.put("id", apiId(op.path("operationId").asString(key)));
    String summary = Text.plain(op.path("summary").asString(""));
    api.put(
        "name",
        cut(
            summary.isEmpty() ? Text.humanize(op.path("operationId").asString(key)) : summary,
            100));
    String description = Text.plain(op.path("description").asString(""));
    api.put(
        "description",
        cut(!description.isEmpty() ? description : !summary.isEmpty() ? summary : key, 2000));
    api.put("status", "published").put("enabled", true);
    ArrayNode inputs = api.putArray("inputs");
    ObjectNode request = api.putObject("request").put("method", method);
    ObjectNode query = ConnectionFolder.JSON.createObjectNode();
    ObjectNode headers = ConnectionFolder.JSON.createObjectNode();
    Set<String> aliases = new HashSet<>();
    String url = base + path;
    String authParam = sec.apiKeyParameter();
    Map<String, JsonNode> declared = new LinkedHashMap<>();
    for (JsonNode p : concat(item.path("parameters"), op.path("parameters"))) {
      JsonNode d = deref(p);
      String in = d.path("in").asString("");
      if ((in.equals("path") || in.equals("query"))
          && !(in + ":" + d.path("name").asString()).equals(authParam)) {
        declared.put(in + ":" + d.path("name").asString(), d);
      }
    }
    List<JsonNode> ordered = new ArrayList<>();
    declared.values().stream()
        .filter(d -> d.path("in").asString().equals("path"))
        .forEach(ordered::add);
    declared.values().stream()
        .filter(d -> d.path("in").asString().equals("query") && d.path("required").asBoolean(false))
        .forEach(ordered::add);
    declared.values().stream()
        .filter(
            d -> d.path("in").asString().equals("query") && !d.path("required").asBoolean(false))
        .forEach(ordered::add);
    for (JsonNode d :
        ordered.subList(
            0,
            Math.min(
                ordered.size(),
                Math.max(
                    MAX_INPUTS,
                    (int)
                        ordered.stream()
                            .filter(
                                x ->
                                    x.path("in").asString().equals("path")
                                        || x.path("required").asBoolean(false))
                            .count())))) {
      String name = d.path("name").asString();
      String alias = alias(aliases, name);
      boolean inPath = d.path("in").asString().equals("path");
      inputs.add(
          input(
              alias,
              name,
              d.path("description").asString(""),
              d.path("schema"),
              inPath || d.path("required").asBoolean(false)));
      if (inPath) {
        url = url.replace("{" + name + "}", "{{input." + alias + "}}");
      } else {
        query.put(name, "{{input." + alias + "}}");
      }
    }
    if (url.replaceAll("\\{\\{[^}]+}}", "").matches(".*\\{[^}]+}.*")) {
      throw new IllegalArgumentException(
          key + ": a path parameter is not declared in \"parameters\"");
    }
    sec.place(query, headers);
    request.put("url", url);
    if (!query.isEmpty()) {
      request.set("query", query);
    }
    if (!headers.isEmpty()) {
      request.set("headers", headers);
    }
    JsonNode requestBody = deref(op.path("requestBody"));
    JsonNode bodySchema = jsonSchema(requestBody.path("content"));
    if (!requestBody.isMissingNode()
        && !requestBody.isEmpty()
        && bodySchema == null
        && requestBody.path("required").asBoolean(false)) {
      throw new IllegalArgumentException(
          key + ": the request body is not JSON (only JSON bodies are imported)");
    }
    if (bodySchema != null && "object".equals(typeOf(bodySchema, 0))) {
      ObjectNode json = ConnectionFolder.JSON.createObjectNode();
      Set<String> required = new HashSet<>();
      deref(bodySchema).path("required").forEach(r -> required.add(r.asString()));
      Map<String, JsonNode> props = properties(bodySchema, 0);
      List<String> names = new ArrayList<>();
      props.keySet().stream().filter(required::contains).forEach(names::add);
      props.keySet().stream().filter(n -> !required.contains(n)).forEach(names::add);
      for (String n : names.subList(0, Math.min(names.size(), MAX_INPUTS))) {
        String t = typeOf(props.get(n), 0);
        if (t == null || t.equals("object")) {
          continue;
        }
        String alias = alias(aliases, n);
        inputs.add(
            input(
                alias,
                n,
                deref(props.get(n)).path("description").asString(""),
                props.get(n),
                required.contains(n)));
        json.put(n, "{{input." + alias + "}}");
      }
      request.putObject("body").put("type", "json").set("json", json);
    }
    api.set("outputs", outputs(responseSchema(op)));
    return api;
  }

  private ObjectNode input(
      String alias, String name, String description, JsonNode schema, boolean required) {
    JsonNode s = deref(schema);
    String t = typeOf(s, 0);
    String type =
        "integer".equals(t) || "number".equals(t)
            ? "Number"
            : "array".equals(t)
                ? "Array"
                : "string".equals(t) && "date-time".equals(s.path("format").asString(""))
                    ? "DateTime"
                    : "Text";
    StringBuilder text = new StringBuilder(Text.plain(description));
    if (s.path("enum").isArray() && s.path("enum").size() <= 20) {
      List<String> values = new ArrayList<>();
      s.path("enum").forEach(v -> values.add(v.asString()));
      text.append(text.isEmpty() ? "" : " ")
          .append("One of: ")
          .append(String.join(", ", values))
          .append('.');
    }
    ObjectNode in =
        ConnectionFolder.JSON
            .createObjectNode()
            .put("alias", alias)
            .put("name", cut(Text.humanize(name), 100));
    if (!text.isEmpty()) {
      in.put("description", cut(text.toString(), 2000));
    }
    return in.put("type", type).put("required", required);
  }

  private ArrayNode outputs(JsonNode schema) {
    ArrayNode list = ConnectionFolder.JSON.createArrayNode();
    String t = schema == null ? null : typeOf(schema, 0);
    if ("array".equals(t)) {
      ArrayNode fields = fields(deref(schema).path("items"));
      ObjectNode o = list.addObject().put("alias", "items").put("name", "Items").put("path", "$");
      o.put("type", fields.isEmpty() ? "Array" : "ObjectArray");
      if (!fields.isEmpty()) {
        o.set("fields", fields);
      }
      return list;
    }
    if ("object".equals(t)) {
      Set<String> seen = new HashSet<>();
      for (Map.Entry<String, JsonNode> p : properties(schema, 0).entrySet()) {
        if (list.size() >= MAX_INPUTS) {
          break;
        }
        ObjectNode o = output(p.getKey(), p.getValue(), true);
        if (o != null && seen.add(o.path("alias").asString().toLowerCase(Locale.ROOT))) {
          list.add(o);
        }
      }
    }
    if (list.isEmpty()) {
      list.addObject()
          .put("alias", "response")
          .put("name", "Response")
          .put("description", "The whole response.")
          .put("path", "$")
          .put("type", "Object");
    }
    return list;
  }

  private ArrayNode fields(JsonNode items) {
    ArrayNode out = ConnectionFolder.JSON.createArrayNode();
    if (!"object".equals(typeOf(items, 0))) {
      return out;
    }
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, JsonNode> p : properties(items, 0).entrySet()) {
      ObjectNode o = output(p.getKey(), p.getValue(), false);
      if (out.size() < 10
          && o != null
          && !o.path("type").asString().equals("ObjectArray")
          && seen.add(o.path("alias").asString().toLowerCase(Locale.ROOT))) {
        out.add(o);
      }
    }
    return out;
  }

  private ObjectNode output(String name, JsonNode schema, boolean nested) {
    if (!name.matches("[A-Za-z0-9_$-]+")) {
      return null;
    }
    JsonNode s = deref(schema);
    String t = typeOf(s, 0);
    String type =
        t == null
            ? null
            : switch (t) {
              case "integer", "number" -> "Number";
              case "boolean" -> "Boolean";
              case "string" ->
                  "date-time".equals(s.path("format").asString("")) ? "DateTime" : "Text";
              case "object" -> "Object";
              case "array" -> "Array";
              default -> null;
            };
    if (type == null) {
      return null;
    }
    ObjectNode o =
        ConnectionFolder.JSON
            .createObjectNode()
            .put("alias", name.replaceAll("[^A-Za-z0-9_-]", "_"))
            .put("name", cut(Text.humanize(name), 100));
    String text = Text.plain(s.path("description").asString(""));
    if (!text.isEmpty()) {
      o.put("description", cut(text, 2000));
    }
    o.put("path", name.matches("[A-Za-z_][A-Za-z0-9_]*") ? "$." + name : "$['" + name + "']")
        .put("type", type);
    if (type.equals("Array") && nested) {
      ArrayNode f = fields(s.path("items"));
      if (!f.isEmpty()) {
        o.put("type", "ObjectArray").set("fields", f);
      }
    }
    return o;
  }

  // --- reading the definition ---

  private JsonNode deref(JsonNode node) {
    Set<String> seen = new HashSet<>();
    while (node != null && node.path("$ref").isString()) {
      String ref = node.path("$ref").asString();
      if (!ref.startsWith("#/") || !seen.add(ref)) {
        return ConnectionFolder.JSON.createObjectNode();
      }
      node = spec.at(ref.substring(1));
    }
    return node == null ? ConnectionFolder.JSON.createObjectNode() : node;
  }

  private String baseUrl(JsonNode item, JsonNode op) {
    JsonNode servers =
        op.has("servers")
            ? op.get("servers")
            : item.has("servers") ? item.get("servers") : spec.path("servers");
    JsonNode server = servers.path(0);
    String url = server.path("url").asString(null);
    if (url == null) {
      return null;
    }
    for (Map.Entry<String, JsonNode> v : server.path("variables").properties()) {
      url = url.replace("{" + v.getKey() + "}", v.getValue().path("default").asString(""));
    }
    return url.matches("https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[^{}\\s]*)?")
        ? url.replaceAll("/+$", "")
        : null;
  }

  private JsonNode jsonSchema(JsonNode content) {
    for (Map.Entry<String, JsonNode> c : content.properties()) {
      if (c.getKey().matches("(?i)application/([a-z.-]+\\+)?json.*")) {
        return deref(c.getValue().path("schema"));
      }
    }
    return null;
  }

  private JsonNode responseSchema(JsonNode op) {
    List<String> codes = new ArrayList<>();
    op.path("responses").propertyNames().forEach(codes::add);
    codes.sort(null);
    for (String code : codes) {
      if (code.matches("2\\d\\d")) {
        JsonNode s = jsonSchema(deref(op.path("responses").path(code)).path("content"));
        if (s != null) {
          return s;
        }
      }
    }
    return null;
  }

  private String typeOf(JsonNode schema, int depth) {
    JsonNode s = deref(schema);
    if (s.path("type").isString()) {
      return s.path("type").asString();
    }
    if (s.path("type").isArray()) {
      for (JsonNode t : s.path("type")) {
        if (!t.asString().equals("null")) {
          return t.asString();
        }
      }
    }
    if (s.has("properties")) {
      return "object";
    }
    if (depth > 3) {
      return null;
    }
    for (String k : List.of("allOf", "oneOf", "anyOf")) {
      for (JsonNode part : s.path(k)) {
        String t = typeOf(part, depth + 1);
        if (t != null) {
          return t;
        }
      }
    }
    return null;
  }

  private Map<String, JsonNode> properties(JsonNode schema, int depth) {
    JsonNode s = deref(schema);
    Map<String, JsonNode> props = new LinkedHashMap<>();
    if (depth < 4) {
      for (JsonNode part : s.path("allOf")) {
        props.putAll(properties(part, depth + 1));
      }
    }
    s.path("properties").properties().forEach(e -> props.put(e.getKey(), e.getValue()));
    return props;
  }

  private static List<JsonNode> concat(JsonNode a, JsonNode b) {
    List<JsonNode> l = new ArrayList<>();
    a.forEach(l::add);
    b.forEach(l::add);
    return l;
  }

  private static String alias(Set<String> aliases, String name) {
    String a = name.replaceAll("[^A-Za-z0-9_-]", "_");
    a = a.isEmpty() ? "value" : a.substring(0, Math.min(60, a.length()));
    while (!aliases.add(a)) {
      a = a + "_";
    }
    return a;
  }

  static String apiId(String raw) {
    String id =
        raw.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^-+|-+$", "");
    id = id.length() > 63 ? id.substring(0, 63).replaceAll("-+$", "") : id;
    return id.matches("[a-z0-9].*") ? id : "api-" + id;
  }

  static String cut(String s, int n) {
    s = s.strip();
    return s.length() <= n ? s : s.substring(0, n - 1).replaceAll("\\s+\\S*$", "") + "…";
  }
}
