package dev.conduit.runtime.invoke;

import dev.conduit.template.PlainText;
import dev.conduit.template.Scope;
import dev.conduit.template.Template;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the request from an API's templates. Encoding follows where a value lands: connection
 * parameters are trusted configuration and go into the URL as written (a base URL, say); inputs,
 * before-block values and auth values are percent-encoded as a path segment or a query component. A
 * whole-value template in a JSON body keeps its type; a null value leaves a query parameter, form
 * field or header out.
 */
final class RequestRenderer {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private RequestRenderer() {}

  /** Values of one call, by scope. */
  record Values(
      Map<String, Object> connection,
      Map<String, Object> input,
      Map<String, Object> auth,
      Map<String, Object> before)
      implements Function<Template.Ref, Object> {
    @Override
    public Object apply(Template.Ref ref) {
      return switch (ref.scope()) {
        case CONNECTION -> connection.get(ref.name());
        case INPUT -> input.get(ref.name());
        case AUTH -> auth.get(ref.name());
        case BEFORE -> before.get(ref.name());
      };
    }
  }

  /**
   * An input whose value cannot travel in the header a template puts it in (a control character
   * such as NUL): the caller's mistake, not the configuration's.
   */
  static final class UnsendableInput extends Exception {
    final String input;

    UnsendableInput(String input, String message) {
      super(message, null, false, false);
      this.input = input;
    }
  }

  static OutgoingRequest render(PreparedApi api, Values values, Map<String, String> extraHeaders)
      throws URISyntaxException, UnsendableInput {
    String url = url(api.url(), values);
    StringBuilder query = new StringBuilder();
    api.query()
        .forEach(
            (name, t) -> {
              for (String v : multi(t.renderValue(values))) {
                query
                    .append(query.isEmpty() ? "" : "&")
                    .append(encode(name))
                    .append('=')
                    .append(encode(v));
              }
            });
    if (!query.isEmpty()) {
      url += (url.contains("?") ? "&" : "?") + query;
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    byte[] body = null;
    if (api.jsonBody() != null) {
      body = JSON.writeValueAsBytes(renderTree(api.jsonBody(), values));
      headers.put("Content-Type", List.of("application/json; charset=utf-8"));
    } else if (api.formBody() != null) {
      StringBuilder form = new StringBuilder();
      api.formBody()
          .forEach(
              (name, t) -> {
                for (String v : multi(t.renderValue(values))) {
                  form.append(form.isEmpty() ? "" : "&")
                      .append(encode(name))
                      .append('=')
                      .append(encode(v));
                }
              });
      body = form.toString().getBytes(StandardCharsets.UTF_8);
      headers.put("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
    } else if (api.rawBody() != null) {
      body = api.rawBody().renderText(values, Function.identity()).getBytes(StandardCharsets.UTF_8);
      String type = ((dev.conduit.bundle.Api.Body.Raw) api.api().request().body()).contentType();
      headers.put(
          "Content-Type",
          List.of(type == null || type.isBlank() ? "text/plain; charset=utf-8" : type));
    }
    for (Map.Entry<String, Template> h : api.headers().entrySet()) {
      checkInputs(h.getKey(), h.getValue(), values);
      Object v = h.getValue().renderValue(values);
      if (v != null) {
        putHeader(headers, h.getKey(), PlainText.of(v)); // may replace the body's Content-Type
      }
    }
    extraHeaders.forEach((k, v) -> putHeader(headers, k, v)); // auth headers win
    return new OutgoingRequest(
        api.api().request().method(),
        new URI(url),
        headers,
        body,
        api.api().request().timeoutSeconds(),
        api.carriesSecrets());
  }

  /**
   * Refuses an input that would put a character HTTP cannot carry into a header (line breaks
   * excepted: they become spaces, see {@link #putHeader}), naming the input, before anything is
   * sent. Left to the wire guard, it would be a CONFIGURATION failure that alerts the owner.
   */
  private static void checkInputs(String header, Template t, Values values) throws UnsendableInput {
    for (Template.Ref ref : t.references()) {
      if (ref.scope() != Scope.INPUT) {
        continue;
      }
      Object v = values.apply(ref);
      String text = v == null ? "" : PlainText.of(v).replace('\r', ' ').replace('\n', ' ');
      int bad = Upstream.unsendable(text);
      if (bad >= 0) {
        throw new UnsendableInput(
            ref.name(),
            "has a control character ("
                + Upstream.codePoint(text.charAt(bad))
                + ") at position "
                + bad
                + ", which cannot be sent in the header \""
                + header
                + "\"");
      }
    }
  }

  /** The URL: connection values as written, other values percent-encoded where they land. */
  static String url(Template t, Function<Template.Ref, Object> values) {
    StringBuilder out = new StringBuilder();
    for (Template.Part part : t.parts()) {
      switch (part) {
        case Template.Text text -> out.append(text.text());
        case Template.Ref ref -> {
          String v = PlainText.of(values.apply(ref));
          if (ref.scope() == Scope.CONNECTION) {
            out.append(v);
          } else if (out.indexOf("?") >= 0) {
            out.append(encode(v));
          } else {
            out.append(encodePathSegment(v));
          }
        }
      }
    }
    return out.toString();
  }

  private static Object renderTree(Object node, Values values) {
    if (node instanceof Template t) {
      return t.renderValue(values);
    }
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), renderTree(v, values)));
      return out;
    }
    if (node instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(renderTree(v, values)));
      return out;
    }
    return node;
  }

  /** A value as query/form values: null omits, a list repeats, anything else is its text. */
  private static List<String> multi(Object v) {
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l
        && l.stream().noneMatch(x -> x instanceof Map || x instanceof List)) {
      return l.stream().map(PlainText::of).toList();
    }
    return List.of(PlainText.of(v));
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * A value as (part of) one path segment: everything but unreserved characters percent-encoded,
   * and "." or ".." encoded too, so a value cannot climb the upstream's path ({@code /items/..}
   * would be {@code /} to many servers).
   */
  static String encodePathSegment(String s) {
    if (s.equals(".") || s.equals("..")) {
      return s.replace(".", "%2E");
    }
    return encode(s).replace("%7E", "~");
  }

  /**
   * Sets a header, replacing one of the same name in any case. Header values cannot hold line
   * breaks (header injection): they become spaces.
   */
  static void putHeader(Map<String, List<String>> headers, String name, String value) {
    headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
    headers.put(name, List.of(value.replace('\r', ' ').replace('\n', ' ')));
  }
}
