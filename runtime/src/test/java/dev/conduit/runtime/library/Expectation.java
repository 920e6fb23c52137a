package dev.conduit.runtime.library;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one library API should send and answer, worked out from the entry's own files (not from the
 * runtime's model): a value for every input, the request the upstream must see (method, path,
 * query, headers with the credential where the template places it, JSON body), and a response that
 * fills every output path, with the outputs the caller must get back.
 */
final class Expectation {

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern REF =
      Pattern.compile("\\{\\{\\s*(input|connection|auth)\\.([A-Za-z0-9_-]+)\\s*}}");

  /** What a before block computes (a signature, a timestamp): checked by {@link Signatures}. */
  private static final Pattern BEFORE = Pattern.compile("\\{\\{\\s*before\\.");

  final Map<String, Object> inputs = new LinkedHashMap<>();
  final Map<String, Object> outputs = new LinkedHashMap<>();
  final String response;
  private final JsonNode api;
  private final JsonNode template;
  private final Map<String, String> parameters;
  private final String token;

  /**
   * @param api the API file
   * @param template the entry's connection.json
   * @param parameters the values the install gives its parameters (hidden ones sealed)
   * @param token the access token the stand-in's token endpoint issues for this connection
   */
  Expectation(JsonNode api, JsonNode template, Map<String, String> parameters, String token) {
    this.api = api;
    this.template = template;
    this.parameters = parameters;
    this.token = token;
    int i = 0;
    for (JsonNode in : api.path("inputs")) {
      i++;
      inputs.put(
          in.path("alias").asString(),
          switch (in.path("type").asString()) {
            case "Number" -> 7 + i;
            case "DateTime" -> "2026-01-0" + (i % 9 + 1) + "T03:04:05Z";
            case "Array" -> List.of("a" + i);
            default -> "v" + i;
          });
    }
    Map<String, Object> body = new LinkedHashMap<>();
    Object whole = null;
    for (JsonNode out : api.path("outputs")) {
      Object[] value = sample(out, outputs.size());
      outputs.put(out.path("alias").asString(), value[1]);
      if ("$".equals(out.path("path").asString())) {
        whole = value[0];
      } else {
        put(body, segments(out.path("path").asString()), value[0]);
      }
    }
    response = JSON.writeValueAsString(whole != null ? whole : body);
  }

