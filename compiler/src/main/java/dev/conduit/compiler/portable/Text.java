package dev.conduit.compiler.portable;

/** Text taken from a definition, made fit for names and descriptions. */
final class Text {
  private Text() {}

  /** Markdown and HTML reduced to plain text on one line. */
  static String plain(String md) {
    return md.replaceAll("<[^>]*>", " ")
        .replaceAll("!\\[[^\\]]*]\\([^)]*\\)", "")
        .replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1")
        .replaceAll("```[\\s\\S]*?```", " ")
        .replaceAll("[`*#>|]+", " ")
        .replaceAll("&nbsp;|&amp;|&lt;|&gt;|&quot;", " ")
        .replaceAll("\\s+", " ")
        .strip();
  }

  /** listUsers, list_users, list-users: "List users". */
  static String humanize(String s) {
    String t = s.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("[_.\\-/]+", " ").strip();
    return t.isEmpty() ? "Value" : Character.toUpperCase(t.charAt(0)) + t.substring(1);
  }
}
