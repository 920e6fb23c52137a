package dev.conduit.code.python;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Python blocks run on Jython, whose language level is Python 2.7. A Python 3 construct does not
 * parse there, and Jython's parser says only "no viable alternative at input ...": this names the
 * construct when it can, and always says the language level.
 */
public final class PythonLevel {

  public static final String LEVEL =
      "Python blocks run on Jython, whose language level is Python 2.7";

  private record Construct(Pattern pattern, String what) {}

  private static final List<Construct> PYTHON3 =
      List.of(
          new Construct(
              Pattern.compile("(?<![\\w'\"])(?:[fF][rR]?|[rR][fF])['\"]"),
              "f-strings are Python 3 only (use '{}'.format(...) or %)"),
          new Construct(
              Pattern.compile("^\\s*async\\s+(def|for|with)\\b|\\bawait\\s"),
              "async and await are Python 3 only (blocks are synchronous)"),
          new Construct(Pattern.compile("^\\s*nonlocal\\s"), "nonlocal is Python 3 only"),
          new Construct(Pattern.compile(":="), "the walrus operator := is Python 3 only"),
          new Construct(
              Pattern.compile("\\bprint\\s*\\(.*\\b(end|sep|file|flush)\\s*="),
              "print(..., end=...) is Python 3's print function (add from __future__ import print_function)"),
          new Construct(
              Pattern.compile("^\\s*def\\s+\\w+\\s*\\(.*\\w\\s*:\\s*[\\w\\[]|\\)\\s*->"),
              "type hints are Python 3 only"),
          new Construct(
              Pattern.compile(
                  "^\\s*(?!(else|try|finally|except|lambda|if|elif|while|for|with|class|def|return|print)\\b)[A-Za-z_][\\w.]*\\s*:\\s*[A-Za-z_][\\w.]*(\\[.*\\])?\\s*(=.*)?$"),
              "variable annotations (x: int = ...) are Python 3 only"),
          new Construct(Pattern.compile("\\byield\\s+from\\b"), "yield from is Python 3 only"),
          new Construct(
              Pattern.compile("\\braise\\b.+\\bfrom\\b"), "raise ... from ... is Python 3 only"),
          new Construct(
              Pattern.compile("^\\s*[\\w, ]*\\*\\w+\\s*(,[\\w, *]*)?=[^=]"),
              "starred assignment (a, *rest = ...) is Python 3 only"),
          new Construct(
              Pattern.compile("\\{\\s*\\*\\*|\\[\\s*\\*\\w"),
              "unpacking with * or ** in literals is Python 3 only"),
          new Construct(
              Pattern.compile("^\\s*def\\s+\\w+\\s*\\(.*(\\(|,)\\s*\\*\\s*,"),
              "keyword-only arguments are Python 3 only"),
          new Construct(
              Pattern.compile("^\\s*match\\s+.+:\\s*$"), "the match statement is Python 3 only"),
          new Construct(
              Pattern.compile("\\bclass\\s+\\w+\\s*\\(.*metaclass\\s*="),
              "class X(metaclass=...) is Python 3 only (use __metaclass__, which blocks may not)"),
          new Construct(Pattern.compile("\\bexcept\\s*\\*"), "except* is Python 3 only"));

  private PythonLevel() {}

  /**
   * A syntax error's message for users.
   *
   * @param parserMessage what Jython's parser said
   * @param source the block
   * @param line the error's line (1-based), 0 when unknown
   */
  public static String syntaxMessage(String parserMessage, String source, int line) {
    String construct = construct(source, line);
    return "Python syntax error: "
        + parserMessage
        + ". "
        + LEVEL
        + (construct != null ? ": " + construct : "");
  }

  /** The Python 3 construct on {@code line} (or, failing that, the line before), or null. */
  static String construct(String source, int line) {
    List<String> lines = source.lines().toList();
    for (int l : new int[] {line, line - 1}) {
      if (l >= 1 && l <= lines.size()) {
        String text = lines.get(l - 1);
        for (Construct c : PYTHON3) {
          if (c.pattern().matcher(text).find()) {
            return c.what();
          }
        }
      }
    }
    return null;
  }
}
