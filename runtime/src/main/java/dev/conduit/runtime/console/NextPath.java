package dev.conduit.runtime.console;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where the sign-in form may send a person afterwards: a path of this console and nothing else.
 * {@code next} comes from the form (anyone can post one), so it is an open redirect and a header
 * injection waiting to happen: CR/LF or any control character, a scheme ({@code
 * https://evil.example}), a host ({@code //evil.example}, which browsers also read from {@code
 * /\evil.example}), a backslash anywhere, a dot segment leaving the console, or a path outside it
 * all fall back to the console's home.
 */
final class NextPath {

  private NextPath() {}

  /** The path itself when it is a safe console path; else {@link Frame#BASE}. */
  static String orHome(String next) {
    return isConsolePath(next) ? next : Frame.BASE;
  }

  static boolean isConsolePath(String next) {
    if (next == null || next.length() > 2048 || hostile(next)) {
      return false;
    }
    if (!(next.equals(Frame.BASE)
        || next.startsWith(Frame.BASE + "/")
        || next.startsWith(Frame.BASE + "?"))) {
      return false;
    }
    URI uri;
    try {
      uri = new URI(next);
    } catch (URISyntaxException e) {
      return false;
    }
    // judged decoded too: %0d%0a, %2f%2f, %5c and %2e%2e are the same tricks spelled again
    String path = uri.getPath();
    String query = uri.getQuery();
    return uri.getScheme() == null
        && uri.getRawAuthority() == null
        && uri.getRawFragment() == null
        && path != null
        && !hostile(path)
        && (query == null
            || query.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) // "a b" is a search
        && !path.contains("//")
        && !("/" + path + "/").contains("/../")
        && !("/" + path + "/").contains("/./");
  }

  /** A control character, white space or a backslash. */
  private static boolean hostile(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\' || Character.isWhitespace(c)) {
        return true;
      }
    }
    return false;
  }
}
