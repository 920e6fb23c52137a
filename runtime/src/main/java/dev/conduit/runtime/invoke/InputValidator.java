package dev.conduit.runtime.invoke;

import dev.conduit.bundle.Api.Input;
import dev.conduit.bundle.Api.InputType;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a call's inputs exactly as the product defines them and returns them normalized (defaults
 * filled in, numbers as BigDecimal, id lists as lists), or every problem at once, each with its
 * path ({@code items[2].sku}).
 *
 * <p>The rules, in the order they apply to one value:
 *
 * <ol>
 *   <li>Shape limits first (hostile payloads): at most {@link #MAX_DEPTH} levels of nesting and
 *       {@link #MAX_VALUES} values in all; past them nothing else is checked.
 *   <li>Empty means null, an empty or blank string, or an empty list. A required value cannot be
 *       empty; an empty optional value takes its default (sub-elements too) or stays absent.
 *   <li>Types: Text is a string (a number or boolean is accepted and becomes its text); Number is a
 *       JSON number or numeric text, at most {@link Numbers#MAX_DIGITS} digits on each side of the
 *       point; DateTime is ISO-8601 (a date, or a date-time with or without offset); Members and
 *       Department are lists of non-empty ids (one id without brackets is a list of one);
 *       Attachment is a list of http(s) URLs (one URL without brackets is a list of one); Array is
 *       a list of scalars; ObjectArray is a list of objects keyed by the sub-elements' aliases.
 *   <li>The four object-array rules of the product: (1) a required object array must be passed; (2)
 *       a required one whose sub-elements are all optional may be an empty list; (3) a required one
 *       with required sub-elements gets them checked (so it needs at least one element); (4) an
 *       optional one that is not passed is not checked, but every element of one that is passed
 *       must give its required sub-elements a value.
 *   <li>Unknown input names and unknown sub-element keys are problems too.
 * </ol>
 */
public final class InputValidator {

  /** Deepest nesting accepted in the inputs (an object array of objects is depth 3). */
  public static final int MAX_DEPTH = 32;

  /** Most values (scalars, lists and objects together) accepted in one call's inputs. */
  public static final int MAX_VALUES = 10_000;

  /** Longest id of a member or department. */
  static final int MAX_ID = 128;

  /** Either the normalized inputs or the problems. */
  public record Result(Map<String, Object> values, List<Outcome.Detail> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private InputValidator() {}

  public static Result validate(List<Input> inputs, Map<String, Object> given) {
    List<Outcome.Detail> problems = new ArrayList<>();
    Outcome.Detail shape = shape(given);
    if (shape != null) {
      return new Result(Map.of(), List.of(shape));
    }
    Map<String, Object> values = new LinkedHashMap<>();
    Set<String> known = new LinkedHashSet<>();
    for (Input in : inputs) {
      known.add(in.alias());
      Object v = field(in, given.get(in.alias()), in.alias(), problems);
      if (v != null) {
        values.put(in.alias(), v);
      }
    }
    for (String key : given.keySet()) {
      if (!known.contains(key)) {
        problems.add(new Outcome.Detail(key, "unknown input: this API's inputs are " + known));
      }
    }
    return new Result(values, problems);
  }

  /** The first shape limit the inputs break, or null. */
  private static Outcome.Detail shape(Map<String, Object> given) {
    int[] count = {0};
    String deep = deepest(given, "", 1, count);
    if (deep != null) {
      return new Outcome.Detail(
          deep.isEmpty() ? "(body)" : deep,
          "nested deeper than " + MAX_DEPTH + " levels: inputs are not checked further");
    }
    if (count[0] > MAX_VALUES) {
      return new Outcome.Detail(
          "(body)",
          "more than " + MAX_VALUES + " values in the inputs: they are not checked further");
    }
    return null;
  }

  /** Counts values and returns the path where nesting passes MAX_DEPTH (or null). */
  private static String deepest(Object v, String path, int depth, int[] count) {
    if (++count[0] > MAX_VALUES) {
      return null; // reported by the caller; stop walking
    }
    if (!(v instanceof Map) && !(v instanceof List)) {
      return null;
    }
    if (depth > MAX_DEPTH) {
      return path;
    }
    if (v instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String p =
            deepest(
                e.getValue(),
                path.isEmpty() ? String.valueOf(e.getKey()) : path + "." + e.getKey(),
                depth + 1,
                count);
        if (p != null || count[0] > MAX_VALUES) {
          return p;
        }
      }
    } else {
      List<?> l = (List<?>) v;
      for (int i = 0; i < l.size(); i++) {
        String p = deepest(l.get(i), path + "[" + i + "]", depth + 1, count);
        if (p != null || count[0] > MAX_VALUES) {
          return p;
        }
      }
    }
    return null;
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
      // a default that does not fit its type is the compiler's to report; here it is dropped
      return in.defaultValue() == null
          ? null
          : coerce(in.type(), in.defaultValue(), path, new ArrayList<>());
    }
    return coerce(in.type(), raw, path, problems);
  }

  private static Object objectArray(
      Input in, Object raw, String path, List<Outcome.Detail> problems) {
    if (raw == null) {
      if (in.required()) {
        // rule 1: a required object array must be passed
        problems.add(new Outcome.Detail(path, in.name() + " is required"));
        return null;
      }
      // rule 4: an optional one that is not passed is not checked; its default, if any, is
      // normalized like a passed value (sub-element defaults filled)
      return in.defaultValue() == null
          ? null
          : elements(in, in.defaultValue(), path, new ArrayList<>());
    }
    if (!(raw instanceof List<?> list)) {
      problems.add(
          new Outcome.Detail(
              path,
              in.name()
                  + " must be an array of objects keyed by "
                  + in.fields().stream().map(Input::alias).toList()));
      return null;
    }
    List<String> requiredFields =
        in.fields().stream().filter(Input::required).map(Input::alias).toList();
    if (list.isEmpty() && in.required() && !requiredFields.isEmpty()) {
      // rule 3 (rule 2 allows an empty list only when no sub-element is required)
      problems.add(
          new Outcome.Detail(
              path,
              in.name()
                  + " needs at least one element: its sub-elements "
                  + requiredFields
                  + " are required"));
      return null;
    }
    return elements(in, list, path, problems);
  }

  /**
   * Each element of an object array: sub-elements checked, defaults filled, unknown keys reported.
   */
  private static List<Object> elements(
      Input in, Object raw, String path, List<Outcome.Detail> problems) {
    if (!(raw instanceof List<?> list)) {
      return null;
    }
    List<Object> out = new ArrayList<>(list.size());
    Set<String> fieldAliases = new LinkedHashSet<>();
    in.fields().forEach(f -> fieldAliases.add(f.alias()));
    for (int i = 0; i < list.size(); i++) {
      String at = path + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> element)) {
        problems.add(
            new Outcome.Detail(
                at, "must be an object keyed by sub-element aliases " + fieldAliases));
        continue;
      }
      Map<String, Object> normalized = new LinkedHashMap<>();
      for (Input f : in.fields()) {
        // rules 3 and 4: every passed element gives its required sub-elements a value
        Object v = field(f, element.get(f.alias()), at + "." + f.alias(), problems);
        if (v != null) {
          normalized.put(f.alias(), v);
        }
      }
      for (Object key : element.keySet()) {
        if (!fieldAliases.contains(String.valueOf(key))) {
          problems.add(
              new Outcome.Detail(
                  at + "." + key, "unknown sub-element: use the aliases " + fieldAliases));
        }
      }
      out.add(normalized);
    }
    return out;
  }

  static boolean isEmpty(Object v) {
    return v == null
        || (v instanceof String s && s.isBlank())
        || (v instanceof List<?> l && l.isEmpty());
  }

  private static Object coerce(
      InputType type, Object v, String path, List<Outcome.Detail> problems) {
    return switch (type) {
      case Text -> text(v, path, problems);
      case Number -> number(v, path, problems);
      case DateTime ->
          v instanceof String s && isDateTime(s.strip())
              ? s.strip()
              : bad(
                  path,
                  "must be an ISO-8601 date or date-time, e.g. 2026-11-23, 2026-11-23T09:30:00 or "
                      + "2026-11-23T09:30:00+08:00",
                  problems);
      case Members, Department ->
          ids(v, path, type == InputType.Members ? "member" : "department", problems);
      case Attachment -> urls(v, path, problems);
      case Array -> array(v, path, problems);
      case ObjectArray -> throw new IllegalStateException("handled by objectArray");
    };
  }

  private static Object text(Object v, String path, List<Outcome.Detail> problems) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Boolean b) {
      return b.toString();
    }
    if (v instanceof Number) {
      BigDecimal d = Numbers.of(v);
      return d != null && Numbers.printable(d)
          ? Numbers.text(d)
          : bad(path, "must be text (this number is too long)", problems);
    }
    return bad(path, "must be text, not " + kind(v), problems);
  }

  private static Object number(Object v, String path, List<Outcome.Detail> problems) {
    if (v instanceof Boolean || v instanceof Map || v instanceof List) {
      return bad(path, "must be a number, not " + kind(v), problems);
    }
    BigDecimal d = Numbers.of(v);
    if (d == null) {
      return bad(path, "must be a number", problems);
    }
    if (!Numbers.printable(d)) {
      return bad(
          path,
          "must be a number of at most "
              + Numbers.MAX_DIGITS
              + " digits before and after the point",
          problems);
    }
    return d;
  }

  private static Object ids(Object v, String path, String what, List<Outcome.Detail> problems) {
    List<?> list = v instanceof List<?> l ? l : List.of(v); // one id may come without brackets
    List<String> out = new ArrayList<>();
    int before = problems.size();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String s) || s.isBlank() || s.length() > MAX_ID) {
        problems.add(
            new Outcome.Detail(
                path + "[" + i + "]",
                "must be a " + what + " id (non-empty text of at most " + MAX_ID + " characters)"));
      } else {
        out.add(s.strip());
      }
    }
    return problems.size() == before ? out : null;
  }

  private static Object urls(Object v, String path, List<Outcome.Detail> problems) {
    List<?> list = v instanceof List<?> l ? l : List.of(v); // one URL may come without brackets
    List<String> out = new ArrayList<>();
    int before = problems.size();
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof String s && isHttpUrl(s.strip())) {
        out.add(s.strip());
      } else {
        problems.add(
            new Outcome.Detail(
                path + "[" + i + "]",
                "must be a file URL (http or https): attachments are [\"URL1\",\"URL2\",...]"));
      }
    }
    return problems.size() == before ? out : null;
  }

  private static Object array(Object v, String path, List<Outcome.Detail> problems) {
    if (!(v instanceof List<?> list)) {
      return bad(path, "must be an array of text, numbers or booleans, e.g. [\"a\", 2]", problems);
    }
    int before = problems.size();
    for (int i = 0; i < list.size(); i++) {
      Object e = list.get(i);
      if (e instanceof Number) {
        BigDecimal d = Numbers.of(e);
        if (d == null || !Numbers.printable(d)) {
          problems.add(
              new Outcome.Detail(
                  path + "[" + i + "]",
                  "must be a number of at most "
                      + Numbers.MAX_DIGITS
                      + " digits before and after the point"));
        }
      } else if (!(e instanceof String || e instanceof Boolean)) {
        problems.add(
            new Outcome.Detail(
                path + "[" + i + "]", "must be text, a number or a boolean, not " + kind(e)));
      }
    }
    return problems.size() == before ? List.copyOf(list) : null;
  }

  private static boolean isHttpUrl(String s) {
    try {
      URI uri = new URI(s);
      return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
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

  private static String kind(Object v) {
    return switch (v) {
      case null -> "null";
      case Map<?, ?> m -> "an object";
      case List<?> l -> "an array";
      case Boolean b -> "a boolean";
      case Number n -> "a number";
      default -> "text";
    };
  }

  private static Object bad(String path, String message, List<Outcome.Detail> problems) {
    problems.add(new Outcome.Detail(path, message));
    return null;
  }
}
