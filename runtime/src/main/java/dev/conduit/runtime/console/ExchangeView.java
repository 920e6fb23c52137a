package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request as sent and the response received, as Test API returns them and request logs keep them:
 * already masked by the engine (every secret and credential header is {@code ******}).
 */
final class ExchangeView {
  private ExchangeView() {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The exchange map ({@code request}, {@code response}, as the JSON API gives it). */
  static String html(Map<String, Object> exchange) {
    StringBuilder b = new StringBuilder();
    if (exchange.get("request") instanceof Map<?, ?> r) {
      b.append("<h3>Request as sent</h3><p><code id=\"sent-line\">")
          .append(esc(String.valueOf(r.get("method"))))
          .append(" ")
          .append(esc(String.valueOf(r.get("url"))))
          .append("</code></p>")
          .append(headers(r.get("headers"), "sent-headers"))
          .append(body(r.get("body"), "sent-body"));
    } else {
      b.append("<p>No request was sent.</p>");
    }
    if (exchange.get("response") instanceof Map<?, ?> r) {
      b.append("<h3>Response</h3><p>Status <strong id=\"received-status\">")
          .append(esc(String.valueOf(r.get("status"))))
          .append("</strong>")
          .append(Boolean.TRUE.equals(r.get("bodyTruncated")) ? " (body cut at the cap)" : "")
          .append("</p>")
          .append(headers(r.get("headers"), "received-headers"))
          .append(body(r.get("body"), "received-body"));
    }
    return b.toString();
  }

  private static String headers(Object headers, String id) {
    if (!(headers instanceof Map<?, ?> m) || m.isEmpty()) {
      return "";
    }
    StringBuilder b =
        new StringBuilder(
            "<table id=\""
                + id
                + "\"><thead><tr><th scope=\"col\">Header</th><th scope=\"col\">Value</th></tr></thead><tbody>");
    m.forEach(
        (k, v) ->
            b.append("<tr><td>")
                .append(esc(String.valueOf(k)))
                .append("</td><td><code>")
                .append(
                    esc(
                        v instanceof List<?> l && l.size() == 1
                            ? String.valueOf(l.get(0))
                            : String.valueOf(v)))
                .append("</code></td></tr>"));
    return b.append("</tbody></table>").toString();
  }

  private static String body(Object body, String id) {
    if (body == null || String.valueOf(body).isEmpty()) {
      return "";
    }
    return "<pre id=\"" + id + "\"><code>" + json(String.valueOf(body)) + "</code></pre>";
  }

  /** Text that is JSON comes back indented and highlighted; other text escaped as it is. */
  static String json(String text) {
    try {
      Object value = JSON.readValue(text, Object.class);
      return Highlighter.html(pretty(value), Highlighter.Language.JSON);
    } catch (JacksonException e) {
      return esc(text);
    }
  }

  static String pretty(Object value) {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
  }
}
