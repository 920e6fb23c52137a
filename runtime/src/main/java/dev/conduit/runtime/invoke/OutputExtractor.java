package dev.conduit.runtime.invoke;

import dev.conduit.runtime.invoke.PreparedApi.PreparedOutput;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads outputs from the response body (or the after block's result) with their precompiled
 * JSONPaths and gives each its declared type. Conversions that lose nothing are made:
 *
 * <ul>
 *   <li>Text: a string; a number, boolean, object or array becomes its (JSON) text.
 *   <li>Number: a number, or numeric text.
 *   <li>Boolean: a boolean, the text "true"/"false" (any case), or the number 1/0.
 *   <li>DateTime: ISO-8601 text (a date or date-time, with or without offset) as is; a number is an
 *       epoch time, in seconds below 100,000,000,000 and in milliseconds from there, given as an
 *       ISO-8601 instant.
 *   <li>Object: an object. Array: a list (one value becomes a list of one).
 *   <li>ObjectArray: a list of objects (one object becomes a list of one), each field read by its
 *       path relative to the element, nested object arrays included.
 * </ul>
 *
 * A path that matches nothing gives null. A value that cannot take its type gives null and a
 * warning at its path: outputs never fail a call the upstream answered.
 */
final class OutputExtractor {

  /** Epoch numbers below this are seconds, from here on milliseconds (1973-03-03 in ms). */
  static final long EPOCH_MILLIS_FROM = 100_000_000_000L;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The outputs by alias, and what could not be converted. */
  record Extracted(Map<String, Object> data, List<Outcome.Detail> warnings) {}

  private OutputExtractor() {}

  static Extracted extract(List<PreparedOutput> outputs, Object document) {
    Map<String, Object> data = new LinkedHashMap<>();
    List<Outcome.Detail> warnings = new ArrayList<>();
    for (PreparedOutput o : outputs) {
      data.put(o.output().alias(), typed(o, read(o, document), o.output().alias(), warnings));
    }
    return new Extracted(data, warnings);
  }

  private static Object read(PreparedOutput o, Object document) {
    if (!(document instanceof Map) && !(document instanceof List)) {
      return null; // text or nothing: no path matches
    }
    return o.path().read(document, UpstreamJson.PATHS);
  }

  private static Object typed(
      PreparedOutput o, Object v, String path, List<Outcome.Detail> warnings) {
    if (v == null) {
      return null;
    }
    Object out =
        switch (o.output().type()) {
          case Text -> text(v);
          case Number -> v instanceof Boolean ? null : Numbers.of(v);
          case Boolean -> bool(v);
          case DateTime -> dateTime(v);
          case Object -> v instanceof Map ? v : null;
          case Array -> v instanceof List ? v : List.of(v);
          case ObjectArray -> objectArray(o, v, path, warnings);
        };
    if (out == null) {
      warnings.add(
          new Outcome.Detail(
              path,
              "the value is "
                  + describe(v)
                  + ", which is not a "
                  + o.output().type()
                  + ": the output is null"));
    }
    return out;
  }

  private static Object text(Object v) {
    return switch (v) {
      case String s -> s;
      case BigDecimal d -> Numbers.text(d);
      case Map<?, ?> m -> JSON.writeValueAsString(m);
      case List<?> l -> JSON.writeValueAsString(l);
      default -> String.valueOf(v);
    };
  }

  private static Object bool(Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s) {
      return "true".equalsIgnoreCase(s.strip())
          ? Boolean.TRUE
          : "false".equalsIgnoreCase(s.strip()) ? Boolean.FALSE : null;
    }
    if (v instanceof Number) {
      BigDecimal d = Numbers.of(v);
      return d == null
          ? null
          : d.compareTo(BigDecimal.ONE) == 0
              ? Boolean.TRUE
              : d.signum() == 0 ? Boolean.FALSE : null;
    }
    return null;
  }

  private static Object dateTime(Object v) {
    if (v instanceof String s) {
      return InputValidator.isDateTime(s.strip()) ? s.strip() : null;
    }
    if (v instanceof Number) {
      BigDecimal d = Numbers.of(v);
      if (d == null || d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1000)) > 0) {
        return null;
      }
      long n = d.longValue();
      try {
        return (Math.abs(n) < EPOCH_MILLIS_FROM
                ? Instant.ofEpochSecond(n)
                : Instant.ofEpochMilli(n))
            .toString();
      } catch (java.time.DateTimeException e) {
        return null;
      }
    }
    return null;
  }

  private static Object objectArray(
      PreparedOutput o, Object v, String path, List<Outcome.Detail> warnings) {
    if (!(v instanceof List) && !(v instanceof Map)) {
      return null;
    }
    List<?> items = v instanceof List<?> l ? l : List.of(v); // one object is a list of one
    List<Object> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      String at = path + "[" + i + "]";
      if (!(item instanceof Map)) {
        warnings.add(
            new Outcome.Detail(
                at, "the element is " + describe(item) + ", not an object: it is left out"));
        continue;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      for (PreparedOutput f : o.fields()) {
        row.put(
            f.output().alias(),
            typed(
                f,
                f.path().read(item, UpstreamJson.PATHS),
                at + "." + f.output().alias(),
                warnings));
      }
      out.add(row);
    }
    return out;
  }

  private static String describe(Object v) {
    String kind =
        switch (v) {
          case null -> "null";
          case Map<?, ?> m -> "an object";
          case List<?> l -> "an array";
          case Boolean b -> "the boolean " + b;
          case Number n -> "the number " + (Numbers.of(n) == null ? n : Numbers.of(n).toString());
          default -> "the text \"" + Recorder.excerpt(String.valueOf(v)) + "\"";
        };
    return kind.length() > 120 ? kind.substring(0, 120) + "..." : kind;
  }
}
