package dev.conduit.compiler.portable;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code conduit import postman}: a connection and its APIs from a Postman collection (v2.0 or
 * v2.1, JSON), each request an API by the same rules as {@code import curl}. Collection variables
 * ({{name}}) with a value are filled in, except those named like a key, token, secret or password,
 * which become hidden parameters (their values are not written); variables without a value become
 * visible parameters to fill. The collection's (or a request's) bearer, API key or basic auth
 * becomes the matching parameters.
 */
public final class PostmanImport {

  private static final Pattern VARIABLE = Pattern.compile("\\{\\{([^{}]+)}}");

  private final Map<String, String> variables = new LinkedHashMap<>();
  private final RequestImport into;

  private PostmanImport(RequestImport into) {
    this.into = into;
  }

  /**
   * @throws IllegalArgumentException naming what is wrong and where (the item's path in the
   *     collection)
   */
  public static ConnectionFolder.Draft parse(String text, String id) {
    JsonNode c = Definitions.read(text);
    String schema = c.path("info").path("schema").asString("");
    if (!schema.contains("getpostman.com/json/collection/v2")) {
      throw new IllegalArgumentException(
          "not a Postman collection v2.0 or v2.1 (info.schema is \""
              + schema
              + "\"; export the collection as Collection v2.1)");
    }
    String name = OpenApiImport.cut(c.path("info").path("name").asString(id), 100);
    String about = Text.plain(c.path("info").path("description").asString(""));
    PostmanImport p =
        new PostmanImport(
            new RequestImport(
                id,
                name,
                OpenApiImport.cut(
                    name + ": " + (about.isEmpty() ? "imported from a Postman collection." : about),
                    2000)));
    c.path("variable")
        .forEach(v -> p.variables.put(v.path("key").asString(), v.path("value").asString("")));
    Map<String, ObjectNode> apis = new LinkedHashMap<>();
    p.items(c.path("item"), c.path("auth"), "item", apis);
    if (apis.isEmpty()) {
      throw new IllegalArgumentException("the collection has no requests (\"item\" is empty)");
    }
    return new ConnectionFolder.Draft(p.into.connection(), apis, Map.of(), p.into.toSeal());
  }

  private void items(JsonNode items, JsonNode auth, String where, Map<String, ObjectNode> apis) {
    int i = 0;
    for (JsonNode item : items) {
      String here = where + "[" + i++ + "] \"" + item.path("name").asString("") + "\"";
      JsonNode own = item.path("auth").isObject() ? item.path("auth") : auth;
      if (item.has("item")) {
        items(item.path("item"), own, here + ".item", apis);
      } else if (item.has("request")) {
        ObjectNode api = request(item, own, here);
        apis.put(api.path("id").asString(), api);
      }
    }
  }

