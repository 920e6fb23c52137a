package dev.conduit.runtime.console;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a browser posts when a person presses "Make the branch" without touching the form: every
 * named field of the page's form (the one holding that button) with the value it was rendered with,
 * checked boxes only, a select's selected option (its first when none is), a textarea's lines ended
 * by CR LF as a browser sends them, no other button. The edit forms are tested through their own
 * HTML so a value that does not survive the round trip (a number, a JSON text, a default) shows up
 * as a change.
 */
final class PostedForm {
  private PostedForm() {}

  private static final Pattern FIELD =
      Pattern.compile(
          "<input([^>]*)>|<textarea([^>]*)>(.*?)</textarea>|<select([^>]*)>(.*?)</select>",
          Pattern.DOTALL);
  private static final Pattern OPTION = Pattern.compile("<option([^>]*)>");

  static MultivaluedMap<String, String> of(String page) {
    int button = page.indexOf("id=\"make-branch\"");
    if (button < 0) {
      throw new IllegalArgumentException("no form with a Make the branch button");
    }
    int start = page.lastIndexOf("<form", button);
    int end = page.indexOf("</form>", button);
    MultivaluedMap<String, String> posted = new MultivaluedHashMap<>();
    Matcher m = FIELD.matcher(page.substring(start, end));
    while (m.find()) {
      if (m.group(1) != null) {
        String a = m.group(1);
        String type = attr(a, "type");
        String name = attr(a, "name");
        if (name == null || "submit".equals(type)) {
          continue;
        }
        if ("checkbox".equals(type) && !a.contains(" checked")) {
          continue;
        }
        String value = attr(a, "value");
        posted.add(name, value == null ? ("checkbox".equals(type) ? "on" : "") : value);
      } else if (m.group(2) != null) {
        String name = attr(m.group(2), "name");
        String text = m.group(3);
        // a browser drops one newline right after <textarea>, and sends its lines ended by CR LF
        String value = unescape(text.startsWith("\n") ? text.substring(1) : text);
        posted.add(name, value.replace("\r\n", "\n").replace("\n", "\r\n"));
      } else {
        String name = attr(m.group(4), "name");
        String first = null;
        String selected = null;
        Matcher o = OPTION.matcher(m.group(5));
        while (o.find()) {
          String value = attr(o.group(1), "value");
          first = first == null ? value : first;
          if (o.group(1).contains(" selected")) {
            selected = value;
          }
        }
        posted.add(name, selected != null ? selected : first == null ? "" : first);
      }
    }
    return posted;
  }

  private static String attr(String attrs, String name) {
    Matcher m = Pattern.compile("\\s" + name + "=\"([^\"]*)\"").matcher(attrs);
    return m.find() ? unescape(m.group(1)) : null;
  }

  private static String unescape(String s) {
    return s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
  }
}
