package dev.conduit.runtime.console;

import dev.conduit.compiler.diag.Code;
import dev.conduit.compiler.diag.Diagnostic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiler's diagnostics of a change, placed beside the form fields they are about. A form
 * declares where each of its fields lands ({@link Target}: a file and a JSON pointer); a diagnostic
 * belongs to the field whose pointer is the longest one equal to, or a parent of, the diagnostic's
 * pointer in the same file ({@code /inputs/1/fields/0/type} goes to that field's type; an {@code
 * additionalProperties} problem, which points at the parent object, to the object's field if it has
 * one). What no field claims (another file, the whole document) goes to the summary at the top of
 * the form, each linked to the field when it has one.
 *
 * <p>The one mapping of the console's edit forms: the connection and the API forms declare their
 * targets and render {@link #forField} beside each field.
 */
final class FieldProblems {

  /**
   * Where a form field lands in the repository: a file and a JSON pointer into it, or a null
   * pointer for a field that is the whole file (a code block's source: the compiler reports its
   * problems at a line and column, and the field says which).
   */
  record Target(String file, String pointer, String field) {
    static Target wholeFile(String file, String field) {
      return new Target(file, null, field);
    }
  }

  private final Map<String, List<String>> byField;
  private final List<Diagnostic> unmapped;

  private FieldProblems(Map<String, List<String>> byField, List<Diagnostic> unmapped) {
    this.byField = byField;
    this.unmapped = unmapped;
  }

  static final FieldProblems NONE = new FieldProblems(Map.of(), List.of());

  /** Problems the form found itself (a JSON text that does not parse), by field. */
  static FieldProblems ofFields(Map<String, List<String>> byField) {
    return new FieldProblems(new LinkedHashMap<>(byField), List.of());
  }

  static FieldProblems map(List<Diagnostic> diagnostics, List<Target> targets) {
    Map<String, List<String>> byField = new LinkedHashMap<>();
    List<Diagnostic> unmapped = new ArrayList<>();
    for (Diagnostic d : diagnostics) {
      String pointer = pointer(d);
      Target best = null;
      for (Target t : targets) {
        boolean claims = t.pointer() == null || (pointer != null && within(pointer, t.pointer()));
        if (t.file().equals(d.file()) && claims && (best == null || depth(t) > depth(best))) {
          best = t;
        }
      }
      if (best == null) {
        unmapped.add(d);
      } else {
        byField
            .computeIfAbsent(best.field(), k -> new ArrayList<>())
            .add(best.pointer() == null ? atLine(d) + message(d) : message(d));
      }
    }
    return new FieldProblems(byField, unmapped);
  }

  private static final java.util.regex.Pattern MISSING =
      java.util.regex.Pattern.compile("^missing required property \"([^\"/~]+)\"");

  /**
   * Where the diagnostic is about. A missing property is reported at the object that lacks it (it
   * has no place of its own in the file); its field is the property's, named in the message.
   */
  static String pointer(Diagnostic d) {
    if (d.pointer() != null && d.code() == Code.C102) {
      var m = MISSING.matcher(d.message());
      if (m.find()) {
        return d.pointer() + "/" + m.group(1);
      }
    }
    return d.pointer();
  }

  /** Whether a pointer is the target's or under it (by whole segments; never the root). */
  static boolean within(String pointer, String target) {
    return !target.isEmpty() && (pointer.equals(target) || pointer.startsWith(target + "/"));
  }

  /** A whole-file field's claim is the weakest: a pointer into the file is more precise. */
  private static int depth(Target t) {
    return t.pointer() == null ? -1 : t.pointer().length();
  }

  /** Where in a whole-file field (a code block's source) the problem is. */
  private static String atLine(Diagnostic d) {
    return d.line() > 0 ? "line " + d.line() + ", column " + d.column() + ": " : "";
  }

  private static String message(Diagnostic d) {
    return d.message() + (d.hint() == null ? "" : " (" + d.hint() + ")");
  }

  boolean isEmpty() {
    return byField.isEmpty() && unmapped.isEmpty();
  }

  List<String> forField(String field) {
    return byField.getOrDefault(field, List.of());
  }

  Map<String, List<String>> byField() {
    return byField;
  }

  List<Diagnostic> unmapped() {
    return unmapped;
  }

  /**
   * The summary at the top: how many problems, each field's linked to it, and the ones no field
   * claims with their file and position.
   */
  String summary(Map<String, String> labels) {
    if (isEmpty()) {
      return "";
    }
    int count = unmapped.size() + byField.values().stream().mapToInt(List::size).sum();
    StringBuilder b =
        new StringBuilder(
                "<div class=\"error\" role=\"alert\" id=\"form-problems\" tabindex=\"-1\"><p>")
            .append(count)
            .append(count == 1 ? " problem" : " problems")
            .append(": nothing was committed. Fix ")
            .append(count == 1 ? "it" : "them")
            .append(" and make the branch again.</p><ul>");
    for (var e : byField.entrySet()) {
      for (String m : e.getValue()) {
        b.append("<li><a href=\"#")
            .append(Fields.id(e.getKey()))
            .append("\">")
            .append(esc(labels.getOrDefault(e.getKey(), e.getKey())))
            .append("</a>: ")
            .append(esc(m))
            .append("</li>");
      }
    }
    for (Diagnostic d : unmapped) {
      b.append("<li class=\"unmapped\"><code>")
          .append(esc(d.file() == null ? "" : d.file() + ":" + d.line() + ":" + d.column()))
          .append("</code> ")
          .append(esc(d.severity() + "[" + d.code() + "]: " + message(d)))
          .append("</li>");
    }
    return b.append("</ul></div>").toString();
  }

  private static String esc(String s) {
    return dev.conduit.runtime.web.identity.Pages.esc(s);
  }
}
