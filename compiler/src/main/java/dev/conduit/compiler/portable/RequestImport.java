package dev.conduit.compiler.portable;

import dev.conduit.bundle.Auth;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A connection being made from concrete requests (a curl line, a Postman collection's items): each
 * request becomes an API whose query and JSON body values are inputs; values that look secret
 * (Authorization, headers or query parameters named like key, token or secret) become hidden
 * parameters of the connection and are not written, to be sealed after.
 */
final class RequestImport {

  /** How an importer marks a value it already made a connection parameter reference. */
  static final String PLACED = "__CONDUIT_CONNECTION_";

  static final Pattern SECRET_NAME =
      Pattern.compile("(?i)authorization|.*(key|token|secret|password).*");
  private static final Pattern ALIAS = Pattern.compile("[^A-Za-z0-9_-]");

  private final ObjectNode connection;
  private final ArrayNode params;
  private final ArrayNode hosts;
  private final List<String> toSeal = new ArrayList<>();
  private final Set<String> paramNames = new HashSet<>();
  private final Set<String> apiIds = new HashSet<>();
  private String basicUser;

  RequestImport(String id, String name, String description) {
    connection =
        ConnectionFolder.JSON
            .createObjectNode()
            .put("$schema", "https://conduit.dev/schemas/v1/connection.schema.json");
    connection.put("id", id).put("name", name).put("description", description);
    params = connection.putArray("parameters");
    hosts = connection.putArray("allowedHosts");
  }

  /**
   * One API from one request. {@code uri}'s query values and a JSON object body's top-level values
   * become inputs (described as {@code examplePrefix} + the value seen).
   */
  ObjectNode api(
      String rawId,
      String name,
      String description,
      String examplePrefix,
      String method,
      URI uri,
      Map<String, String> headers,
      String data) {
    if (!hostsContain(uri.getHost())) {
      hosts.add(uri.getHost());
    }
    ObjectNode api =
        ConnectionFolder.JSON
            .createObjectNode()
            .put("$schema", "https://conduit.dev/schemas/v1/api.schema.json");
    String apiId = OpenApiImport.apiId(rawId);
    for (String base = apiId; !apiIds.add(apiId); ) {
      apiId = base + "-" + (apiIds.size() + 1);
    }
    api.put("id", apiId)
        .put("name", OpenApiImport.cut(name, 100))
        .put("description", OpenApiImport.cut(description, 2000))
        .put("status", "published")
        .put("enabled", true);
    ArrayNode inputs = api.putArray("inputs");
    Set<String> aliases = new HashSet<>();
    ObjectNode request =
        api.putObject("request")
            .put("method", method)
            .put(
                "url",
                uri.getScheme()
                    + "://"
                    + uri.getRawAuthority()
                    + (uri.getRawPath() == null ? "" : uri.getRawPath()));
    if (uri.getRawQuery() != null) {
      ObjectNode query = request.putObject("query");
      for (String pair : uri.getRawQuery().split("&")) {
        String key = decode(pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair);
        String value = pair.contains("=") ? decode(pair.substring(pair.indexOf('=') + 1)) : "";
        query.put(
            key,
            SECRET_NAME.matcher(key).matches() && !value.contains(PLACED)
                ? "{{connection."
                    + hidden(key, "The value of " + key + " from the imported request: seal it.")
                    + "}}"
                : "{{input." + input(inputs, aliases, key, examplePrefix + value) + "}}");
      }
    }
    if (!headers.isEmpty()) {
      ObjectNode h = request.putObject("headers");
      headers.forEach(
          (key, value) ->
              h.put(
                  key,
                  SECRET_NAME.matcher(key).matches() && !value.contains(PLACED)
                      ? "{{connection."
                          + hidden(
                              key, "The value of " + key + " from the imported request: seal it.")
                          + "}}"
                      : value));
    }
    if (data != null) {
      JsonNode json = null;
      try {
        json = ConnectionFolder.JSON.readTree(data);
      } catch (JacksonException e) {
        // not JSON: sent as raw text below
      }
      if (json instanceof ObjectNode o) {
        ObjectNode body = request.putObject("body").put("type", "json").putObject("json");
        o.properties()
            .forEach(
                e ->
                    body.put(
                        e.getKey(),
                        e.getValue().isValueNode()
                            ? "{{input."
                                + input(
                                    inputs,
                                    aliases,
                                    e.getKey(),
                                    examplePrefix + e.getValue().asString())
                                + "}}"
                            : e.getValue().toString()));
      } else {
        String type =
            headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Content-Type"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("text/plain; charset=utf-8");
        request.putObject("body").put("type", "raw").put("contentType", type).put("raw", data);
      }
    }
    api.putArray("outputs")
        .addObject()
        .put("alias", "response")
        .put("name", "Response")
        .put(
            "description",
            "The whole response: add outputs with JSONPaths for the fields you need.")
        .put("path", "$")
        .put("type", "Object");
    return api;
  }

  /** A hidden parameter named after {@code key} (once), to be sealed; returns its name. */
  String hidden(String key, String description) {
    String name = ALIAS.matcher(key.toLowerCase(Locale.ROOT)).replaceAll("_");
    if (paramNames.add(name)) {
      params
          .addObject()
          .put("name", name)
          .put("label", key)
          .put("description", description)
          .put("hidden", true);
      toSeal.add(name);
    }
    return name;
  }

  /** A visible parameter with its value (once); returns its name. */
  String visible(String key, String value, String description) {
    String name = ALIAS.matcher(key).replaceAll("_");
    if (paramNames.add(name)) {
      params
          .addObject()
          .put("name", name)
          .put("label", key)
          .put("description", description)
          .put("value", value);
    }
    return name;
  }

  /** HTTP Basic with this username and a hidden password to seal. */
  void basic(String username) {
    basicUser = username;
  }

  ObjectNode connection() {
    connection.remove("auth");
    if (basicUser != null) {
      visible("username", basicUser, "The HTTP Basic username.");
      hidden("password", "The HTTP Basic password: seal it.");
      connection
          .putObject("auth")
          .put("type", Auth.Basic.TYPE)
          .put("username", "{{connection.username}}")
          .put("password", "{{connection.password}}");
    } else {
      connection.putObject("auth").put("type", Auth.None.TYPE);
    }
    return connection;
  }

  List<String> toSeal() {
    return toSeal;
  }

  private boolean hostsContain(String host) {
    for (JsonNode h : hosts) {
      if (h.asString().equals(host)) {
        return true;
      }
    }
    return false;
  }

  private static String input(ArrayNode inputs, Set<String> aliases, String name, String example) {
    String alias = ALIAS.matcher(name).replaceAll("_");
    alias = alias.isEmpty() ? "value" : alias.substring(0, Math.min(60, alias.length()));
    while (!aliases.add(alias)) {
      alias = alias + "_";
    }
    inputs
        .addObject()
        .put("alias", alias)
        .put("name", name.isEmpty() ? "Value" : name.substring(0, Math.min(100, name.length())))
        .put("description", example.length() > 200 ? example.substring(0, 200) : example)
        .put("type", "Text")
        .put("required", false);
    return alias;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
