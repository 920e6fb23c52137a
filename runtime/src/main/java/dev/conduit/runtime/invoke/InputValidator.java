package dev.conduit.runtime.invoke;

import dev.conduit.bundle.Api;
import dev.conduit.bundle.Api.Input;
import dev.conduit.bundle.Api.InputType;
import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a call's inputs exactly as the product defines them and returns them normalized
 * (defaults filled in, numbers as BigDecimal, id lists as lists), or every problem at once,
 * each with its path ({@code items[2].sku}).
 *
 * <p>Empty means null, an empty or blank string, or an empty list. Required inputs cannot be
 * empty, except the second object-array rule: a required object array whose sub-elements are
 * all optional may be an empty list (but must be passed).
 */
public final class InputValidator {

  /** Either the normalized inputs or the problems. */
  public record Result(Map<String, Object> values, List<Outcome.Detail> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private InputValidator() {}

  public static Result validate(List<Input> inputs, Map<String, Object> given) {
    Map<String, Object> values = new LinkedHashMap<>();
    List<Outcome.Detail> problems = new ArrayList<>();
    Set<String> known = new HashSet<>();
    for (Input in : inputs) {
      known.add(in.alias());
      Object v = field(in, given.get(in.alias()), in.alias(), problems);
      if (v != null) {
        values.put(in.alias(), v);
      }
    }
    for (String key : given.keySet()) {
      if (!known.contains(key)) {
        problems.add(new Outcome.Detail(key, "unknown input: the API has no input with this alias"));
      }
    }
    return new Result(values, problems);
  }

  /** One input or sub-element: empty/required/default, then the type. */
  private static Object field(Input in, Object raw, String path, List<Outcome.Detail> problems) {
    if (in.type() == InputType.ObjectArray) {
      return objectArray(in, raw, path, problems);
    }
    if (isEmpty(raw)) {
      if (in.required()) {
        problems.add(new Outcome.Detail(path, in.name() + " is required"));
        return null;
      }
      return in.defaultValue() == null ? null : coerce(in.type(), in.defaultValue(), path, new ArrayList<>());
    }
    return coerce(in.type(), raw, path, problems);
  }

  private static Object objectArray(Input in, Object raw, String path, List<Outcome.Detail> problems) {
    boolean anyRequiredField = in.fields().stream().anyMatch(Input::required);
    if (raw == null) {
      if (in.required()) {
        // rule 1: a required object array must be passed
        problems.add(new Outcome.Detail(path, in.name() + " is required"));
      }
      // rule 4: an optional one that is not passed is not checked
      return in.defaultValue();
    }
    if (!(raw instanceof List<?> list)) {
      problems.add(new Outcome.Detail(path, in.name() + " must be an array of objects"));
      return null;
    }
    if (list.isEmpty() && in.required() && anyRequiredField) {
      // rule 3 (rule 2 allows an empty list only when no sub-element is required)
      problems.add(new Outcome.Detail(path, in.name() + " needs at least one element: its sub-elements "
          + in.fields().stream().filter(Input::required).map(Input::alias).toList() + " are required"));
      return null;
    }
    List<Object> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String at = path + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> element)) {
        problems.add(new Outcome.Detail(at, "must be an object keyed by sub-element aliases"));
        continue;
      }
      Map<String, Object> normalized = new LinkedHashMap<>();
      Set<String> fieldAliases = new HashSet<>();
      for (Input f : in.fields()) {
        fieldAliases.add(f.alias());
        // rules 3 and 4: every passed element gives its required sub-elements a value
        Object v = field(f, element.get(f.alias()), at + "." + f.alias(), problems);
        if (v != null) {
          normalized.put(f.alias(), v);
        }
      }
      for (Object key : element.keySet()) {
        if (!fieldAliases.contains(String.valueOf(key))) {
          problems.add(new Outcome.Detail(at + "." + key, "unknown sub-element: use the aliases " + fieldAliases));
        }
      }
      out.add(normalized);
    }
    return out;
  }

  static boolean isEmpty(Object v) {
    return v == null || (v instanceof String s && s.isBlank()) || (v instanceof List<?> l && l.isEmpty());
  }

  private static Object coerce(InputType type, Object v, String path, List<Outcome.Detail> problems) {
    return switch (type) {
      case Text -> v instanceof String || v instanceof Number || v instanceof Boolean
          ? (v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v))
          : bad(path, "must be text", problems);
      case Number -> number(v, path, problems);
      case DateTime -> v instanceof String s && isDateTime(s.strip()) ? s.strip()
          : bad(path, "must be an ISO-8601 date or date-time, e.g. 2026-11-23T09:30:00+08:00", problems);
      case Members, Department -> ids(v, path, type == InputType.Members ? "member" : "department", problems);
      case Attachment -> urls(v, path, problems);
      case Array -> v instanceof List<?> list && list.stream().allMatch(InputValidator::isScalar)
          ? List.copyOf(list) : bad(path, "must be an array of text or numbers", problems);
      case ObjectArray -> throw new IllegalStateException("handled by objectArray");
    };
  }

  private static Object number(Object v, String path, List<Outcome.Detail> problems) {
    BigDecimal n = Numbers.of(v);
    return n != null ? n : bad(path, "must be a number", problems);
  }

  private static Object ids(Object v, String path, String what, List<Outcome.Detail> problems) {
    List<?> list = v instanceof List<?> l ? l : List.of(v); // one id may come without brackets
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String s) || s.isBlank() || s.length() > 128) {
        problems.add(new Outcome.Detail(path + "[" + i + "]", "must be a " + what + " id (non-empty text)"));
      } else {
        out.add(s.strip());
      }
    }
    return out;
  }

  private static Object urls(Object v, String path, List<Outcome.Detail> problems) {
    List<?> list = v instanceof List<?> l ? l : List.of(v);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof String s && isHttpUrl(s)) {
        out.add(s);
      } else {
        problems.add(new Outcome.Detail(path + "[" + i + "]",
            "must be a file URL (http or https): attachments are [\"URL1\",\"URL2\",...]"));
      }
    }
    return out;
  }

  private static boolean isHttpUrl(String s) {
    try {
      URI uri = new URI(s);
      return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static boolean isScalar(Object o) {
    return o instanceof String || o instanceof Number || o instanceof Boolean;
  }

  static boolean isDateTime(String s) {
    try {
      OffsetDateTime.parse(s);
      return true;
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      LocalDateTime.parse(s);
      return true;
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      LocalDate.parse(s);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static Object bad(String path, String message, List<Outcome.Detail> problems) {
    problems.add(new Outcome.Detail(path, message));
    return null;
  }

}
