package dev.conduit.compiler.portable;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code conduit import curl}: a connection and one API from a curl command line. The line is read
 * as data, never run: a shell construct (command substitution, pipes, redirections, variables) is
 * refused with its position. Values that look secret (Authorization, keys, tokens, -u passwords)
 * become hidden parameters and are not written: they are sealed after.
 */
public final class CurlImport {

  /** The connection and API files, and the hidden parameters to seal. */
  public record Result(ObjectNode connection, ObjectNode api, List<String> toSeal) {}

  private static final Set<String> IGNORED =
      Set.of(
          "-s",
          "--silent",
          "-S",
          "--show-error",
          "-L",
          "--location",
          "-i",
          "--include",
          "-v",
          "--verbose",
          "--compressed",
          "-f",
          "--fail");

  private CurlImport() {}

  /**
   * @throws IllegalArgumentException naming what is wrong and where (a column of the line)
   */
  public static Result parse(String line, String id) {
    List<String> words = Words.split(line);
    if (words.isEmpty() || !words.get(0).equals("curl")) {
      throw new IllegalArgumentException("a curl command starts with curl");
    }
    String method = null;
    String url = null;
    String data = null;
    String user = null;
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < words.size(); i++) {
      String w = words.get(i);
      if (IGNORED.contains(w)) {
        continue;
      }
      switch (w) {
        case "-X", "--request" -> method = value(words, ++i, w).toUpperCase(Locale.ROOT);
        case "-H", "--header" -> {
          String h = value(words, ++i, w);
          int colon = h.indexOf(':');
          if (colon < 1) {
            throw new IllegalArgumentException("the header \"" + h + "\" has no NAME: VALUE");
          }
          headers.put(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
        }
        case "-d", "--data", "--data-raw", "--data-binary" -> data = value(words, ++i, w);
        case "-u", "--user" -> user = value(words, ++i, w);
        case "--url" -> url = value(words, ++i, w);
        default -> {
          if (w.startsWith("-")) {
            throw new IllegalArgumentException(
                "the curl option "
                    + w
                    + " is not supported (supported: -X -H -d -u --url and -s -S -L -i -v --compressed -f)");
          }
          if (url != null) {
            throw new IllegalArgumentException("two URLs: " + url + " and " + w);
          }
          url = w;
        }
      }
    }
    if (url == null) {
      throw new IllegalArgumentException("the curl command has no URL");
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"" + url + "\" is not a URL");
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new IllegalArgumentException("\"" + url + "\" is not an absolute http(s) URL");
    }
    method = method != null ? method : data != null ? "POST" : "GET";
    RequestImport r =
        new RequestImport(
            id, uri.getHost(), "Imported from a curl command for " + uri.getHost() + ".");
    String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
    ObjectNode api =
        r.api(
            (method + "-" + path),
            method + " " + path,
            "Imported from a curl command: " + method + " " + uri.getHost() + uri.getPath() + ".",
            "In the imported command: ",
            method,
            uri,
            headers,
            data);
    if (user != null) {
      r.basic(user.contains(":") ? user.substring(0, user.indexOf(':')) : user);
    }
    return new Result(r.connection(), api, r.toSeal());
  }

  private static String value(List<String> words, int i, String option) {
    if (i >= words.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return words.get(i);
  }
}
