package dev.conduit.runtime.console;

import dev.conduit.runtime.logs.RequestLog;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** A request log's stored request and response (JSON text, masked when logged) as a map. */
final class LogExchange {
  private LogExchange() {}

  private static final JsonMapper JSON = JsonMapper.builder().build();

  static Map<String, Object> of(RequestLog l) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "request", l.request());
    put(m, "response", l.response());
    return m;
  }

  private static void put(Map<String, Object> m, String key, String text) {
    if (text == null) {
      return;
    }
    try {
      m.put(key, JSON.readValue(text, Object.class));
    } catch (JacksonException e) {
      m.put(key, Map.of("body", text)); // a record cut at the column's size
    }
  }
}
