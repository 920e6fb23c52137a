package dev.conduit.compiler.portable;

import dev.conduit.bundle.Auth;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code conduit import curl}: a connection and one API from a curl command line. The line is read
 * as data, never run: a shell construct (command substitution, pipes, redirections, variables) is
 * refused with its position. Values that look secret (Authorization, keys, tokens, -u passwords)
 * become hidden parameters and are not written: they are sealed after.
 */
public final class CurlImport {

  /** The connection and API files, and the hidden parameters to seal. */
  public record Result(ObjectNode connection, ObjectNode api, List<String> toSeal) {}

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> IGNORED =
      Set.of(
          "-s",
          "--silent",
          "-S",
          "--show-error",
          "-L",
          "--location",
          "-i",
          "--include",
          "-v",
          "--verbose",
          "--compressed",
          "-f",
          "--fail");
  private static final Pattern SECRET_HEADER =
      Pattern.compile("(?i)authorization|.*(key|token|secret).*");
  private static final Pattern ALIAS = Pattern.compile("[^A-Za-z0-9_-]");

  private CurlImport() {}

  /**
   * @throws IllegalArgumentException naming what is wrong and where (a column of the line)
   */
  public static Result parse(String line, String id) {
    List<String> words = Words.split(line);
    if (words.isEmpty() || !words.get(0).equals("curl")) {
      throw new IllegalArgumentException("a curl command starts with curl");
    }
    String method = null;
    String url = null;
    String data = null;
    String user = null;
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      if (IGNORED.contains(w)) {
        continue;
      }
      switch (w) {
        case "-X", "--request" -> method = value(words, ++i, w).toUpperCase(Locale.ROOT);
        case "-H", "--header" -> {
          String h = value(words, ++i, w);
          int colon = h.indexOf(':');
          if (colon < 1) {
            throw new IllegalArgumentException("the header \"" + h + "\" has no NAME: VALUE");
          }
          headers.put(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
        }
        case "-d", "--data", "--data-raw", "--data-binary" -> data = value(words, ++i, w);
        case "-u", "--user" -> user = value(words, ++i, w);
        case "--url" -> url = value(words, ++i, w);
        default -> {
          if (w.startsWith("-")) {
            throw new IllegalArgumentException(
                "the curl option "
                    + w
                    + " is not supported (supported: -X -H -d -u --url and -s -S -L -i -v --compressed -f)");
          }
          if (url != null) {
            throw new IllegalArgumentException("two URLs: " + url + " and " + w);
          }
          url = w;
        }
      }
    }
    if (url == null) {
      throw new IllegalArgumentException("the curl command has no URL");
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"" + url + "\" is not a URL");
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new IllegalArgumentException("\"" + url + "\" is not an absolute http(s) URL");
    }
    method = method != null ? method : data != null ? "POST" : "GET";

    ObjectNode c =
        JSON.createObjectNode()
            .put("$schema", "https://conduit.dev/schemas/v1/connection.schema.json");
    c.put("id", id)
        .put("name", uri.getHost())
        .put("description", "Imported from a curl command for " + uri.getHost() + ".");
    var params = c.putArray("parameters");
    c.putArray("allowedHosts").add(uri.getHost());
    List<String> toSeal = new ArrayList<>();
    ObjectNode api =
        JSON.createObjectNode().put("$schema", "https://conduit.dev/schemas/v1/api.schema.json");
    String apiId =
        (method + "-" + (uri.getPath() == null ? "" : uri.getPath()))
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^-+|-+$", "");
    apiId = apiId.length() > 63 ? apiId.substring(0, 63).replaceAll("-+$", "") : apiId;
    api.put("id", apiId)
        .put(
            "name",
            method + " " + (uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath()))
        .put(
            "description",
            "Imported from a curl command: " + method + " " + uri.getHost() + uri.getPath() + ".")
        .put("status", "published")
        .put("enabled", true);
    var inputs = api.putArray("inputs");
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
        String name = decode(pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair);
        String value = pair.contains("=") ? decode(pair.substring(pair.indexOf('=') + 1)) : "";
        if (SECRET_HEADER.matcher(name).matches()) {
          query.put(name, "{{connection." + secret(params, toSeal, name) + "}}");
        } else {
          query.put(name, "{{input." + input(inputs, name, value) + "}}");
        }
      }
    }
    if (!headers.isEmpty()) {
      ObjectNode h = request.putObject("headers");
      headers.forEach(
          (name, value) ->
              h.put(
                  name,
                  SECRET_HEADER.matcher(name).matches()
                      ? "{{connection." + secret(params, toSeal, name) + "}}"
                      : value));
    }
    if (data != null) {
      JsonNode json = null;
      try {
        json = JSON.readTree(data);
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
                            ? "{{input." + input(inputs, e.getKey(), e.getValue().asString()) + "}}"
                            : e.getValue().toString()));
      } else {
        request
            .putObject("body")
            .put("type", "raw")
            .put("contentType", headers.getOrDefault("Content-Type", "text/plain; charset=utf-8"))
            .put("raw", data);
      }
    }
    if (user != null) {
      String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
      params.addObject().put("name", "username").put("label", "Username").put("value", name);
      params.addObject().put("name", "password").put("label", "Password").put("hidden", true);
      toSeal.add("password");
      c.putObject("auth")
          .put("type", Auth.Basic.TYPE)
          .put("username", "{{connection.username}}")
          .put("password", "{{connection.password}}");
    } else {
      c.putObject("auth").put("type", Auth.None.TYPE);
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
    return new Result(c, api, toSeal);
  }

  private static String secret(
      tools.jackson.databind.node.ArrayNode params, List<String> toSeal, String header) {
    String name = ALIAS.matcher(header.toLowerCase(Locale.ROOT)).replaceAll("_");
    params
        .addObject()
        .put("name", name)
        .put("label", header)
        .put("description", "The value of " + header + " from the imported curl command: seal it.")
        .put("hidden", true);
    toSeal.add(name);
    return name;
  }

  private static String input(
      tools.jackson.databind.node.ArrayNode inputs, String name, String example) {
    String alias = ALIAS.matcher(name).replaceAll("_");
    alias = alias.isEmpty() ? "value" : alias.substring(0, Math.min(64, alias.length()));
    inputs
        .addObject()
        .put("alias", alias)
        .put("name", name.isEmpty() ? "Value" : name.substring(0, Math.min(100, name.length())))
        .put(
            "description",
            "In the imported command: "
                + (example.length() > 200 ? example.substring(0, 200) : example))
        .put("type", "Text")
        .put("required", false);
    return alias;
  }

  private static String value(List<String> words, int i, String option) {
    if (i >= words.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return words.get(i);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