  /** Every way the received request differs from the one the API's template describes. */
  List<String> problems(StandIn.Received got, String host) {
    List<String> p = new ArrayList<>();
    if (got == null) {
      p.add("the upstream received no request");
      return p;
    }
    JsonNode request = api.path("request");
    if (!request.path("method").asString().equals(got.method())) {
      p.add("method " + got.method() + ", expected " + request.path("method").asString());
    }
    URI url = URI.create(render(request.path("url").asString(), true));
    String path = "/" + host + (url.getRawPath() == null ? "" : url.getRawPath());
    if (!decode(path).equals(got.uri().getPath())) {
      p.add("path " + got.uri().getPath() + ", expected " + decode(path));
    }
    Map<String, List<String>> query = query(got.uri().getRawQuery());
    request
        .path("query")
        .properties()
        .forEach(
            e -> {
              if (BEFORE.matcher(e.getValue().asString()).find()) {
                if (query.getOrDefault(e.getKey(), List.of("")).get(0).isEmpty()) {
                  p.add("query " + e.getKey() + " (from the before block) is missing");
                }
                return;
              }
              List<String> want = values(e.getValue().asString());
              if (!want.equals(query.getOrDefault(e.getKey(), List.of()))) {
                p.add("query " + e.getKey() + "=" + query.get(e.getKey()) + ", expected " + want);
              }
            });
    request
        .path("headers")
        .properties()
        .forEach(
            e -> {
              if (BEFORE.matcher(e.getValue().asString()).find()) {
                if (got.headers().getFirst(e.getKey()) == null) {
                  p.add("header " + e.getKey() + " (from the before block) is missing");
                }
                return;
              }
              String want = render(e.getValue().asString(), false);
              if (!want.equals(got.headers().getFirst(e.getKey()))) {
                p.add(
                    "header "
                        + e.getKey()
                        + " is "
                        + (got.headers().getFirst(e.getKey()) == null ? "missing" : "different"));
              }
            });
    if ("basic".equals(template.path("auth").path("type").asString())) {
      String want =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (render(template.path("auth").path("username").asString(), false)
                              + ":"
                              + render(template.path("auth").path("password").asString(), false))
                          .getBytes(StandardCharsets.UTF_8));
      if (!want.equals(got.headers().getFirst("Authorization"))) {
        p.add("no HTTP Basic credentials in Authorization");
      }
    }
    JsonNode body = request.path("body").path("json");
    if (!body.isMissingNode()) {
      JsonNode sent = JSON.readTree(got.body());
      body.properties()
          .forEach(
              e -> {
                JsonNode want = JSON.valueToTree(expected(e.getValue()));
                if (!want.equals(sent.path(e.getKey()))) {
                  p.add(
                      "body " + e.getKey() + " = " + sent.path(e.getKey()) + ", expected " + want);
                }
              });
    }
    String raw = request.path("body").path("raw").asString("");
    if (!raw.isEmpty()) {
      String want = BEFORE.matcher(raw).find() ? null : render(raw, false);
      if (want != null ? !want.equals(got.body()) : got.body().isEmpty()) {
        p.add("raw body " + got.body() + ", expected " + (want == null ? "one" : want));
      }
      String type = request.path("body").path("contentType").asString();
      if (!type.equals(got.headers().getFirst("Content-Type"))) {
        p.add("Content-Type " + got.headers().getFirst("Content-Type") + ", expected " + type);
      }
    }
    return p;
  }

  /** The value a JSON body template stands for: objects and arrays field by field. */
  private Object expected(JsonNode t) {
    if (t.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      t.properties().forEach(e -> m.put(e.getKey(), expected(e.getValue())));
      return m;
    }
    if (t.isArray()) {
      List<Object> l = new ArrayList<>();
      t.forEach(v -> l.add(expected(v)));
      return l;
    }
    return t.isString() ? whole(t.asString()) : t;
  }

  /** Every way the token request differs from the entry's auth settings. */
  List<String> tokenProblems(StandIn.Received got) {
    List<String> p = new ArrayList<>();
    JsonNode auth = template.path("auth");
    if (got == null) {
      p.add("the token endpoint received no request");
      return p;
    }
    if (!auth.path("method").asString("POST").equals(got.method())) {
      p.add("token request method " + got.method());
    }
    String in = auth.path("parametersIn").asString("form");
    Map<String, List<String>> sent =
        "query".equals(in)
            ? query(got.uri().getRawQuery())
            : "form".equals(in) ? query(got.body()) : null;
    JsonNode json = "json".equals(in) ? JSON.readTree(got.body()) : null;
    auth.path("parameters")
        .properties()
        .forEach(
            e -> {
              String want = render(e.getValue().asString(), false);
              String was =
                  sent != null
                      ? sent.getOrDefault(e.getKey(), List.of("")).get(0)
                      : json.path(e.getKey()).asString("");
              if (!want.equals(was)) {
                p.add(
                    "token request "
                        + e.getKey()
                        + " is "
                        + (was.isEmpty() ? "missing" : "different"));
              }
            });
    return p;
  }

  /** A template's text with every reference filled in (URL-encoded in a URL). */
  private String render(String t, boolean url) {
    Matcher m = REF.matcher(t);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      Object v = value(m.group(1), m.group(2));
      String text = String.valueOf(v instanceof List<?> l ? l.get(0) : v);
      m.appendReplacement(
          sb,
          Matcher.quoteReplacement(
              url
                  ? java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20")
                  : text));
    }
    return m.appendTail(sb).toString();
  }

  /** The value a whole-value template stands for (keeping its type). */
  private Object whole(String t) {
    Matcher m = REF.matcher(t);
    if (m.matches()) {
      return value(m.group(1), m.group(2));
    }
    return render(t, false);
  }

  private Object value(String scope, String name) {
    return switch (scope) {
      case "input" -> inputs.get(name);
      case "auth" -> token;
      default -> parameters.get(name);
    };
  }

  /** A query template's values: a list repeats the parameter. */
  private List<String> values(String t) {
    Object v = whole(t);
    return v instanceof List<?> l
        ? l.stream().map(String::valueOf).toList()
        : List.of(String.valueOf(v));
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> q = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String k = decode(eq < 0 ? pair : pair.substring(0, eq));
        q.computeIfAbsent(k, x -> new ArrayList<>())
            .add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return q;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The steps of a simple JSONPath ($.a.b, $['a'], $.a[0].b): names and indexes. */
  static List<Object> segments(String path) {
    List<Object> out = new ArrayList<>();
    Matcher m =
        Pattern.compile("\\.([A-Za-z0-9_$-]+)|\\['([^']+)'\\]|\\[([0-9]+)\\]")
            .matcher(path.substring(1));
    while (m.find()) {
      out.add(
          m.group(3) != null
              ? (Object) Integer.parseInt(m.group(3))
              : m.group(1) != null ? m.group(1) : m.group(2));
    }
    return out;
  }

  /**
   * Sets {@code value} at {@code steps} inside {@code root}, making the maps and lists on the way.
   */
  @SuppressWarnings("unchecked")
  static void put(Map<String, Object> root, List<Object> steps, Object value) {
    Object node = root;
    for (int i = 0; i < steps.size(); i++) {
      Object step = steps.get(i);
      boolean last = i == steps.size() - 1;
      Object next =
          last
              ? value
              : steps.get(i + 1) instanceof Integer ? new ArrayList<>() : new LinkedHashMap<>();
      if (node instanceof Map<?, ?> map) {
        node = ((Map<String, Object>) map).computeIfAbsent((String) step, k -> next);
      } else if (node instanceof List<?> list) {
        List<Object> l = (List<Object>) list;
        int at = (Integer) step;
        while (l.size() <= at) {
          l.add(null);
        }
        if (l.get(at) == null) {
          l.set(at, next);
        }
        node = l.get(at);
      }
    }
  }

  /**
   * A value of an output's type: {what the upstream sends, what the caller must get}. The rows of
   * an ObjectArray are sent at their fields' paths and come back keyed by the fields' aliases.
   */
  private static Object[] sample(JsonNode out, int n) {
    Object v =
        switch (out.path("type").asString()) {
          case "Number" -> 40 + n;
          case "Boolean" -> true;
          case "DateTime" -> "2026-02-0" + (n % 9 + 1) + "T10:00:00Z";
          case "Object" -> Map.of("k", "o" + n);
          case "Array" -> List.of("x" + n);
          case "ObjectArray" -> null;
          default -> "t" + n;
        };
    if (v != null) {
      return new Object[] {v, v};
    }
    Map<String, Object> sent = new LinkedHashMap<>();
    Map<String, Object> got = new LinkedHashMap<>();
    int f = 0;
    for (JsonNode field : out.path("fields")) {
      Object[] value = sample(field, f++);
      put(sent, segments(field.path("path").asString()), value[0]);
      got.put(field.path("alias").asString(), value[1]);
    }
    return new Object[] {List.of(sent), List.of(got)};
  }
}
