package dev.conduit.runtime.invoke;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.Option;
import dev.conduit.bundle.Api;
import dev.conduit.runtime.invoke.PreparedApi.PreparedOutput;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads outputs from the response body (or the after block's result) by JSONPath and gives
 * each its declared type. A value that cannot take the type losslessly becomes null, and a
 * path that matches nothing gives null: outputs never fail a call that succeeded upstream.
 */
final class OutputExtractor {

  private static final Configuration PATHS = Configuration.defaultConfiguration()
      .addOptions(Option.SUPPRESS_EXCEPTIONS, Option.DEFAULT_PATH_LEAF_TO_NULL);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private OutputExtractor() {}

  static Map<String, Object> extract(List<PreparedOutput> outputs, Object document) {
    Map<String, Object> data = new LinkedHashMap<>();
    for (PreparedOutput o : outputs) {
      data.put(o.output().alias(), value(o, document));
    }
    return data;
  }

  private static Object value(PreparedOutput o, Object document) {
    Object raw = document == null ? null : o.path().read(document, PATHS);
    return typed(o, raw);
  }

  private static Object typed(PreparedOutput o, Object v) {
    if (v == null) {
      return null;
    }
    return switch (o.output().type()) {
      case Text -> v instanceof Map || v instanceof List ? JSON.writeValueAsString(v)
          : v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v);
      case Number -> Numbers.of(v);
      case Boolean -> v instanceof Boolean b ? b
          : "true".equalsIgnoreCase(String.valueOf(v)) ? Boolean.TRUE
          : "false".equalsIgnoreCase(String.valueOf(v)) ? Boolean.FALSE : null;
      case DateTime -> v instanceof Number n ? Instant.ofEpochMilli(n.longValue()).toString()
          : v instanceof String s ? s : null;
      case Object -> v instanceof Map ? v : null;
      case Array -> v instanceof List ? v : List.of(v);
      case ObjectArray -> objectArray(o, v);
    };
  }

  private static Object objectArray(PreparedOutput o, Object v) {
    List<?> items = v instanceof List<?> l ? l : List.of(v); // one object is a list of one
    List<Object> out = new ArrayList<>(items.size());
    for (Object item : items) {
      if (!(item instanceof Map)) {
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      for (PreparedOutput f : o.fields()) {
        row.put(f.output().alias(), typed(f, f.path().read(item, PATHS)));
      }
      out.add(row);
    }
    return out;
  }



}
