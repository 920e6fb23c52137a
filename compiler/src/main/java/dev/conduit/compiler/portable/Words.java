package dev.conduit.compiler.portable;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words the way a POSIX shell quotes them (single quotes, double quotes,
 * backslashes, line continuations), and refuses what a shell would run or expand instead of passing
 * on: $(...), `...`, $VAR, pipes, redirections, ; and &amp;.
 */
final class Words {
  private Words() {}

  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quote == '\'') {
        if (ch == '\'') {
          quote = 0;
        } else {
          word.append(ch);
        }
        continue;
      }
      if (ch == '\\' && i + 1 < line.length()) {
        char next = line.charAt(++i);
        if (next != '\n') {
          word = word == null ? new StringBuilder() : word;
          word.append(next);
        }
        continue;
      }
      if (ch == '$' || ch == '`') {
        throw new IllegalArgumentException(
            "column "
                + (i + 1)
                + ": the shell construct "
                + construct(line, i)
                + " is not allowed: give the value itself (secrets are sealed after the import)");
      }
      if (quote == '"') {
        if (ch == '"') {
          quote = 0;
        } else {
          word.append(ch);
        }
        continue;
      }
      if ("|;&<>()".indexOf(ch) >= 0) {
        throw new IllegalArgumentException(
            "column "
                + (i + 1)
                + ": the shell construct "
                + ch
                + " is not allowed: give one curl command");
      }
      if (Character.isWhitespace(ch)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        continue;
      }
      word = word == null ? new StringBuilder() : word;
      if (ch == '\'' || ch == '"') {
        quote = ch;
      } else {
        word.append(ch);
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("an unclosed " + quote + " quote");
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  private static String construct(String line, int i) {
    int end = Math.min(line.length(), i + 12);
    return "\"" + line.substring(i, end) + (end < line.length() ? "..." : "") + "\"";
  }
}
