package dev.conduit.runtime.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * The parser's complaints in the caller's words: what is wrong and where (line and column), never
 * the parser's own names (its features, constraints and classes mean nothing to a caller).
 */
final class JsonErrors {

  private static final Pattern DUPLICATE =
      Pattern.compile("Duplicate (?:Object property|field) \"(.*)\"", Pattern.DOTALL);
  private static final Pattern UNEXPECTED =
      Pattern.compile("Unexpected character \\((.+?) \\(code (\\d+)\\)\\)");
  private static final Pattern UNRECOGNIZED = Pattern.compile("Unrecognized token '(.*?)'");

  private JsonErrors() {}

  static String explain(JacksonException e) {
    return what(e) + where(e);
  }

  private static String what(JacksonException e) {
    String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (e instanceof StreamConstraintsException) {
      if (m.contains("nesting depth")) {
        return "it nests deeper than " + Json.MAX_DEPTH + " levels";
      }
      if (m.contains("String value length")) {
        return "a string is longer than " + Json.MAX_STRING + " characters";
      }
      if (m.contains("Number value length")) {
        return "a number has more than " + Json.MAX_NUMBER + " digits";
      }
      return "it is larger than this endpoint reads";
    }
    Matcher d = DUPLICATE.matcher(m);
    if (d.find()) {
      return "the key \""
          + printable(d.group(1))
          + "\" appears twice in one object (which one was meant?)";
    }
    if (m.startsWith("Trailing token")) {
      return "there is more after the JSON value";
    }
    if (m.startsWith("Unexpected end-of-input")) {
      return "it ends before the JSON value is complete";
    }
    Matcher u = UNEXPECTED.matcher(m);
    if (u.find()) {
      int code = Integer.parseInt(u.group(2));
      return "unexpected "
          + (code < 0x20 || code == 0x7f
              ? "control character U+" + String.format("%04X", code)
              : "character " + u.group(1))
          + expecting(m);
    }
    Matcher t = UNRECOGNIZED.matcher(m);
    if (t.find()) {
      return "unexpected text '"
          + printable(t.group(1))
          + "' (a value is a string in double quotes, a number, "
          + "an object, an array, true, false or null)";
    }
    if (m.startsWith("Illegal unquoted character")) {
      return "a control character in a string must be escaped (e.g. \\n, \\u0000)";
    }
    if (m.contains("Leading zeroes")
        || m.contains("Invalid numeric value")
        || m.contains("Non-standard token")) {
      return "a number is not written as JSON writes numbers";
    }
    if (m.startsWith("Unrecognized character escape")) {
      return "a backslash escape in a string is not one JSON has";
    }
    return "it is not well-formed JSON";
  }

  /** What the parser expected, when it said so in plain terms. */
  private static String expecting(String m) {
    int i = m.indexOf(": was expecting ");
    if (i < 0) {
      i = m.indexOf(": expected ");
    }
    if (i < 0) {
      return "";
    }
    String rest = m.substring(m.indexOf(' ', i + 2) + 1);
    int cut = rest.indexOf(" (");
    rest = cut >= 0 ? rest.substring(0, cut) : rest;
    cut = rest.indexOf('\n');
    rest = cut >= 0 ? rest.substring(0, cut) : rest;
    if (rest.contains("Feature") || rest.contains("`") || rest.length() > 80) {
      return "";
    }
    return " (expecting " + rest.replace("was expecting ", "").strip() + ")";
  }

  private static String where(JacksonException e) {
    TokenStreamLocation l = e.getLocation();
    if (l == null || l.getLineNr() < 1) {
      return "";
    }
    return " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
  }

  /**
   * Text from the caller, shown back safely: control characters as U+XXXX, at most 60 characters.
   */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 60; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? String.format("U+%04X", (int) c) : String.valueOf(c));
    }
    return s.length() > 60 ? b + "..." : b.toString();
  }
}
