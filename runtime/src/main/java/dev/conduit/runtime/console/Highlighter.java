package dev.conduit.runtime.console;

import static dev.conduit.runtime.web.identity.Pages.esc;

import java.util.Set;

/**
 * Syntax highlighting for code blocks (JavaScript, Python) and JSON request templates, done on the
 * server in one pass: comments, strings, numbers, keywords and {@code {{template}}} references get
 * a span with a class; everything is escaped. Small on purpose: it colours, it does not parse, so
 * an odd construct only loses its colour.
 */
final class Highlighter {
  private Highlighter() {}

  enum Language {
    JAVASCRIPT(
        Set.of(
            "function",
            "return",
            "const",
            "let",
            "var",
            "if",
            "else",
            "for",
            "while",
            "of",
            "in",
            "new",
            "true",
            "false",
            "null",
            "undefined",
            "typeof",
            "throw",
            "try",
            "catch",
            "break",
            "continue",
            "switch",
            "case",
            "default",
            "this",
            "class",
            "async",
            "await"),
        "//"),
    PYTHON(
        Set.of(
            "def",
            "return",
            "if",
            "elif",
            "else",
            "for",
            "while",
            "in",
            "not",
            "and",
            "or",
            "import",
            "from",
            "as",
            "True",
            "False",
            "None",
            "try",
            "except",
            "raise",
            "with",
            "lambda",
            "pass",
            "break",
            "continue",
            "class",
            "is",
            "finally",
            "yield"),
        "#"),
    JSON(Set.of("true", "false", "null"), null);

    final Set<String> keywords;
    final String lineComment;

    Language(Set<String> keywords, String lineComment) {
      this.keywords = keywords;
      this.lineComment = lineComment;
    }

    static Language of(String name) {
      return switch (name == null ? "" : name.toLowerCase(java.util.Locale.ROOT)) {
        case "python", "py" -> PYTHON;
        case "json" -> JSON;
        default -> JAVASCRIPT;
      };
    }
  }

  /** The code as escaped HTML with highlight spans, for a {@code <pre><code>}. */
  static String html(String code, Language lang) {
    StringBuilder out = new StringBuilder(code.length() * 2);
    int i = 0;
    int n = code.length();
    while (i < n) {
      char c = code.charAt(i);
      if (lang.lineComment != null && code.startsWith(lang.lineComment, i)) {
        int end = code.indexOf('\n', i);
        end = end < 0 ? n : end;
        span(out, "hl-c", code.substring(i, end));
        i = end;
      } else if (lang == Language.JAVASCRIPT && code.startsWith("/*", i)) {
        int end = code.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        span(out, "hl-c", code.substring(i, end));
        i = end;
      } else if (c == '"' || c == '\'' || (c == '`' && lang == Language.JAVASCRIPT)) {
        int end = stringEnd(code, i, lang);
        string(out, code.substring(i, end));
        i = end;
      } else if (Character.isDigit(c)
          && (i == 0 || !Character.isLetterOrDigit(code.charAt(i - 1)))) {
        int end = i;
        while (end < n
            && (Character.isLetterOrDigit(code.charAt(end)) || code.charAt(end) == '.')) {
          end++;
        }
        span(out, "hl-n", code.substring(i, end));
        i = end;
      } else if (Character.isLetter(c) || c == '_' || c == '$') {
        int end = i;
        while (end < n
            && (Character.isLetterOrDigit(code.charAt(end))
                || code.charAt(end) == '_'
                || code.charAt(end) == '$')) {
          end++;
        }
        String word = code.substring(i, end);
        if (lang.keywords.contains(word)) {
          span(out, "hl-k", word);
        } else {
          out.append(esc(word));
        }
        i = end;
      } else {
        out.append(esc(String.valueOf(c)));
        i++;
      }
    }
    return out.toString();
  }

  /** Where a string starting at {@code start} ends (after its closing quote, or at the end). */
  private static int stringEnd(String code, int start, Language lang) {
    char q = code.charAt(start);
    if (lang == Language.PYTHON && code.startsWith(String.valueOf(q).repeat(3), start)) {
      int end = code.indexOf(String.valueOf(q).repeat(3), start + 3);
      return end < 0 ? code.length() : end + 3;
    }
    int i = start + 1;
    while (i < code.length()) {
      char c = code.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == q) {
        return i + 1;
      } else if (c == '\n' && q != '`') {
        return i;
      } else {
        i++;
      }
    }
    return code.length();
  }

  /** A string, with its {@code {{template}}} references marked. */
  private static void string(StringBuilder out, String s) {
    out.append("<span class=\"hl-s\">");
    int i = 0;
    while (i < s.length()) {
      int open = s.indexOf("{{", i);
      int close = open < 0 ? -1 : s.indexOf("}}", open + 2);
      if (open < 0 || close < 0) {
        out.append(esc(s.substring(i)));
        break;
      }
      out.append(esc(s.substring(i, open)));
      span(out, "hl-t", s.substring(open, close + 2));
      i = close + 2;
    }
    out.append("</span>");
  }

  private static void span(StringBuilder out, String cls, String text) {
    out.append("<span class=\"").append(cls).append("\">").append(esc(text)).append("</span>");
  }
}
