package dev.conduit.bench.compiler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for the generator: ordered objects and lists built in code, written in the
 * example repository's style (two-space indent, {@code "key": value}, "\n" line ends), so a
 * generated file looks like one a person keeps.
 */
final class Json {
  private Json() {}

  /** An ordered object from alternating keys and values; null values are left out. */
  static Map<String, Object> obj(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values come in pairs");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        map.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
    }
    return map;
  }

  /** A mutable list (shapes add to it). */
  static List<Object> list(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  static String write(Object value) {
    StringBuilder sb = new StringBuilder(1024);
    write(sb, value, 0);
    return sb.append('\n').toString();
  }

  private static void write(StringBuilder sb, Object value, int depth) {
    switch (value) {
      case null -> sb.append("null");
      case String s -> string(sb, s);
      case Number n -> sb.append(n);
      case Boolean b -> sb.append(b);
      case Map<?, ?> map -> {
        if (map.isEmpty()) {
          sb.append("{}");
          return;
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          sb.append(first ? "\n" : ",\n");
          first = false;
          indent(sb, depth + 1);
          string(sb, (String) e.getKey());
          sb.append(": ");
          write(sb, e.getValue(), depth + 1);
        }
        sb.append('\n');
        indent(sb, depth);
        sb.append('}');
      }
      case List<?> list -> {
        if (list.isEmpty()) {
          sb.append("[]");
          return;
        }
        sb.append('[');
        boolean first = true;
        for (Object item : list) {
          sb.append(first ? "\n" : ",\n");
          first = false;
          indent(sb, depth + 1);
          write(sb, item, depth + 1);
        }
        sb.append('\n');
        indent(sb, depth);
        sb.append(']');
      }
      default -> throw new IllegalArgumentException("not JSON: " + value.getClass());
    }
  }

  private static void indent(StringBuilder sb, int depth) {
    sb.append("  ".repeat(depth));
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