  private ObjectNode request(JsonNode item, JsonNode auth, String where) {
    JsonNode r = item.path("request");
    String method = r.path("method").asString("GET").toUpperCase(Locale.ROOT);
    JsonNode u = r.path("url");
    String raw = u.isString() ? u.asString() : u.path("raw").asString("");
    // Postman path variables (/users/:id) become inputs: marked here, turned into templates below
    StringBuilder url = new StringBuilder(fill(raw.replaceAll("\\?.*$", ""), where));
    Map<String, String> headers = new LinkedHashMap<>();
    for (JsonNode h : r.path("header")) {
      if (!h.path("disabled").asBoolean(false)) {
        headers.put(h.path("key").asString(), fill(h.path("value").asString(""), where));
      }
    }
    StringBuilder query = new StringBuilder();
    JsonNode q = u.path("query");
    if (q.isArray()) {
      for (JsonNode p : q) {
        if (!p.path("disabled").asBoolean(false)) {
          query
              .append(query.isEmpty() ? "?" : "&")
              .append(enc(p.path("key").asString()))
              .append('=')
              .append(enc(fill(p.path("value").asString(""), where)));
        }
      }
    } else if (raw.contains("?")) {
      query.append(fill(raw.substring(raw.indexOf('?')), where));
    }
    switch (auth.path("type").asString("noauth")) {
      case "bearer" ->
          headers.put(
              "Authorization",
              "Bearer " + token(into.hidden("token", "The bearer token (Postman auth): seal it.")));
      case "apikey" -> {
        String key = authValue(auth, "apikey", "key", "X-API-Key");
        String placed =
            token(
                into.hidden("api_key", "The API key sent as " + key + " (Postman auth): seal it."));
        if ("query".equals(authValue(auth, "apikey", "in", "header"))) {
          query.append(query.isEmpty() ? "?" : "&").append(enc(key)).append('=').append(placed);
        } else {
          headers.put(key, placed);
        }
      }
      case "basic" -> into.basic(fill(authValue(auth, "basic", "username", ""), where));
      case "noauth" -> {}
      default ->
          throw new IllegalArgumentException(
              where
                  + ": the auth type \""
                  + auth.path("type").asString()
                  + "\" is not supported (bearer, apikey, basic or none)");
    }
    String data = null;
    JsonNode body = r.path("body");
    switch (body.path("mode").asString("")) {
      case "raw" -> data = fill(body.path("raw").asString(""), where);
      case "urlencoded" -> {
        StringBuilder form = new StringBuilder();
        for (JsonNode f : body.path("urlencoded")) {
          form.append(form.isEmpty() ? "" : "&")
              .append(enc(f.path("key").asString()))
              .append('=')
              .append(enc(fill(f.path("value").asString(""), where)));
        }
        data = form.toString();
        headers.putIfAbsent("Content-Type", "application/x-www-form-urlencoded");
      }
      case "" -> {}
      default ->
          throw new IllegalArgumentException(
              where
                  + ": the body mode \""
                  + body.path("mode").asString()
                  + "\" is not supported (raw or urlencoded)");
    }
    URI uri;
    try {
      uri =
          URI.create(
              url.toString().replaceAll("/:([A-Za-z0-9_]+)", "/__CONDUIT_PATH_$1__") + query);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": \"" + raw + "\" is not a URL");
    }
    if (uri.getHost() == null
        || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
      throw new IllegalArgumentException(
          where
              + ": \""
              + raw
              + "\" is not an absolute http(s) URL once the collection's variables are filled in");
    }
    String name = item.path("name").asString(method + " " + uri.getPath());
    String description = Text.plain(r.path("description").asString(""));
    ObjectNode api =
        into.api(
            name,
            name,
            description.isEmpty()
                ? "Imported from the Postman request \"" + name + "\"."
                : description,
            PREFIX,
            method,
            uri,
            headers,
            data);
    pathInputs(api);
    parameterReferences(api);
    return api;
  }

  private static final String PREFIX = "In the collection: ";
  private static final Pattern TOKEN = Pattern.compile("__CONDUIT_CONNECTION_([A-Za-z0-9_-]+?)__");

  /** A reference to a connection parameter that survives URI parsing, undone by the next step. */
  private static String token(String parameter) {
    return RequestImport.PLACED + parameter + "__";
  }

  /**
   * Values that refer to connection parameters are not inputs: the value goes back where it stood,
   * as {{connection.NAME}}, and the input is dropped.
   */
  private static void parameterReferences(ObjectNode api) {
    Map<String, String> fixed = new LinkedHashMap<>();
    ArrayNode inputs = (ArrayNode) api.get("inputs");
    for (int i = inputs.size() - 1; i >= 0; i--) {
      String example = inputs.get(i).path("description").asString("");
      if (example.startsWith(PREFIX) && TOKEN.matcher(example).find()) {
        fixed.put(
            "{{input." + inputs.get(i).path("alias").asString() + "}}",
            example.substring(PREFIX.length()));
        inputs.remove(i);
      }
    }
    api.set("request", undo(api.get("request"), fixed));
  }

  private static JsonNode undo(JsonNode node, Map<String, String> fixed) {
    if (node instanceof ObjectNode o) {
      o.properties().forEach(e -> e.setValue(undo(e.getValue(), fixed)));
      return o;
    }
    if (node.isString()) {
      String text = fixed.getOrDefault(node.asString(), node.asString());
      return ConnectionFolder.JSON
          .getNodeFactory()
          .stringNode(TOKEN.matcher(text).replaceAll("{{connection.$1}}"));
    }
    return node;
  }

  /** /users/:id: the segment is an input of the API. */
  private static void pathInputs(ObjectNode api) {
    ObjectNode request = (ObjectNode) api.get("request");
    Matcher m =
        Pattern.compile("__CONDUIT_PATH_([A-Za-z0-9_]+)__").matcher(request.path("url").asString());
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement("{{input." + m.group(1) + "}}"));
      ((ArrayNode) api.get("inputs"))
          .insertObject(0)
          .put("alias", m.group(1))
          .put("name", Text.humanize(m.group(1)))
          .put("description", "The :" + m.group(1) + " segment of the request's path.")
          .put("type", "Text")
          .put("required", true);
    }
    request.put("url", m.appendTail(sb).toString());
  }

  /** {{name}} filled with the collection's value; a secret-like or empty one as a parameter. */
  private String fill(String text, String where) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1).strip();
      String value = variables.get(name);
      String replacement;
      if (RequestImport.SECRET_NAME.matcher(name).matches()) {
        replacement =
            token(into.hidden(name, "The collection variable {{" + name + "}}: seal it."));
      } else if (value != null && !value.isEmpty()) {
        replacement = value;
      } else {
        replacement =
            token(into.visible(name, "", "The collection variable {{" + name + "}}: fill it in."));
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    return m.appendTail(sb).toString();
  }

  private static String authValue(JsonNode auth, String type, String key, String otherwise) {
    for (JsonNode kv : auth.path(type)) {
      if (key.equals(kv.path("key").asString())) {
        return kv.path("value").asString(otherwise);
      }
    }
    return otherwise;
  }

  private static String enc(String s) {
    // keep {{...}} readable: RequestImport decodes the query again
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
