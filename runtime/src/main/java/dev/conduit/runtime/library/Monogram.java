package dev.conduit.runtime.library;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A logo drawn from a name (its first two words' initials on a colour derived from it), for entries
 * whose logo is elsewhere on the internet: the runtime serves it instead of fetching. The same
 * drawing as library/tools/generate.mjs gives entries without any logo.
 */
final class Monogram {
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9]+");

  private Monogram() {}

  static String svg(String name) {
    StringBuilder letters = new StringBuilder();
    Matcher m = WORD.matcher(name);
    while (letters.length() < 2 && m.find()) {
      letters.append(m.group().substring(0, 1).toUpperCase(Locale.ROOT));
    }
    long hash = 0;
    for (char c : name.toCharArray()) {
      hash = (hash * 31 + c) & 0xffffffffL;
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\" viewBox=\"0 0 64 64\">"
        + "<rect width=\"64\" height=\"64\" rx=\"12\" fill=\"hsl("
        + hash % 360
        + ",55%,45%)\"/><text x=\"32\" y=\"41\" font-family=\"sans-serif\" font-size=\"26\""
        + " font-weight=\"bold\" fill=\"#fff\" text-anchor=\"middle\">"
        + (letters.isEmpty() ? "?" : letters)
        + "</text></svg>\n";
  }
}
