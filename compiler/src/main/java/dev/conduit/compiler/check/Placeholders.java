package dev.conduit.compiler.check;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The meaningless names and texts library reviewers reject ("test", "123", ...): one list. */
public final class Placeholders {

  private static final Set<String> WORDS =
      Set.of(
          "test",
          "testing",
          "todo",
          "tbd",
          "xxx",
          "demo",
          "sample",
          "example",
          "placeholder",
          "asdf",
          "foo",
          "bar",
          "lorem ipsum",
          "n/a",
          "-");
  private static final Pattern DIGITS_ONLY = Pattern.compile("[0-9\\s.]+");

  private Placeholders() {}

  public static boolean is(String text) {
    if (text == null) {
      return false;
    }
    String t = text.strip().toLowerCase(Locale.ROOT);
    return WORDS.contains(t) || DIGITS_ONLY.matcher(t).matches();
  }
}
