package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;

/**
 * The edit forms' fields: each labelled, filled with what the person sent (or what is served), and
 * with its problems beside it ({@code aria-invalid}, {@code aria-describedby}). No script: a choice
 * between kinds shows every kind's fields, and "add a row" posts the form back.
 */
final class Fields {
  private Fields() {}

  /** The element id of a field name ({@code in.1.alias} to {@code f-in-1-alias}). */
  static String id(String name) {
    return "f-" + name.replaceAll("[^A-Za-z0-9_-]", "-");
  }

  /** The form's values: what was sent, or what the page starts from. */
  record Values(MultivaluedMap<String, String> form) {
    String get(String name) {
      String v = form.getFirst(name);
      return v == null ? "" : v;
    }

    boolean checked(String name) {
      return form.getFirst(name) != null && !"false".equals(form.getFirst(name));
    }

    List<String> all(String name) {
      List<String> l = form.get(name);
      return l == null ? List.of() : l;
    }
  }

  private static String attrs(String name, String help, List<String> problems) {
    String id = id(name);
    String describedBy =
        (help == null ? "" : id + "-help ") + (problems.isEmpty() ? "" : id + "-error");
    return " id=\""
        + id
        + "\" name=\""
        + esc(name)
        + "\""
        + (describedBy.isBlank() ? "" : " aria-describedby=\"" + describedBy.strip() + "\"")
        + (problems.isEmpty() ? "" : " aria-invalid=\"true\"");
  }

  private static String after(String name, String help, List<String> problems) {
    StringBuilder b = new StringBuilder();
    if (help != null) {
      b.append("<p class=\"sub\" id=\"")
          .append(id(name))
          .append("-help\">")
          .append(esc(help))
          .append("</p>");
    }
    if (!problems.isEmpty()) {
      b.append(error(name, problems));
    }
    return b.toString();
  }

  static String error(String name, List<String> problems) {
    return problems.isEmpty()
        ? ""
        : "<p class=\"field-error\" id=\""
            + id(name)
            + "-error\">"
            + esc(String.join("; ", problems))
            + "</p>";
  }

  static String text(String name, String label, String value, String help, List<String> problems) {
    return "<div class=\"field\"><label for=\""
        + id(name)
        + "\">"
        + esc(label)
        + "</label><input type=\"text\""
        + attrs(name, help, problems)
        + " value=\""
        + esc(value)
        + "\">"
        + after(name, help, problems)
        + "</div>";
  }

  static String password(String name, String label, String help, List<String> problems) {
    return "<div class=\"field\"><label for=\""
        + id(name)
        + "\">"
        + esc(label)
        + "</label><input type=\"password\" autocomplete=\"new-password\""
        + attrs(name, help, problems)
        + ">"
        + after(name, help, problems)
        + "</div>";
  }

  static String area(String name, String label, String value, String help, List<String> problems) {
    return "<div class=\"field\"><label for=\""
        + id(name)
        + "\">"
        + esc(label)
        + "</label><textarea rows=\"4\""
        + attrs(name, help, problems)
        + ">"
        + esc(value)
        + "</textarea>"
        + after(name, help, problems)
        + "</div>";
  }

  /**
   * A code editor without script: a monospace textarea that keeps the code as typed (no spelling
   * fixes, no wrapping), as tall as the code. A newline follows the tag because a browser drops one
   * there, and code may start with an empty line. Tab moves on to the next field (no keyboard
   * trap): indentation is typed as spaces.
   */
  static String code(String name, String label, String value, String help, List<String> problems) {
    int lines = (int) value.lines().count();
    return "<div class=\"field\"><label for=\""
        + id(name)
        + "\">"
        + esc(label)
        + "</label><textarea class=\"code\" rows=\""
        + Math.max(6, Math.min(30, lines + 1))
        + "\" spellcheck=\"false\" autocapitalize=\"off\" autocomplete=\"off\" wrap=\"off\""
        + attrs(name, help, problems)
        + ">\n"
        + esc(value)
        + "</textarea>"
        + after(name, help, problems)
        + "</div>";
  }

  static String select(
      String name, String label, String value, List<String> options, List<String> problems) {
    StringBuilder b =
        new StringBuilder("<div class=\"field\"><label for=\"")
            .append(id(name))
            .append("\">")
            .append(esc(label))
            .append("</label><select")
            .append(attrs(name, null, problems))
            .append(">");
    for (String o : options) {
      b.append("<option value=\"")
          .append(esc(o))
          .append("\"")
          .append(o.equals(value) ? " selected" : "")
          .append(">")
          .append(esc(o.isEmpty() ? "(none)" : o))
          .append("</option>");
    }
    return b.append("</select>").append(after(name, null, problems)).append("</div>").toString();
  }

  static String checkbox(String name, String label, boolean checked, List<String> problems) {
    return "<div class=\"field check\"><input type=\"checkbox\" value=\"true\""
        + attrs(name, null, problems)
        + (checked ? " checked" : "")
        + "> <label for=\""
        + id(name)
        + "\">"
        + esc(label)
        + "</label>"
        + after(name, null, problems)
        + "</div>";
  }

  /** A button that posts the form back with one row more (no script). */
  static String addRow(String what, String label) {
    return "<button type=\"submit\" class=\"secondary\" name=\"add\" value=\""
        + esc(what)
        + "\" id=\""
        + id("add." + what)
        + "\" formnovalidate>"
        + esc(label)
        + "</button>";
  }

  /** How many rows a list shows: what the form said, one more when its add button was pressed. */
  static int rows(Values v, String list, int fallback) {
    int n = fallback;
    try {
      n = Integer.parseInt(v.get("rows." + list));
    } catch (NumberFormatException e) {
      // the page's own count
    }
    if (list.equals(v.form().getFirst("add"))) {
      n++;
    }
    return Math.max(0, Math.min(100, n));
  }

  // The same fields bound to a posted form and its problems: the field's name picks its value and
  // its problems, so a form names each field once.

  static String text(String name, String label, String help, Values f, FieldProblems problems) {
    return text(name, label, f.get(name), help, problems.forField(name));
  }

  static String area(String name, String label, String help, Values f, FieldProblems problems) {
    return area(name, label, f.get(name), help, problems.forField(name));
  }

  static String select(
      String name, String label, List<String> options, Values f, FieldProblems problems) {
    return select(name, label, f.get(name), options, problems.forField(name));
  }

  static String checkbox(String name, String label, Values f, FieldProblems problems) {
    return checkbox(name, label, f.checked(name), problems.forField(name));
  }
}
