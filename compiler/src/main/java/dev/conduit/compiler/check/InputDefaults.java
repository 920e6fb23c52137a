package dev.conduit.compiler.check;

import dev.conduit.bundle.Api.InputType;
import dev.conduit.compiler.model.ApiFile.InputEntry;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/** Whether a default value fits its input type (the runtime applies the same rules to calls). */
final class InputDefaults {
  private InputDefaults() {}

  /** Null when the value fits; otherwise why not. */
  static String misfit(InputEntry input, JsonNode value) {
    InputType type = InputType.valueOf(input.type());
    return switch (type) {
      case Text -> value.isValueNode() ? null : "a Text default must be a string";
      case Number ->
          value.isNumber() || (value.isString() && isNumber(value.asString()))
              ? null
              : "a Number default must be a number";
      case DateTime ->
          value.isString() && isDateTime(value.asString())
              ? null
              : "a DateTime default must be an ISO-8601 date or date-time, e.g. 2026-01-31T09:00:00+08:00";
      case Members, Department ->
          arrayOf(
              value,
              v -> v.isString() && !v.asString().isBlank(),
              "a " + type + " default must be an array of ids, e.g. [\"u-001\"]");
      case Attachment ->
          arrayOf(
              value,
              v -> v.isString() && v.asString().matches("https?://\\S+"),
              "an Attachment default must be an array of http(s) URLs, e.g. [\"https://files.example/a.pdf\"]");
      case Array ->
          arrayOf(
              value, JsonNode::isValueNode, "an Array default must be an array of text or numbers");
      case ObjectArray -> objectArray(input, value);
    };
  }

  private static String arrayOf(
      JsonNode value, java.util.function.Predicate<JsonNode> ok, String message) {
    if (!value.isArray()) {
      return message;
    }
    for (JsonNode v : value) {
      if (!ok.test(v)) {
        return message;
      }
    }
    return null;
  }

  private static String objectArray(InputEntry input, JsonNode value) {
    if (!value.isArray()) {
      return "an ObjectArray default must be an array of objects";
    }
    Map<String, InputEntry> fields =
        input.fieldsOrEmpty().stream()
            .collect(Collectors.toMap(InputEntry::alias, Function.identity(), (a, b) -> a));
    for (JsonNode item : value) {
      if (!item.isObject()) {
        return "an ObjectArray default must be an array of objects";
      }
      for (Iterator<String> it = item.propertyNames().iterator(); it.hasNext(); ) {
        String key = it.next();
        InputEntry field = fields.get(key);
        if (field == null) {
          return "the default has \""
              + key
              + "\", which is not a sub-element alias "
              + fields.keySet();
        }
        String misfit = misfit(field, item.get(key));
        if (misfit != null) {
          return "sub-element \"" + key + "\": " + misfit;
        }
      }
    }
    return null;
  }

  static boolean isNumber(String s) {
    try {
      new java.math.BigDecimal(s.strip());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static boolean isDateTime(String s) {
    for (Function<String, Object> parser :
        java.util.List.<Function<String, Object>>of(
            OffsetDateTime::parse, LocalDateTime::parse, LocalDate::parse)) {
      try {
        parser.apply(s);
        return true;
      } catch (DateTimeParseException e) {
        // try the next form
      }
    }
    return false;
  }
}
