package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import dev.conduit.bundle.Api.Input;
import dev.conduit.bundle.Api.InputType;
import jakarta.ws.rs.core.MultivaluedMap;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Test API form, generated from an API's inputs: a field per input (a fieldset of rows for an
 * object array, with a button that adds a row without any script), read back into the inputs the
 * invoke engine validates. Problems the engine reports at a path ({@code items[1].quantity}) are
 * shown next to the field they name.
 *
 * <p>Field names: {@code in.ALIAS} for an input, {@code in.ALIAS.ROW.FIELD} for an object array's
 * field; {@code rows.ALIAS} holds how many rows the form shows.
 */
final class TestForm {
  private TestForm() {}

  static final int DEFAULT_ROWS = 2;
  private static final Pattern PATH = Pattern.compile("([^\\[.]+)(?:\\[(\\d+)\\](?:\\.(.+))?)?");

  /** The inputs read from a submitted form, and which form row each list element came from. */
  record Read(Map<String, Object> inputs, Map<String, List<Integer>> rowOfElement) {}

  static Read read(List<Input> inputs, MultivaluedMap<String, String> form) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, List<Integer>> rowsOf = new HashMap<>();
    for (Input in : inputs) {
      if (in.type() == InputType.ObjectArray) {
        List<Object> list = new ArrayList<>();
        List<Integer> from = new ArrayList<>();
        for (int r = 0; r < rows(in, form); r++) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (Input f : in.fields()) {
            Object v = value(f.type(), form.getFirst(name(in, r, f)));
            if (v != null) {
              row.put(f.alias(), v);
            }
          }
          if (!row.isEmpty()) { // an untouched row is not sent
            list.add(row);
            from.add(r);
          }
        }
        rowsOf.put(in.alias(), from);
        if (!list.isEmpty()) {
          out.put(in.alias(), list);
        }
      } else {
        Object v = value(in.type(), form.getFirst("in." + in.alias()));
        if (v != null) {
          out.put(in.alias(), v);
        }
      }
    }
    return new Read(out, rowsOf);
  }

  /** A field's text as the engine takes it; null when left empty. */
  private static Object value(InputType type, String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    String s = raw.strip();
    return switch (type) {
      case Number -> {
        try {
          yield new BigDecimal(s);
        } catch (NumberFormatException e) {
          yield s; // the engine says what is wrong with it, next to the field
        }
      }
      case Members, Department, Attachment -> split(s, "[,\\n]");
      case Array -> split(s, "\\n");
      default -> s;
    };
  }

  private static List<String> split(String s, String by) {
    return Arrays.stream(s.split(by)).map(String::strip).filter(x -> !x.isEmpty()).toList();
  }

  static int rows(Input in, MultivaluedMap<String, String> form) {
    int rows = DEFAULT_ROWS;
    if (form != null && form.getFirst("rows." + in.alias()) != null) {
      try {
        rows = Math.max(1, Math.min(50, Integer.parseInt(form.getFirst("rows." + in.alias()))));
      } catch (NumberFormatException e) {
        rows = DEFAULT_ROWS;
      }
    }
    if (form != null && in.alias().equals(form.getFirst("add-row"))) {
      rows = Math.min(50, rows + 1);
    }
    return rows;
  }

  private static String name(Input in, int row, Input field) {
    return "in." + in.alias() + "." + row + "." + field.alias();
  }

  static String id(String name) {
    return "f-" + name.replaceAll("[^A-Za-z0-9_-]", "-");
  }

  /**
   * Maps the engine's problem paths to field names: {@code items[1].sku} to the form row the second
   * sent element came from.
   */
  static Map<String, List<String>> errorsByField(
      List<dev.conduit.runtime.invoke.Outcome.Detail> details, Read read) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (var d : details) {
      Matcher m = PATH.matcher(d.path() == null ? "" : d.path());
      String field;
      if (!m.matches()) {
        field = "";
      } else if (m.group(2) == null || m.group(3) == null) {
        field = "in." + m.group(1);
      } else {
        List<Integer> rows = read.rowOfElement().getOrDefault(m.group(1), List.of());
        int i = Integer.parseInt(m.group(2));
        int row = i < rows.size() ? rows.get(i) : i;
        field = "in." + m.group(1) + "." + row + "." + m.group(3);
      }
      out.computeIfAbsent(field, k -> new ArrayList<>()).add(d.message());
    }
    return out;
  }

  /** The form's fields, filled with what was sent and with each problem beside its field. */
  static String fields(
      List<Input> inputs, MultivaluedMap<String, String> form, Map<String, List<String>> errors) {
    StringBuilder b = new StringBuilder();
    for (Input in : inputs) {
      if (in.type() == InputType.ObjectArray) {
        int rows = rows(in, form);
        b.append("<fieldset><legend>")
            .append(esc(in.name()))
            .append(in.required() ? " (required)" : "")
            .append(" <code>")
            .append(esc(in.alias()))
            .append("</code></legend>")
            .append(Frame.hidden("rows." + in.alias(), String.valueOf(rows)));
        b.append(problems("in." + in.alias(), errors));
        for (int r = 0; r < rows; r++) {
          b.append("<fieldset><legend>Row ").append(r + 1).append("</legend>");
          for (Input f : in.fields()) {
            b.append(field(f, name(in, r, f), form, errors));
          }
          b.append("</fieldset>");
        }
        b.append("<button type=\"submit\" class=\"secondary\" name=\"add-row\" value=\"")
            .append(esc(in.alias()))
            .append("\" id=\"add-row-")
            .append(esc(in.alias()))
            .append("\">Add a row to ")
            .append(esc(in.name()))
            .append("</button></fieldset>");
      } else {
        b.append(field(in, "in." + in.alias(), form, errors));
      }
    }
    return b.toString();
  }

  private static String field(
      Input in,
      String name,
      MultivaluedMap<String, String> form,
      Map<String, List<String>> errors) {
    String id = id(name);
    String value = form == null ? null : form.getFirst(name);
    if (value == null && in.defaultValue() != null && form == null) {
      value = String.valueOf(in.defaultValue());
    }
    List<String> problems = errors.getOrDefault(name, List.of());
    String describedBy =
        (in.description() == null ? "" : id + "-help ") + (problems.isEmpty() ? "" : id + "-error");
    String attrs =
        " id=\""
            + id
            + "\" name=\""
            + esc(name)
            + "\""
            + (describedBy.isBlank() ? "" : " aria-describedby=\"" + describedBy.strip() + "\"")
            + (problems.isEmpty() ? "" : " aria-invalid=\"true\"");
    StringBuilder b = new StringBuilder("<div class=\"field\"><label for=\"" + id + "\">");
    b.append(esc(in.name()))
        .append(in.required() ? " <span aria-hidden=\"true\">*</span>" : "")
        .append(" <code>")
        .append(esc(in.alias()))
        .append("</code> <span class=\"badge\">")
        .append(in.type())
        .append("</span></label>");
    String hint = hint(in.type());
    switch (in.type()) {
      case Array, Members, Department, Attachment ->
          b.append("<textarea")
              .append(attrs)
              .append(in.required() ? " aria-required=\"true\"" : "")
              .append(">")
              .append(esc(value))
              .append("</textarea>");
      default ->
          b.append("<input type=\"text\"")
              .append(in.type() == InputType.Number ? " inputmode=\"decimal\"" : "")
              .append(attrs)
              .append(in.required() ? " aria-required=\"true\"" : "")
              .append(" value=\"")
              .append(esc(value))
              .append("\">");
    }
    if (in.description() != null || hint != null) {
      b.append("<p class=\"sub\" id=\"")
          .append(id)
          .append("-help\">")
          .append(esc(in.description() == null ? "" : in.description()))
          .append(hint == null ? "" : " " + esc(hint))
          .append("</p>");
    }
    if (!problems.isEmpty()) {
      b.append("<p class=\"field-error\" id=\"")
          .append(id)
          .append("-error\">")
          .append(esc(String.join("; ", problems)))
          .append("</p>");
    }
    return b.append("</div>").toString();
  }

  private static String hint(InputType type) {
    return switch (type) {
      case Array -> "One item per line.";
      case Members, Department -> "Ids separated by commas or lines.";
      case Attachment -> "URLs separated by commas or lines.";
      case DateTime -> "ISO-8601, e.g. 2026-11-23 or 2026-11-23T09:30:00+08:00.";
      default -> null;
    };
  }

  private static String problems(String name, Map<String, List<String>> errors) {
    List<String> p = errors.getOrDefault(name, List.of());
    return p.isEmpty()
        ? ""
        : "<p class=\"field-error\" id=\""
            + id(name)
            + "-error\">"
            + esc(String.join("; ", p))
            + "</p>";
  }
}
