package dev.conduit.template;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/** The text form of a plain-data value, as a reference inside a longer string inserts it. */
public final class PlainText {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private PlainText() {}

  /**
   * Null is empty; strings are themselves; numbers print without exponent or trailing ".0" noise;
   * lists of scalars join with commas (e.g. member ids in a query); objects and nested lists print
   * as compact JSON.
   */
  public static String of(Object value) {
    return switch (value) {
      case null -> "";
      case String s -> s;
      case BigDecimal d ->
          d.stripTrailingZeros().scale() <= 0
              ? d.toBigInteger().toString()
              : d.stripTrailingZeros().toPlainString();
      case Double d when d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15 ->
          Long.toString(d.longValue());
      case List<?> list when list.stream().noneMatch(v -> v instanceof Map || v instanceof List) ->
          list.stream().map(PlainText::of).collect(Collectors.joining(","));
      case List<?> list -> JSON.writeValueAsString(list);
      case Map<?, ?> map -> JSON.writeValueAsString(map);
      default -> value.toString();
    };
  }
}
